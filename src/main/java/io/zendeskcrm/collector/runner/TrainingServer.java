package io.zendeskcrm.collector.runner;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Zendesk and S3 as small as a training pass needs them, on the loopback interface: every stream answers
 * one page with one record and its end, and S3 keeps objects in memory and honours the conditional writes
 * a pass makes ({@code If-None-Match: *}, {@code If-Match}). A pass against it goes all the way (take-over,
 * fetch, write, commit), so the classes that handle the answers are in the class-data archive too. Its
 * answers need only be right enough for that: listings are empty, and nothing is validated.
 */
final class TrainingServer implements AutoCloseable {
    private final HttpServer http;
    private final Map<String, Stored> objects = new ConcurrentHashMap<>();
    private final AtomicLong versions = new AtomicLong();

    private record Stored(byte[] body, String etag) {}

    TrainingServer() throws IOException {
        http = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        http.createContext("/api/v2/", this::zendesk);
        http.createContext("/", this::s3);
        http.start();
    }

    String url() {
        return "http://127.0.0.1:" + http.getAddress().getPort();
    }

    @Override
    public void close() {
        http.stop(0);
    }

    private void zendesk(HttpExchange exchange) throws IOException {
        String path = exchange.getRequestURI().getPath();
        String now = Instant.now().minusSeconds(600).toString();
        String body;
        if (path.endsWith("/incremental/tickets/cursor.json")) {
            body = "{\"tickets\":[{\"id\":1,\"updated_at\":\"" + now + "\",\"generated_timestamp\":"
                    + Instant.now().minusSeconds(600).getEpochSecond() + "}],\"after_cursor\":\"training\",\"end_of_stream\":true}";
        } else if (path.endsWith("/audit_logs.json")) {
            body = "{\"audit_logs\":[{\"id\":1,\"created_at\":\"" + now + "\"}],\"meta\":{\"has_more\":false,\"after_cursor\":null}}";
        } else if (path.endsWith("/access_logs")) {
            body = "{\"access_logs\":[{\"id\":\"01TRAINING\",\"timestamp\":\"" + now + "\"}],\"meta\":{\"has_more\":false}}";
        } else {
            answer(exchange, 404, "application/json", "{\"error\":\"InvalidEndpoint\"}");
            return;
        }
        answer(exchange, 200, "application/json; charset=utf-8", body);
    }

    private void s3(HttpExchange exchange) throws IOException {
        String key = exchange.getRequestURI().getPath();
        Stored stored = objects.get(key);
        String etag = stored == null ? null : stored.etag();
        switch (exchange.getRequestMethod()) {
            case "GET" -> {
                if (exchange.getRequestURI().getQuery() != null && exchange.getRequestURI().getQuery().contains("list-type")) {
                    answer(exchange, 200, "application/xml", "<?xml version=\"1.0\" encoding=\"UTF-8\"?><ListBucketResult>"
                            + "<Name>training</Name><KeyCount>0</KeyCount><MaxKeys>1000</MaxKeys><IsTruncated>false</IsTruncated>"
                            + "</ListBucketResult>");
                } else if (stored == null) {
                    error(exchange, 404, "NoSuchKey");
                } else {
                    exchange.getResponseHeaders().add("ETag", etag);
                    answer(exchange, 200, "application/octet-stream", stored.body());
                }
            }
            case "HEAD" -> {
                if (stored == null) {
                    exchange.sendResponseHeaders(404, -1);
                } else {
                    exchange.getResponseHeaders().add("ETag", etag);
                    exchange.sendResponseHeaders(200, -1);
                }
                exchange.close();
            }
            case "PUT" -> {
                byte[] body = decoded(exchange);
                String ifNoneMatch = exchange.getRequestHeaders().getFirst("If-None-Match");
                String ifMatch = exchange.getRequestHeaders().getFirst("If-Match");
                if (("*".equals(ifNoneMatch) && stored != null) || (ifMatch != null && !ifMatch.equals(etag))) {
                    error(exchange, 412, "PreconditionFailed");
                    return;
                }
                Stored written = new Stored(body, "\"" + versions.incrementAndGet() + "\"");
                objects.put(key, written);
                exchange.getResponseHeaders().add("ETag", written.etag());
                exchange.sendResponseHeaders(200, -1);
                exchange.close();
            }
            case "DELETE" -> {
                objects.remove(key);
                exchange.sendResponseHeaders(204, -1);
                exchange.close();
            }
            default -> error(exchange, 405, "MethodNotAllowed");
        }
    }

    /** The body, with the SDK's {@code aws-chunked} framing taken off. */
    private static byte[] decoded(HttpExchange exchange) throws IOException {
        byte[] raw;
        try (InputStream in = exchange.getRequestBody()) {
            raw = in.readAllBytes();
        }
        String encoding = exchange.getRequestHeaders().getFirst("Content-Encoding");
        if (encoding == null || !encoding.contains("aws-chunked")) return raw;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int at = 0;
        while (at < raw.length) {
            int lineEnd = indexOf(raw, at);
            if (lineEnd < 0) break;
            String header = new String(raw, at, lineEnd - at, StandardCharsets.US_ASCII);
            int size = Integer.parseInt(header.split(";")[0].trim(), 16);
            if (size == 0) break;
            out.write(raw, lineEnd + 2, size);
            at = lineEnd + 2 + size + 2;
        }
        return out.toByteArray();
    }

    private static int indexOf(byte[] raw, int from) {
        for (int i = from; i + 1 < raw.length; i++) {
            if (raw[i] == '\r' && raw[i + 1] == '\n') return i;
        }
        return -1;
    }

    private static void error(HttpExchange exchange, int status, String code) throws IOException {
        answer(exchange, status, "application/xml", "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Error><Code>" + code
                + "</Code><Message>" + code + "</Message></Error>");
    }

    private static void answer(HttpExchange exchange, int status, String type, String body) throws IOException {
        answer(exchange, status, type, body.getBytes(StandardCharsets.UTF_8));
    }

    private static void answer(HttpExchange exchange, int status, String type, byte[] body) throws IOException {
        exchange.getResponseHeaders().add("Content-Type", type);
        exchange.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }
}
