package io.zendeskcrm.collector.zendesk;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.zendeskcrm.collector.sink.NdjsonEncoder;
import io.zendeskcrm.collector.stream.Page;
import io.zendeskcrm.collector.stream.ZendeskStream;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;
import org.jboss.logging.Logger;

/**
 * {@code incremental_tickets}: the cursor-based incremental ticket export.
 *
 * <p>Pagination: the first request sends {@code start_time}, every later one {@code cursor=<after_cursor>}.
 * The response has no {@code links} or {@code meta}; {@code after_url} stays set even at the end, so the
 * stream ends on {@code end_of_stream: true}, and that last {@code after_cursor} is kept for the next
 * run. An empty page with {@code end_of_stream: false} is not the end. A page without
 * {@code end_of_stream} whose {@code after_cursor} is missing or the one asked for would be read again
 * for ever: the stream fails there, naming the position ({@link StuckCursorException}).
 *
 * <p>Position: {@code {"start_time": <epoch s>}} before the first page, then
 * {@code {"cursor": "...", "generated_timestamp": <epoch s>}}, the highest {@code generated_timestamp}
 * collected so far (the export's own ordering field), which dates object keys and measures lag.
 */
public final class TicketStream implements ZendeskStream {
    private static final Logger LOG = Logger.getLogger(TicketStream.class);
    public static final String NAME = "incremental_tickets";
    /** Zendesk refuses a start_time less than a minute in the past. */
    static final Duration MIN_START_AGE = Duration.ofSeconds(61);
    /** Zendesk leaves the last minute of changes out of the export, and lists them later. */
    static final Duration EXPORT_HORIZON = Duration.ofMinutes(1);
    static final int PAGE_SIZE = 1000;
    static final String SCOPE_HINT = "the credentials need the tickets:read (or read) scope and an agent or admin role";

    private final ZendeskClient client;
    private final Duration lookback;
    private final Instant configuredStart;
    private final TimestampField timestamp;
    private final NdjsonEncoder encoder;
    /** The requests this pass has read, to tell an export that leads back to one of them. */
    private final Set<String> asked = new HashSet<>();

