package io.zendeskcrm.collector.zendesk;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@code audit_logs}: {@code GET /api/v2/audit_logs} read oldest first ({@code sort=created_at}) with cursor
 * pagination ({@code page[size]=100}, {@code page[after]}, stop when {@code meta.has_more} is false) over
 * a {@code filter[created_at][]} window. Offset pagination is not used: newest first it misses new
 * events, and Zendesk refuses it past page 100.
 *
 * <p>Zendesk does not promise that records become visible in {@code created_at} order, so each window
 * starts {@code overlap} before the previous one ended and ends {@code delay} before now; records
 * already written inside the overlap are skipped by {@code id}.
 *
 * <p>Position: {@code watermark} (everything created before it has been read, late records aside),
 * {@code recent} (id to {@code created_at} of records written at or after the next window's start),
 * and while a window is open {@code window_start}, {@code window_end}, {@code after_cursor} and
 * {@code last_created_at}.
 */
public final class AuditLogStream implements ZendeskStream {
    public static final String NAME = "audit_logs";
    static final int PAGE_SIZE = 100;
    static final String SCOPE_HINT = "audit logs need the Enterprise plan and an admin whose credentials have the"
            + " auditlogs:read (or read) scope";

    private final ZendeskClient client;
    private final Duration lookback;
    private final Instant configuredStart;
    private final Duration overlap;
    private final Duration delay;
    private final TimestampField timestamp;

    public AuditLogStream(ZendeskClient client, Duration lookback, Instant configuredStart, Duration overlap,
                          Duration delay, TimestampField timestamp) {
        this.client = client;
        this.lookback = lookback;
        this.configuredStart = configuredStart;
        this.overlap = overlap;
        this.delay = delay;
        this.timestamp = timestamp;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public ObjectNode initialPosition(Instant now) {
        Instant start = configuredStart != null ? configuredStart : now.minus(lookback);
        ObjectNode p = JsonNodeFactory.instance.objectNode().put("watermark", start.toString());
        p.putObject("recent");
        return p;
    }

    @Override
    public Optional<ObjectNode> nextRequest(ObjectNode position, Instant now) {
        return position.has("window_end") ? Optional.of(position) : Optional.ofNullable(open(position, now));
    }

    @Override
    public Page fetch(ObjectNode window, Instant now) {
        Instant start = instant(window, "window_start");
        Instant end = instant(window, "window_end");
        String after = window.path("after_cursor").isTextual() ? window.get("after_cursor").asText() : null;
        String where = "window " + start + ".." + end + (after != null ? " after " + after : "");
        JsonNode body = client.get(NAME, where, SCOPE_HINT,
                (api, auth) -> api.auditLogs(auth, List.of(start.toString(), end.toString()), "created_at", PAGE_SIZE, after));
        return page(window, body);
    }

    /** The window after the watermark, or null when it would be empty (the last run was moments ago). */
    ObjectNode open(ObjectNode idle, Instant now) {
        Instant watermark = instant(idle, "watermark");
        Instant end = now.minus(delay);
        if (!end.isAfter(watermark)) return null;
        ObjectNode w = idle.deepCopy();
        w.put("window_start", watermark.minus(overlap).toString());
        w.put("window_end", end.toString());
        w.putNull("after_cursor");
        w.put("last_created_at", watermark.minus(overlap).toString());
        return w;
    }

    /** Turns one response into a page for the open window {@code window}; pure, so it is tested on fixture JSON. */
    Page page(ObjectNode window, JsonNode body) {
        JsonNode logs = body.get("audit_logs");
        if (logs == null || !logs.isArray()) {
            throw new ZendeskException(NAME + ": the response has no \"audit_logs\" array", 0);
        }
        Instant windowEnd = instant(window, "window_end");
        Instant keepFrom = windowEnd.minus(overlap); // the next window starts here
        ObjectNode recent = window.path("recent").isObject() ? ((ObjectNode) window.get("recent")).deepCopy()
                : JsonNodeFactory.instance.objectNode();
        Instant last = instant(window, "last_created_at");
        List<ObjectNode> records = new ArrayList<>();
        for (JsonNode node : logs) {
            if (!node.isObject() || !node.has("id")) continue;
            ObjectNode record = (ObjectNode) node;
            String id = record.get("id").asText();
            if (recent.has(id)) continue; // already written by an earlier, overlapping window
            Instant created = createdAt(record);
            if (created.isAfter(last)) last = created;
            if (!created.isBefore(keepFrom)) recent.put(id, created.toString());
            timestamp.add(record, "created_at");
            records.add(record);
        }
        JsonNode meta = body.path("meta");
        boolean hasMore = meta.path("has_more").asBoolean(false);
        String afterCursor = meta.path("after_cursor").isTextual() ? meta.get("after_cursor").asText() : null;
        String request = "window=" + window.get("window_start").asText() + ".." + window.get("window_end").asText()
                + ";after=" + window.path("after_cursor").asText("");
        Instant keyTime = instant(window, "last_created_at");

        if (hasMore) {
            if (afterCursor == null) {
                throw new ZendeskException(NAME + ": Zendesk said has_more without an after_cursor at " + request, 0);
            }
            ObjectNode next = window.deepCopy();
            next.set("recent", recent);
            next.put("after_cursor", afterCursor).put("last_created_at", last.toString());
            return new Page(records, next, false, keyTime, request);
        }
        // Window done: the watermark moves to its end and only ids the next window can see again are kept.
        ObjectNode next = JsonNodeFactory.instance.objectNode().put("watermark", windowEnd.toString());
        ObjectNode kept = next.putObject("recent");
        for (Iterator<Map.Entry<String, JsonNode>> it = recent.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            if (!Instant.parse(e.getValue().asText()).isBefore(keepFrom)) kept.set(e.getKey(), e.getValue());
        }
        // The window reached (now - delay) when it was opened: the next run opens the next one.
        return new Page(records, next, true, keyTime, request);
    }

    @Override
    public Instant positionTime(ObjectNode position) {
        return instant(position, position.has("window_end") ? "last_created_at" : "watermark");
    }

    private static Instant createdAt(ObjectNode record) {
        try {
            return java.time.OffsetDateTime.parse(record.path("created_at").asText()).toInstant();
        } catch (DateTimeParseException e) {
            throw new ZendeskException(NAME + ": audit log " + record.get("id").asText() + " has no valid created_at", 0);
        }
    }

    private static Instant instant(JsonNode position, String field) {
        try {
            return Instant.parse(position.path(field).asText());
        } catch (DateTimeParseException e) {
            throw new ZendeskException(NAME + ": the checkpoint position has no valid \"" + field + "\"", 0);
        }
    }
}
