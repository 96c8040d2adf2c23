package io.zendeskcrm.collector.zendesk;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * {@code incremental_tickets}: the cursor-based incremental ticket export.
 *
 * <p>Pagination: the first request sends {@code start_time}, every later one {@code cursor=<after_cursor>}.
 * The response has no {@code links} or {@code meta}; {@code after_url} stays set even at the end, so the
 * stream ends on {@code end_of_stream: true}, and that last {@code after_cursor} is kept for the next
 * run. An empty page with {@code end_of_stream: false} is not the end.
 *
 * <p>Position: {@code {"start_time": <epoch s>}} before the first page, then
 * {@code {"cursor": "...", "generated_timestamp": <epoch s>}}, the highest {@code generated_timestamp}
 * collected so far (the export's own ordering field), which dates object keys and measures lag.
 */
public final class TicketStream implements ZendeskStream {
    public static final String NAME = "incremental_tickets";
    /** Zendesk refuses a start_time less than a minute in the past. */
    static final Duration MIN_START_AGE = Duration.ofSeconds(61);
    static final int PAGE_SIZE = 1000;
    static final String SCOPE_HINT = "the credentials need the tickets:read (or read) scope and an agent or admin role";

    private final ZendeskClient client;
    private final Duration lookback;
    private final Instant configuredStart;
    private final TimestampField timestamp;

    /** @param configuredStart {@code START_TIME}, or null to start {@code lookback} before the first run */
    public TicketStream(ZendeskClient client, Duration lookback, Instant configuredStart, TimestampField timestamp) {
        this.client = client;
        this.lookback = lookback;
        this.configuredStart = configuredStart;
        this.timestamp = timestamp;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public ObjectNode initialPosition(Instant now) {
        Instant start = configuredStart != null ? configuredStart : now.minus(lookback);
        Instant latest = now.minus(MIN_START_AGE);
        if (start.isAfter(latest)) start = latest;
        return JsonNodeFactory.instance.objectNode().put("start_time", start.getEpochSecond());
    }

    @Override
    public Optional<ObjectNode> nextRequest(ObjectNode position, Instant now) {
        return Optional.of(position); // the export itself says whether anything is new
    }

    @Override
    public Page fetch(ObjectNode position, Instant now) {
        String cursor = text(position, "cursor");
        Long startTime = cursor == null ? requiredLong(position, "start_time") : null;
        String where = cursor != null ? "cursor " + cursor : "start_time " + startTime;
        JsonNode body = client.get(NAME, where, SCOPE_HINT,
                (api, auth) -> api.tickets(auth, startTime, cursor, PAGE_SIZE, "all"));
        return page(position, body);
    }

    /** Turns one export response into a page; pure, so it is tested on fixture JSON. */
    public Page page(ObjectNode position, JsonNode body) {
        JsonNode tickets = body.get("tickets");
        if (tickets == null || !tickets.isArray()) {
            throw new ZendeskException(NAME + ": the export response has no \"tickets\" array", 0);
        }
        String cursor = text(position, "cursor");
        long watermark = cursor == null ? requiredLong(position, "start_time") : position.path("generated_timestamp").asLong(0);
        long keyTime = watermark;
        List<ObjectNode> records = new ArrayList<>(tickets.size());
        for (JsonNode t : tickets) {
            if (!t.isObject()) continue;
            ObjectNode ticket = (ObjectNode) t;
            watermark = Math.max(watermark, ticket.path("generated_timestamp").asLong(0));
            timestamp.add(ticket, "updated_at");
            records.add(ticket);
        }
        String after = text(body, "after_cursor");
        boolean end = body.path("end_of_stream").asBoolean(false);
        String nextCursor = after != null ? after : cursor; // a response without a cursor keeps the previous one
        ObjectNode next = JsonNodeFactory.instance.objectNode();
        if (nextCursor != null) {
            next.put("cursor", nextCursor).put("generated_timestamp", watermark);
        } else {
            next.put("start_time", watermark);
        }
        // A cursor that does not move would read the same page forever: treat it as the end for this run.
        boolean stuck = !end && nextCursor != null && nextCursor.equals(cursor);
        String request = cursor != null ? "cursor=" + cursor : "start_time=" + position.get("start_time").asLong();
        return new Page(records, next, end || stuck, Instant.ofEpochSecond(keyTime), request);
    }

    @Override
    public Instant positionTime(ObjectNode position) {
        return Instant.ofEpochSecond(position.has("cursor")
                ? position.path("generated_timestamp").asLong(0) : position.path("start_time").asLong(0));
    }

    private static String text(JsonNode node, String field) {
        JsonNode v = node.get(field);
        return v == null || v.isNull() || v.asText().isEmpty() ? null : v.asText();
    }

    private static long requiredLong(ObjectNode position, String field) {
        JsonNode v = position.get(field);
        if (v == null || !v.canConvertToLong()) {
            throw new ZendeskException(NAME + ": the checkpoint position " + position + " has neither cursor nor " + field, 0);
        }
        return v.asLong();
    }
}
