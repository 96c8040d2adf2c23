package io.zendeskcrm.collector.it;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A Zendesk that serves millions of audit records and ticket versions without holding them: record
 * {@code i} is computed from its index when a page asks for it (audit logs: {@code perDay} a day from
 * {@code auditStart}, evenly spread; tickets: {@code tickets} versions evenly spread over {@code ticketSpan}
 * seconds from {@code ticketStart}). The answers have Zendesk's shape (cursor pages, {@code meta},
 * {@code end_of_stream}, the export's one-minute delay); there is no rate limit, and the requests are counted.
 */
final class GeneratedZendesk implements AutoCloseable {
    private static final long DAY = 86_400;

    private final HttpServer server;
    private final long auditStart;
    private final long perDay;
    private final long audits;
    private final long ticketStart;
    private final long ticketSpan;
    private final long tickets;
    final AtomicLong auditRequests = new AtomicLong();
    final AtomicLong ticketRequests = new AtomicLong();

    GeneratedZendesk(Instant auditStart, int auditDays, long perDay, Instant ticketStart, long ticketSpanSeconds, long tickets)
            throws IOException {
        this.auditStart = auditStart.getEpochSecond();
        this.perDay = perDay;
        this.audits = perDay * auditDays;
        this.ticketStart = ticketStart.getEpochSecond();
        this.ticketSpan = ticketSpanSeconds;
        this.tickets = tickets;
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 64);
        server.setExecutor(Executors.newFixedThreadPool(2));
        server.createContext("/api/v2/audit_logs.json", this::auditPage);
        server.createContext("/api/v2/incremental/tickets/cursor.json", this::ticketPage);
        server.start();
    }

    String baseUrl() {
        return "http://localhost:" + server.getAddress().getPort();
    }

    /** The time of audit record {@code i} (epoch seconds). */
    long auditTime(long i) {
        return auditStart + (i / perDay) * DAY + (i % perDay) * DAY / perDay;
    }

    /** The first audit record at or after {@code t}. */
    private long firstAuditAtOrAfter(long t) {
        long s = t - auditStart;
        if (s <= 0) return 0;
        long index = (s / DAY) * perDay + ((s % DAY) * perDay + DAY - 1) / DAY;
        return Math.min(index, audits);
    }

    /** The audit record as Zendesk sends it. */
    String auditLine(long i) {
        String created = iso(auditTime(i));
        long id = i + 1;
        return "{\"id\":" + id + ",\"url\":\"https://example.zendesk.com/api/v2/audit_logs/" + id + ".json\",\"action\":\"update\","
                + "\"action_label\":\"Updated\",\"actor_id\":7,\"actor_name\":\"Admin\",\"source_type\":\"user\",\"source_id\":" + id
                + ",\"source_label\":\"User " + id + "\",\"change_description\":\"Role changed from agent to admin\","
                + "\"ip_address\":\"203.0.113.9\",\"created_at\":\"" + created + "\"}";
    }

    long ticketTime(long i) {
        return ticketStart + i * ticketSpan / tickets;
    }

    private long firstTicketAtOrAfter(long t) {
        long s = t - ticketStart;
        if (s <= 0) return 0;
        return Math.min((s * tickets + ticketSpan - 1) / ticketSpan, tickets);
    }

    /** A ticket version as the export sends it (a ticket of a few hundred bytes). */
    String ticketLine(long i) {
        long ts = ticketTime(i);
        return "{\"id\":" + (i + 1) + ",\"url\":\"https://example.zendesk.com/api/v2/tickets/" + (i + 1) + ".json\",\"subject\":\"Cannot sign in"
                + " after the password reset\",\"description\":\"The agent reports that the customer cannot sign in after resetting the"
                + " password; the reset mail arrived and the link worked, but the new password is refused.\",\"status\":\"open\","
                + "\"priority\":\"normal\",\"requester_id\":" + (1000 + i % 977) + ",\"assignee_id\":42,\"tags\":[\"login\",\"password\"],"
                + "\"created_at\":\"" + iso(ticketStart) + "\",\"updated_at\":\"" + iso(ts) + "\",\"generated_timestamp\":" + ts + "}";
    }

    private void auditPage(HttpExchange exchange) throws IOException {
        auditRequests.incrementAndGet();
        Map<String, List<String>> q = query(exchange);
        List<String> window = q.get("filter[created_at][]");
        long from = Instant.parse(window.get(0)).getEpochSecond();
        long to = Instant.parse(window.get(1)).getEpochSecond();
        int size = Integer.parseInt(first(q, "page[size]", "100"));
        long end = firstAuditAtOrAfter(to + 1);
        String after = first(q, "page[after]", null);
        long start = after == null ? firstAuditAtOrAfter(from) : Long.parseLong(after) + 1;
        long stop = Math.min(start + size, end);
        StringBuilder body = new StringBuilder(size * 400).append("{\"audit_logs\":[");
        for (long i = start; i < stop; i++) body.append(i == start ? "" : ",").append(auditLine(i));
        boolean more = stop < end;
        String cursor = stop > start ? String.valueOf(stop - 1) : null;
        body.append("],\"meta\":{\"has_more\":").append(more).append(",\"after_cursor\":")
                .append(cursor == null ? "null" : "\"" + cursor + "\"").append(",\"before_cursor\":null},\"links\":{\"next\":")
                .append(cursor == null ? "null" : "\"https://example.zendesk.com/api/v2/audit_logs.json?page[after]=" + cursor + "\"")
                .append("}}");
        send(exchange, body);
    }

    private void ticketPage(HttpExchange exchange) throws IOException {
        ticketRequests.incrementAndGet();
        Map<String, List<String>> q = query(exchange);
        long end = firstTicketAtOrAfter(Instant.now().getEpochSecond() - 59); // the export leaves out the last minute
        String cursor = first(q, "cursor", null);
        long start = cursor != null ? Long.parseLong(cursor) : firstTicketAtOrAfter(Long.parseLong(first(q, "start_time", "0")));
        int perPage = Integer.parseInt(first(q, "per_page", "1000"));
        long stop = Math.min(start + perPage, end);
        StringBuilder body = new StringBuilder(perPage * 700).append("{\"tickets\":[");
        for (long i = start; i < stop; i++) body.append(i == start ? "" : ",").append(ticketLine(i));
        String next = String.valueOf(Math.max(stop, start));
        body.append("],\"after_cursor\":\"").append(next).append("\",\"after_url\":\"https://example.zendesk.com/api/v2/incremental/tickets/cursor.json?cursor=")
                .append(next).append("\",\"before_cursor\":null,\"before_url\":null,\"end_of_stream\":").append(stop >= end).append('}');
        send(exchange, body);
    }

    private static void send(HttpExchange exchange, StringBuilder body) throws IOException {
        byte[] bytes = body.toString().getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        exchange.getResponseHeaders().add("Date", DateTimeFormatter.RFC_1123_DATE_TIME.format(Instant.now().atOffset(ZoneOffset.UTC)));
        exchange.sendResponseHeaders(200, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    private static Map<String, List<String>> query(HttpExchange exchange) {
        Map<String, List<String>> q = new HashMap<>();
        String raw = exchange.getRequestURI().getRawQuery();
        if (raw == null) return q;
        for (String pair : raw.split("&")) {
            int eq = pair.indexOf('=');
            String name = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
            String value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            q.computeIfAbsent(name, k -> new ArrayList<>()).add(value);
        }
        return q;
    }

    private static String first(Map<String, List<String>> q, String name, String otherwise) {
        List<String> v = q.get(name);
        return v == null || v.isEmpty() ? otherwise : v.get(0);
    }

    static String iso(long epochSecond) {
        return Instant.ofEpochSecond(epochSecond).toString();
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