    /** @param configuredStart {@code START_TIME}, or null to start {@code lookback} before the first run */
    public TicketStream(ZendeskClient client, Duration lookback, Instant configuredStart, TimestampField timestamp,
                        NdjsonEncoder encoder) {
        this.client = client;
        this.lookback = lookback;
        this.configuredStart = configuredStart;
        this.timestamp = timestamp;
        this.encoder = encoder;
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

    /** No cursor yet: the export has not answered a page (or, rarely, its only page had none, which AlreadyStored covers). */
    @Override
    public boolean collectedNothing(ObjectNode position) {
        return text(position, "cursor") == null;
    }

    @Override
    public Optional<String> positionProblem(ObjectNode position) {
        JsonNode cursor = position.get("cursor");
        if (cursor == null || cursor.isNull()) {
            JsonNode start = position.get("start_time");
            if (start == null || start.isNull()) return Optional.of("has neither \"cursor\" nor \"start_time\"");
            return PositionFields.optionalCount(position, "start_time", "a time in epoch seconds");
        }
        return PositionFields.first(PositionFields.optionalText(position, "cursor", "the export's after_cursor (a text)"),
                PositionFields.optionalCount(position, "generated_timestamp", "a time in epoch seconds"));
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
        return client.get(NAME, where, ZendeskClient.Hints.forbidden(SCOPE_HINT),
                (api, auth) -> api.tickets(auth, startTime, cursor, PAGE_SIZE, "all"), body -> page(position, body));
    }

    /** Turns one export answer, read as it arrives, into a page; tested on fixture JSON. */
    public Page page(ObjectNode position, InputStream body) throws IOException {
        String cursor = text(position, "cursor");
        String request = cursor != null ? "cursor=" + cursor : "start_time=" + position.get("start_time").asLong();
        asked.add(request);
        long keyTime = cursor == null ? requiredLong(position, "start_time") : position.path("generated_timestamp").asLong(0);
        NdjsonEncoder.Builder records = encoder.builder();
        long[] watermark = {keyTime};
        long[] newest = {-1};
        int[] withoutId = {0};
        ListAnswer.Rest answer = ListAnswer.read(body, "tickets", (i, t, sent) -> {
            if (!t.isObject()) {
                throw new ZendeskException(NAME + ": entry " + i + " of the page at " + request + " is "
                        + t.getNodeType().name().toLowerCase() + ", not a ticket; the page is not written", 0);
            }
            ObjectNode ticket = (ObjectNode) t;
            if (ticket.path("id").isMissingNode() || ticket.get("id").isNull()) withoutId[0]++;
            watermark[0] = Math.max(watermark[0], ticket.path("generated_timestamp").asLong(0));
            newest[0] = Math.max(newest[0], ticket.path("generated_timestamp").asLong(0));
            records.add(sent, timestamp.add(ticket, "updated_at"));
        });
        AnswerFields fields = new AnswerFields(NAME, request);
        if (!answer.hadRecords()) {
            JsonNode tickets = answer.rest().get("tickets");
            if (tickets != null) throw fields.notAList("tickets", tickets);
            throw new ZendeskException(NAME + ": the export response at " + request + " has no \"tickets\" array", 0);
        }
        if (withoutId[0] > 0) {
            LOG.warnf("%s: %d tickets without \"id\" on the page at %s; written all the same", NAME, withoutId[0], request);
        }
        JsonNode rest = answer.rest();
        String after = fields.text(rest, "after_cursor", "after_cursor", "a text (the next cursor)");
        if (after != null && after.isEmpty()) after = null;
        boolean end = fields.bool(rest, "end_of_stream", "end_of_stream", false);
        if (!end && after != null && !after.equals(cursor) && !asked.add("cursor=" + after)) {
            // A cursor this pass already asked with: the export goes round in a circle, and would write its pages again.
            throw new StuckCursorException(NAME + ": Zendesk answered " + request + " with after_cursor " + after + ", which"
                    + " this pass has already read, and no end_of_stream: the export goes round in a circle; the stream stops"
                    + " here, and the next run asks again");
        }
        if (!end && (after == null || after.equals(cursor))) {
            // The next request would be this one again, and so would every one after it. Not the end
            // either: the export is stuck here, which the run must not report as caught up.
            throw new StuckCursorException(NAME + ": Zendesk answered " + request + " with "
                    + (after == null ? "no after_cursor" : "the same after_cursor") + " and no end_of_stream: the export"
                    + " does not move on from there; the stream stops here, and the next run asks again");
        }
        // At the end, a missing cursor keeps the position asked from: the next run repeats that request,
        // and the write-once objects keep its records from being written twice.
        if (after == null) {
            return new Page(records.finish(), position.deepCopy(), true, Instant.ofEpochSecond(keyTime), request, 0, withoutId[0],
                    newest(newest[0]));
        }
        ObjectNode next = JsonNodeFactory.instance.objectNode().put("cursor", after).put("generated_timestamp", watermark[0]);
        return new Page(records.finish(), next, end, Instant.ofEpochSecond(keyTime), request, 0, withoutId[0], newest(newest[0]));
    }

    @Override
    public Instant positionTime(ObjectNode position) {
        return Instant.ofEpochSecond(position.has("cursor")
                ? position.path("generated_timestamp").asLong(0) : position.path("start_time").asLong(0));
    }

    /**
     * After the export's end, everything but Zendesk's last minute has been read (the export leaves that
     * minute out): a quiet account's watermark keeps up with Zendesk's clock although no ticket changes.
     */
    @Override
    public Instant readUpTo(ObjectNode position, boolean reachedEnd, Instant zendeskNow) {
        Instant newestCollected = positionTime(position);
        if (!reachedEnd) return newestCollected;
        Instant horizon = zendeskNow.minus(EXPORT_HORIZON).truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
        return horizon.isAfter(newestCollected) ? horizon : newestCollected;
    }

    private static Instant newest(long generatedTimestamp) {
        return generatedTimestamp < 0 ? null : Instant.ofEpochSecond(generatedTimestamp);
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
