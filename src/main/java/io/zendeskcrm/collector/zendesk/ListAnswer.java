package io.zendeskcrm.collector.zendesk;

import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.net.URLDecoder;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * A Zendesk list answer read as it arrives: the records one at a time, handed on before the next is
 * read, each parsed and as the bytes Zendesk sent, and the other top-level fields ({@code meta},
 * {@code after_cursor}, ...) whole. A page is so never held as a parsed whole. A body that ends early
 * is an {@link IOException}, which {@link RetryingRequests} retries; one that is not JSON is a
 * {@link NotJsonException} naming the record, which it does not.
 */
final class ListAnswer {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** Takes one entry of the records array (any JSON value: the handler decides what a non-record means). */
    @FunctionalInterface
    interface Entries {
        /** @param sent an object entry's bytes exactly as Zendesk sent them ({@code {...}}); null for other values */
        void entry(int index, JsonNode entry, byte[] sent);
    }

    /**
     * @param rest       the answer's top-level fields other than the records
     * @param hadRecords whether the answer had the records array at all
     */
    record Rest(ObjectNode rest, boolean hadRecords) {
        /** The names Zendesk gives a cursor: the pagination guide's, and the one the access-log reference uses. */
        static final List<String> CURSOR_PARAMETERS = List.of("page[after]", "filter[after]");

        /**
         * The query parameter that {@code links.next} carries {@code cursor} in, when it is one of
         * {@link #CURSOR_PARAMETERS}. Only the name is taken: the link itself is never followed.
         */
        Optional<String> cursorParameter(String cursor) {
            JsonNode next = rest.path("links").path("next");
            if (!next.isTextual() || cursor == null) return Optional.empty();
            String link = next.asText();
            int query = link.indexOf('?');
            if (query < 0) return Optional.empty();
            int fragment = link.indexOf('#', query);
            for (String pair : link.substring(query + 1, fragment < 0 ? link.length() : fragment).split("&")) {
                int eq = pair.indexOf('=');
                if (eq < 0) continue;
                try {
                    String name = URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8);
                    String value = URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
                    if (value.equals(cursor) && CURSOR_PARAMETERS.contains(name)) return Optional.of(name);
                } catch (IllegalArgumentException e) {
                    // a malformed escape: this pair names nothing
                }
            }
            return Optional.empty();
        }
    }

    private ListAnswer() {}

    static Rest read(InputStream body, String recordsField, Entries entries) throws IOException {
        SentBytes sent = new SentBytes(body);
        int index = -1; // the record being read, for messages
        try (JsonParser parser = JSON.createParser(sent)) {
            JsonToken first = parser.nextToken();
            if (first == null) throw new IOException("an empty body");
            if (first != JsonToken.START_OBJECT) throw new NotJsonException("JSON that is not an object");
            if (parser.currentTokenLocation().getByteOffset() < 0) throw new NotJsonException("JSON that is not UTF-8");
            ObjectNode rest = JSON.createObjectNode();
            boolean hadRecords = false;
            JsonToken token;
            while ((token = parser.nextToken()) == JsonToken.FIELD_NAME) {
                String field = parser.currentName();
                JsonToken value = parser.nextToken();
                if (value == null) throw new IOException("the answer ends after \"" + field + "\"");
                if (field.equals(recordsField) && value == JsonToken.START_ARRAY) {
                    hadRecords = true;
                    while ((token = parser.nextToken()) != JsonToken.END_ARRAY) {
                        if (token == null) throw new IOException("the answer ends inside \"" + recordsField + "\"");
                        index++;
                        long start = parser.currentTokenLocation().getByteOffset();
                        sent.keepFrom(start);
                        JsonNode entry = parser.readValueAsTree();
                        byte[] bytes = token == JsonToken.START_OBJECT
                                ? sent.copy(start, parser.currentTokenLocation().getByteOffset() + 1) : null;
                        entries.entry(index, entry, bytes);
                    }
                    index = -1;
                } else {
                    rest.set(field, parser.readValueAsTree());
                }
                sent.keepFrom(parser.currentLocation().getByteOffset());
            }
            if (token != JsonToken.END_OBJECT) throw new IOException("the answer ends before its last field");
            return new Rest(rest, hadRecords);
        } catch (JsonProcessingException e) {
            OptionalLong notUtf8 = e instanceof JsonParseException && e.getLocation() != null
                    ? sent.firstNotUtf8(e.getLocation().getByteOffset()) : OptionalLong.empty();
            Optional<NotJsonException> notJson = NotJsonException.of(e, index >= 0 ? "record " + index : null, notUtf8);
            if (notJson.isPresent()) throw notJson.get();
            throw e;
        }
    }

    /**
     * The body as the parser reads it, keeping what it read from a given offset on: the parser reads
     * ahead, so a record's bytes are copied from here once it has been parsed. What is kept is one
     * record and the parser's read-ahead at most.
     */
    private static final class SentBytes extends InputStream {
        private static final int INITIAL = 64 * 1024;
        private final InputStream in;
        private byte[] kept = new byte[INITIAL];
        private int size;
        private long keptFrom; // the offset in the body of kept[0]

        SentBytes(InputStream in) {
            this.in = in;
        }

        @Override
        public int read() throws IOException {
            int b = in.read();
            if (b >= 0) append(new byte[] {(byte) b}, 0, 1);
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = in.read(b, off, len);
            if (n > 0) append(b, off, n);
            return n;
        }

        @Override
        public void close() throws IOException {
            in.close();
        }

        private void append(byte[] b, int off, int n) {
            if (size + n > kept.length) kept = Arrays.copyOf(kept, Math.max(kept.length * 2, size + n));
            System.arraycopy(b, off, kept, size, n);
            size += n;
        }

        /** Forgets what came before {@code offset}: no record to come starts there. */
        void keepFrom(long offset) {
            int drop = (int) Math.min(Math.max(offset - keptFrom, 0), size);
            if (drop == 0) return;
            size -= drop;
            if (kept.length > 4 * INITIAL && size < INITIAL) {
                kept = Arrays.copyOfRange(kept, drop, drop + INITIAL); // after a large record, give its room back
            } else {
                System.arraycopy(kept, drop, kept, 0, size);
            }
            keptFrom += drop;
        }

        byte[] copy(long from, long to) {
            return Arrays.copyOfRange(kept, (int) (from - keptFrom), (int) (to - keptFrom));
        }

        /** Where the first byte that is not UTF-8 is among those kept, up to {@code before} and a few bytes on. */
        OptionalLong firstNotUtf8(long before) {
            int end = (int) Math.max(0, Math.min(size, before - keptFrom + 4));
            CharsetDecoder utf8 = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT);
            ByteBuffer bytes = ByteBuffer.wrap(kept, 0, end);
            CharBuffer chars = CharBuffer.allocate(4096);
            while (true) {
                CoderResult result = utf8.decode(bytes, chars, false);
                if (result.isError()) return OptionalLong.of(keptFrom + bytes.position());
                if (result.isUnderflow()) return OptionalLong.empty();
                chars.clear();
            }
        }
    }
}
