package io.zendeskcrm.collector.zendesk;

import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.core.io.JsonEOFException;
import jakarta.ws.rs.core.MediaType;
import java.io.IOException;
import java.io.InputStream;
import java.io.PushbackInputStream;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A 200 answer whose bytes arrived and are not Zendesk's JSON: an HTML page, bytes that are not UTF-8,
 * a syntax error, a value over the parser's limits. Asking again gets the same bytes, so it is not
 * retried, unlike a body that ends early (a connection cut), which is. The message says what the
 * answer is and where, never what it holds (a parser's own message would quote it).
 */
public final class NotJsonException extends IOException {
    private static final Pattern LIMIT = Pattern.compile("^(\\w[\\w ]*?) \\(\\d+\\) exceeds the maximum allowed \\((\\d+)");
    private static final String HTML_ADVICE = ": is ZENDESK_BASE_URL the API host (https://<subdomain>.zendesk.com)? a proxy or sign-in page?";
    /** How many leading blanks are looked through for the first byte of an answer. */
    private static final int PEEK = 256;

    private final String advice;

    private NotJsonException(String what, String advice) {
        super(what);
        this.advice = advice;
    }

    /** @param what what the answer is, completing "Zendesk answered 200 with ..." */
    NotJsonException(String what) {
        this(what, "; nothing of the answer is written, and the next run asks again");
    }

    /** What to check or expect, to follow the position in the message (starts with ":" or ";"). */
    String advice() {
        return advice;
    }

    /**
     * The body, unless the answer is an HTML page (its {@code Content-Type}, or a first byte that is
     * not blank and is {@code <}): a sign-in page, a proxy's page, a web address instead of the API's.
     */
    static InputStream refuseHtml(MediaType type, InputStream body) throws IOException {
        if (type != null && type.getSubtype().toLowerCase(java.util.Locale.ROOT).contains("html")) throw html();
        PushbackInputStream peeked = new PushbackInputStream(body, PEEK);
        byte[] start = new byte[PEEK];
        int n = 0;
        int b;
        while (n < PEEK && (b = peeked.read()) != -1) {
            start[n++] = (byte) b;
            if (b != ' ' && b != '\t' && b != '\r' && b != '\n') {
                if (b == '<') throw html();
                break;
            }
        }
        peeked.unread(start, 0, n);
        return peeked;
    }

    private static NotJsonException html() {
        return new NotJsonException("an HTML page, not JSON", HTML_ADVICE);
    }

    /**
     * What a reader's failure means: this exception when the answer is not JSON however often it is asked
     * for, empty when the body may only have ended early or the connection failed (retried).
     *
     * @param part         where in the answer the parser was, such as "record 3", or null
     * @param invalidUtf8At the offset of the first byte that is not UTF-8, when the reader found one
     */
    static Optional<NotJsonException> of(IOException e, String part, OptionalLong invalidUtf8At) {
        if (e instanceof NotJsonException n) return Optional.of(n);
        String in = part == null ? "" : ", in " + part;
        if (e instanceof StreamConstraintsException c) {
            // "String value length (20000001) exceeds the maximum allowed (20000000, from ...)": numbers only.
            Matcher m = LIMIT.matcher(c.getOriginalMessage());
            String limit = m.find() ? m.group(1).toLowerCase(java.util.Locale.ROOT) + " over " + m.group(2) : "a value over its limits";
            return Optional.of(new NotJsonException((part == null ? "an answer" : part) + " beyond what the JSON parser reads ("
                    + limit + ")", "; the record cannot be collected, and the stream stops at this page"));
        }
        if (e instanceof JsonEOFException || !(e instanceof JsonParseException p)) return Optional.empty();
        if (invalidUtf8At.isPresent() || p.getOriginalMessage().startsWith("Invalid UTF-8")) {
            long at = invalidUtf8At.orElse(p.getLocation() == null ? -1 : p.getLocation().getByteOffset());
            return Optional.of(new NotJsonException("bytes that are not UTF-8 (at byte " + at + " of the answer" + in + ")"));
        }
        long at = p.getLocation() == null ? -1 : p.getLocation().getByteOffset();
        return Optional.of(new NotJsonException("a body that is not JSON (at byte " + at + " of the answer" + in + ")"));
    }

    static Optional<NotJsonException> of(IOException e) {
        return of(e, null, OptionalLong.empty());
    }
}
