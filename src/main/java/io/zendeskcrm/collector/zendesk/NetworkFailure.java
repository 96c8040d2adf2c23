package io.zendeskcrm.collector.zendesk;

import java.io.IOException;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.SSLException;

/**
 * What went wrong when a request to Zendesk failed without an answer, in words an operator can act on:
 * the REST client wraps every such failure in a {@code ProcessingException}, and the cause chain says
 * which it was. The texts name ZENDESK_BASE_URL or HTTP_TIMEOUT where they are the likely fix; they
 * show host names and ports (the URL carries no credentials: settings refuse them), never a query.
 */
public final class NetworkFailure {
    private static final Pattern TIMEOUT_MILLIS = Pattern.compile("(\\d+) ?ms");
    private static final Pattern RESOLVER_HOST = Pattern.compile("'([^']+)'");

    private NetworkFailure() {}

    /** One phrase for the failure, such as {@code "connection refused by localhost/127.0.0.1:9 (ConnectException)"}. */
    public static String describe(Throwable failure) {
        Throwable timeout = find(failure, t -> t instanceof TimeoutException || t instanceof SocketTimeoutException
                || t.getClass().getSimpleName().contains("Timeout"));
        if (timeout != null) return timedOut(timeout);
        Throwable dns = find(failure, t -> t instanceof UnknownHostException);
        if (dns != null) {
            return "DNS name not found: " + host(dns.getMessage()) + " (UnknownHostException); check the subdomain in ZENDESK_BASE_URL";
        }
        Throwable refused = find(failure, t -> t instanceof ConnectException);
        if (refused != null) {
            // Netty's message names the address: "Connection refused: localhost/127.0.0.1:9".
            String address = refused.getMessage() != null && refused.getMessage().contains(": ")
                    ? " by " + refused.getMessage().substring(refused.getMessage().indexOf(": ") + 2) : "";
            return "connection refused" + address + " (ConnectException): nothing listens there; check ZENDESK_BASE_URL";
        }
        Throwable tls = find(failure, t -> t instanceof SSLException || t.getClass().getSimpleName().equals("NotSslRecordException"));
        if (tls != null) {
            if (find(failure, t -> t.getClass().getSimpleName().equals("NotSslRecordException")) != null) {
                return "TLS handshake failed: the server answered without TLS (is it http? ZENDESK_BASE_URL must be the"
                        + " https address of the account)";
            }
            return "TLS handshake failed (" + tls.getClass().getSimpleName() + ": " + shortened(tls.getMessage()) + ")";
        }
        // The innermost cause says most ("HttpClosedException: Connection was closed"); messages of I/O
        // failures carry addresses, never content. Anything else shows its class only.
        Throwable root = root(failure);
        if (find(failure, t -> t instanceof IOException) != null) {
            return "an I/O error (" + root.getClass().getSimpleName() + ": " + shortened(root.getMessage()) + ")";
        }
        return "an I/O error (" + root.getClass().getSimpleName() + ")";
    }

    /** Vert.x names the limit that fired ("The timeout of 2000 ms ... when getting a connection ..."). */
    private static String timedOut(Throwable timeout) {
        String message = timeout.getMessage() != null ? timeout.getMessage() : "";
        Matcher millis = TIMEOUT_MILLIS.matcher(message);
        String after = millis.find() ? " after " + formatSeconds(Long.parseLong(millis.group(1))) : "";
        String phase = message.contains("getting a connection") || timeout.getClass().getSimpleName().startsWith("Connect")
                ? " connecting (or in the TLS handshake)" : " waiting for the answer";
        return "timed out" + after + phase + " (HTTP_TIMEOUT)";
    }

    private static String formatSeconds(long millis) {
        return millis % 1000 == 0 ? millis / 1000 + " s" : String.format(java.util.Locale.ROOT, "%.1f s", millis / 1000.0);
    }

    private static String host(String message) {
        if (message == null) return "(unknown host)";
        Matcher quoted = RESOLVER_HOST.matcher(message);
        if (quoted.find()) return quoted.group(1);
        int colon = message.indexOf(':');
        return colon > 0 ? message.substring(0, colon) : message;
    }

    private static String shortened(String message) {
        if (message == null) return "no detail";
        return message.length() > 120 ? message.substring(0, 120) + "..." : message;
    }

    private static Throwable find(Throwable failure, java.util.function.Predicate<Throwable> kind) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (kind.test(t)) return t;
        }
        return null;
    }

    private static Throwable root(Throwable failure) {
        Throwable t = failure;
        while (t.getCause() != null && t.getCause() != t) t = t.getCause();
        return t;
    }
}
