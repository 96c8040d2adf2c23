package io.zendeskcrm.collector.zendesk;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.zendeskcrm.collector.sink.NdjsonEncoder;
import io.zendeskcrm.collector.sink.RecordIdentity;
import io.zendeskcrm.collector.stream.Page;
import io.zendeskcrm.collector.stream.ZendeskStream;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.jboss.logging.Logger;

/**
 * A Zendesk endpoint read oldest first over a time window with cursor pagination ({@code page[size]},
 * {@code page[after]}, stop when {@code meta.has_more} is false). Audit logs are one; the
 * {@link Endpoint} says what differs between such endpoints, the rules below are shared.
 *
 * <p>Zendesk does not promise that records become visible in time order, so each window starts
 * {@code overlap} before the previous one ended and ends {@code delay} before now by Zendesk's clock
 * ({@link ZendeskTime}); records already written inside the overlap are skipped by {@code id}. Window bounds are whole UTC seconds in the
 * documented {@code yyyy-mm-ddThh:mm:ssZ} form, both inclusive, because record times have whole seconds.
 *
 * <p>Position: {@code watermark} (everything before it has been read, late records aside),
 * {@code recent} (the ids written at or after {@code recent_from}, by second: exactly the seconds the
 * next window re-reads) and, while a window is open, {@code window_start}, {@code window_end},
 * {@code keep_from} (the ids of records at or after it are kept for the next window: fixed when the
 * window opens, so that an overlap changed while it is open cannot leave earlier pages' ids out),
 * {@code after_cursor}, {@code last_time} and, once a loss to the retention has been reported,
 * {@code gap_until}; {@code after_parameter} when the answers' {@code links.next} send the cursor in
 * another parameter than {@code page[after]}.
 */
public final class WindowedStream implements ZendeskStream {
    private static final Logger LOG = Logger.getLogger(WindowedStream.class);

    /**
     * What one windowed endpoint is.
     *
     * @param name         the stream's name
     * @param recordsField the response's array of records
     * @param idField      the field that identifies a record
     * @param timeField    the field that dates a record (whole seconds, ISO 8601)
     * @param pageSize     {@code page[size]}
     * @param scopeHint    what a 403 means here
     * @param badRequestHint what to check after a 400 besides the window, or null
     * @param retention    how long Zendesk keeps the records, or null for ever
     * @param request      the request for one page of a window
     */
    public record Endpoint(String name, String recordsField, String idField, String timeField, int pageSize,
                           String scopeHint, String badRequestHint, Duration retention, Request request) {}

    /**
     * How far inside the retention period a stream starts: records at its very edge may be deleted
     * while the first pages are read.
     */
    static final Duration RETENTION_MARGIN = Duration.ofMinutes(10);

    private static final String PAGE_AFTER = "page[after]";

    /**
     * One page of a window: whole-second bounds, the page size and the cursor (null on the first page), with
     * the name of the parameter to send it in (the one the last answer's {@code links.next} used).
     */
    @FunctionalInterface
    public interface Request {
        ZendeskClient.Call page(String start, String end, int pageSize, String afterParameter, String after);
    }

    private final ZendeskClient client;
    private final ZendeskTime time;
    private final Endpoint endpoint;
    private final Duration lookback;
    private final Instant configuredStart;
    private final Duration overlap;
    private final Duration delay;
    private final TimestampField timestamp;
    private final NdjsonEncoder encoder;
    /** The pages this pass has read, by window and cursor, to tell pages that lead back to one of them. */
    private final Set<String> asked = new HashSet<>();
    /** The end of the window this pass opened before Zendesk had answered, by the local clock; or null. */
    private Instant localEnd;

    /**
     * @param time    Zendesk's clock, by which windows end
     * @param overlap at least one second, so that the last second of a window is read again by the next
     */
    public WindowedStream(ZendeskClient client, ZendeskTime time, Endpoint endpoint, Duration lookback, Instant configuredStart,
                          Duration overlap, Duration delay, TimestampField timestamp, NdjsonEncoder encoder) {
        if (overlap.compareTo(Duration.ofSeconds(1)) < 0) throw new IllegalArgumentException("overlap must be at least 1 s");
        this.client = client;
        this.time = time;
        this.endpoint = endpoint;
        this.lookback = lookback;
        this.configuredStart = configuredStart;
        this.overlap = overlap;
        this.delay = delay;
        this.timestamp = timestamp;
        this.encoder = encoder;
    }

    @Override
    public String name() {
        return endpoint.name();
    }

    @Override
    public ObjectNode initialPosition(Instant now) {
        Instant start = ceilSecond(configuredStart != null ? configuredStart : now.minus(lookback));
        Optional<Instant> oldest = oldestKept(now);
        if (oldest.isPresent() && start.isBefore(oldest.get())) {
            LOG.warnf("%s: %s (%s) is older than the %d days Zendesk keeps %s; starting at %s, the oldest moment it still has",
                    name(), configuredStart != null ? "START_TIME" : "LOOKBACK_SECONDS", start, endpoint.retention().toDays(),
                    endpoint.recordsField(), oldest.get());
            start = oldest.get();
        }
        ObjectNode p = JsonNodeFactory.instance.objectNode().put("watermark", start.toString())
                .put("recent_from", start.toString());
        p.putObject("recent");
        return p;
    }

    /**
     * The first window's first page not read: no cursor, no ids kept, and the ids' cover starting at the
     * watermark, which only a stream's first position does (a closed window leaves the overlap before it).
     */
    @Override
    public boolean collectedNothing(ObjectNode position) {
        return afterCursor(position) == null && position.path("recent").isEmpty() && position.path("recent_segments").isEmpty()
                && position.path("recent_from").isTextual() && position.get("recent_from").equals(position.get("watermark"));
    }

    @Override
    public Optional<String> positionProblem(ObjectNode position) {
        Optional<String> idle = PositionFields.first(PositionFields.time(position, "watermark"),
                PositionFields.optionalTime(position, "recent_from"), recentProblem(position));
        if (idle.isPresent() || !position.has("window_end") && !position.has("window_start")) return idle;
        String after = "Zendesk's after_cursor (a text)";
        return PositionFields.first(PositionFields.time(position, "window_start"), PositionFields.time(position, "window_end"),
                PositionFields.optionalTime(position, "keep_from"),
                PositionFields.time(position, position.has("last_time") ? "last_time" : "last_created_at"),
                PositionFields.optionalText(position, "after_cursor", after),
                PositionFields.optionalTime(position, "gap_until"),
                PositionFields.optionalCount(position, "gap_seconds", "a number of seconds"),
                position.has("after_parameter") && !ListAnswer.Rest.CURSOR_PARAMETERS.contains(position.path("after_parameter").asText())
                        ? PositionFields.wrong("after_parameter", position.get("after_parameter"), "one of "
                                + ListAnswer.Rest.CURSOR_PARAMETERS) : Optional.empty());
    }

    /** {@code recent}: {@code {"<second>": ["<id>", ...]}} (or the earlier {@code {"<id>": "<time>"}}). */
    private static Optional<String> recentProblem(ObjectNode position) {
        JsonNode recent = position.get("recent");
        if (recent == null) return Optional.empty();
        String expected = "an object of ids by second, such as {\"2026-11-20T11:55:13Z\": [\"90817\"]}";
        if (!recent.isObject()) return PositionFields.wrong("recent", recent, expected);
        try {
            RecentIds.of(recent);
            return Optional.empty();
        } catch (DateTimeParseException e) {
            return PositionFields.wrong("recent", recent, expected);
        }
    }

    /** @param now the local clock, which stands in for Zendesk's only until Zendesk has answered */
    @Override
    public Optional<ObjectNode> nextRequest(ObjectNode position, Instant now) {
        Optional<Instant> shown = time.shown();
        Instant zendeskNow = shown.orElse(now);
        if (position.has("window_end")) return Optional.of(resumed(position, zendeskNow));
        ObjectNode window = open(position, zendeskNow);
        if (window == null && shown.isEmpty()) {
            // Only the local clock says nothing is new, and it may be behind Zendesk's: a window of one
            // second past the watermark asks Zendesk, and its first answer moves the end to Zendesk's time.
            window = open(position, instant(position, "watermark").plusSeconds(1).plus(delay));
        }
        if (window != null && shown.isEmpty()) localEnd = windowEnd(window);
        return Optional.ofNullable(window);
    }

    @Override
    public Page fetch(ObjectNode window, Instant now) {
        String start = windowStart(window).toString();
        String end = windowEnd(window).toString();
        String after = afterCursor(window);
        String where = "window " + start + ".." + end + (after != null ? " after " + after : "");
        Page page = client.get(name(), where, new ZendeskClient.Hints(endpoint.scopeHint(), endpoint.badRequestHint()),
                endpoint.request().page(start, end, endpoint.pageSize(), afterParameter(window), after), body -> page(window, body));
        return after == null ? checkEnd(window, page) : page;
    }

    /**
     * The first page of a window, checked against Zendesk's clock. A window that ends more than a few
     * seconds past Zendesk's present less the delay (opened by a local clock that runs ahead, before
     * Zendesk had answered) would close past records Zendesk has not created yet; one that this pass
     * opened by a local clock behind Zendesk's would leave every pass behind. Either is opened again
     * with Zendesk's end and its first page dropped, nothing of it written.
     */
    private Page checkEnd(ObjectNode window, Page page) {
        Optional<Instant> shown = time.shown();
        if (shown.isEmpty()) return page; // no Date header: the local clock is all there is
        Instant end = end(shown.get());
        Duration early = Duration.between(windowEnd(window), end);
        boolean pastZendesk = early.compareTo(ZendeskTime.TOLERANCE.negated()) < 0;
        // Only a window opened by this pass's local clock: a window resumed from an earlier pass ended by
        // Zendesk's time then, and is behind now only because time has passed.
        boolean behindZendesk = early.compareTo(ZendeskTime.TOLERANCE) > 0 && windowEnd(window).equals(localEnd)
                && time.localClockOff().isPresent();
        if (!pastZendesk && !behindZendesk) return page;
        LOG.infof("%s: the window %s..%s was opened by the local clock; it is read again up to %s, by Zendesk's clock (%s)",
                name(), windowStart(window), windowEnd(window), end, shown.get());
        ObjectNode corrected = end.isAfter(instant(window, "watermark"))
                ? window(window, windowStart(window), end) : idle(window);
        return new Page(encoder.builder().finish(), corrected, false, page.keyTime(), page.request(), 0, 0, null);
    }

    /** A window ends {@code delay} before Zendesk's present, at a whole second. */
    private Instant end(Instant zendeskNow) {
        return floorSecond(zendeskNow.minus(delay));
    }

    /** The window after the watermark, or null when it would be empty (the last run was moments ago). */
    ObjectNode open(ObjectNode idle, Instant now) {
        Instant watermark = instant(idle, "watermark");
        Instant end = end(now);
        if (!end.isAfter(watermark)) return null;
        // The overlap reaches back no further than `recent` covers: a raised overlap cannot re-read
        // records whose ids were not kept, so it takes effect from the next window on.
        Instant start = watermark.minus(overlap);
        if (idle.has("recent_from")) {
            Instant covered = instant(idle, "recent_from");
            if (covered.isAfter(start)) start = covered;
        }
        start = ceilSecond(start);
        long lost = 0;
        Optional<Instant> oldest = oldestKept(now);
        if (oldest.isPresent() && start.isBefore(oldest.get())) {
            // The collector was off for longer than Zendesk keeps records: say what is lost, then carry on.
            if (watermark.isBefore(oldest.get())) {
                lost = Duration.between(watermark, oldest.get()).toSeconds();
                LOG.warnf("%s: records from %s to %s are older than the %d days Zendesk keeps them and cannot be"
                        + " collected any more (a gap of %d s); carrying on from %s", name(), watermark, oldest.get(),
                        endpoint.retention().toDays(), lost, oldest.get());
            }
            start = oldest.get();
        }
        ObjectNode w = window(idle, start, end);
        if (lost > 0) w.put("gap_seconds", lost);
        return w;
    }

    /** {@code base} with a window from {@code start} to {@code end} opened on it, before its first page. */
    private ObjectNode window(ObjectNode base, Instant start, Instant end) {
        ObjectNode w = base.deepCopy();
        w.put("window_start", start.toString());
        w.put("window_end", end.toString());
        w.put("keep_from", end.minus(overlap).toString());
        w.putNull("after_cursor");
        w.put("last_time", start.toString());
        return w;
    }

    /** The position a window was opened on: the window dropped, the watermark where it was. */
    private static ObjectNode idle(ObjectNode window) {
        ObjectNode idle = window.deepCopy();
        idle.remove(List.of("window_start", "window_end", "keep_from", "after_cursor", "last_time", "gap_seconds", "gap_until"));
        return idle;
    }

    /**
     * An open window resumed, maybe after an outage: what Zendesk deleted before it was read is lost, and
     * said so once ({@code gap_until} remembers how far the loss was reported), as when a window opens.
     */
    private ObjectNode resumed(ObjectNode window, Instant now) {
        if (endpoint.retention() == null) return window;
        Instant readTo = lastTime(window);
        if (window.has("gap_until") && instant(window, "gap_until").isAfter(readTo)) readTo = instant(window, "gap_until");
        Instant deleted = floorSecond(now.minus(endpoint.retention()));
        // Past the window's end the next window takes over, and reports its own loss when it opens.
        Instant lostTo = deleted.isBefore(windowEnd(window)) ? deleted : windowEnd(window);
        if (!lostTo.isAfter(readTo)) return window;
        long lost = Duration.between(readTo, lostTo).toSeconds();
        LOG.warnf("%s: records from %s to %s of the open window were deleted (Zendesk keeps them %d days) before they"
                + " could be collected (a gap of %d s); carrying on with the window", name(), readTo, lostTo,
                endpoint.retention().toDays(), lost);
        ObjectNode w = window.deepCopy();
        w.put("gap_seconds", lost).put("gap_until", lostTo.toString());
        return w;
    }

    /** Turns one answer, read as it arrives, into a page for the open window {@code window}; tested on fixture JSON. */
    Page page(ObjectNode window, InputStream body) throws IOException {
        String request = "window=" + windowStart(window) + ".." + windowEnd(window) + ";after="
                + Optional.ofNullable(afterCursor(window)).orElse("");
        Instant windowEnd = windowEnd(window);
        asked.add(windowStart(window) + ".." + windowEnd + " after " + afterCursor(window));
        Instant keepFrom = keepFrom(window); // the next window starts here
        RecentIds recent = RecentIds.of(window.path("recent"));
        Instant keyTime = lastTime(window);
        Instant[] last = {keyTime};
        Instant[] newest = {null};
        NdjsonEncoder.Builder records = encoder.builder();
        int[] reread = {0};
        int[] withoutId = {0};
        ListAnswer.Rest answer = ListAnswer.read(body, endpoint.recordsField(), (i, entry, sent) -> {
            if (!entry.isObject()) {
                throw new ZendeskException(name() + ": entry " + i + " of the page at " + request + " is "
                        + entry.getNodeType().name().toLowerCase() + ", not a record; the page is not written", 0);
            }
            ObjectNode record = (ObjectNode) entry;
            if (!hasId(record)) withoutId[0]++;
            Instant time = time(record);
            String added = timestamp.add(record, endpoint.timeField());
            String identity = identity(record);
            if (recent.contains(identity)) {
                reread[0]++; // already written by an earlier, overlapping window
                return;
            }
            if (time.isAfter(last[0])) last[0] = time;
            if (newest[0] == null || time.isAfter(newest[0])) newest[0] = time;
            if (!time.isBefore(keepFrom)) recent.add(time, identity);
            records.add(sent, added);
        });
        AnswerFields fields = new AnswerFields(name(), request);
        if (!answer.hadRecords()) {
            JsonNode listed = answer.rest().get(endpoint.recordsField());
            if (listed != null) throw fields.notAList(endpoint.recordsField(), listed);
            throw new ZendeskException(name() + ": the response at " + request + " has no \"" + endpoint.recordsField()
                    + "\" array", 0);
        }
        if (withoutId[0] > 0) {
            LOG.warnf("%s: %d records without \"%s\" on the page at %s; written all the same, recognised by content",
                    name(), withoutId[0], endpoint.idField(), request);
        }
        JsonNode meta = fields.object(answer.rest(), "meta", "meta");
        boolean hasMore = fields.bool(meta, "has_more", "meta.has_more", false);
        String nextCursor = fields.text(meta, "after_cursor", "meta.after_cursor", "a text (the next cursor)");
        fields.text(fields.object(answer.rest(), "links", "links"), "next", "links.next", "a text (the next page's address)");
        if (hasMore) {
            if (nextCursor == null) {
                throw new ZendeskException(name() + ": Zendesk said has_more without an after_cursor at " + request, 0);
            }
            if (nextCursor.equals(afterCursor(window))) {
                throw new StuckCursorException(name() + ": Zendesk answered the page at " + request + " with has_more and"
                        + " the same after_cursor: the cursor does not move; the stream stops here, and the next run asks again");
            }
            if (!asked.add(windowStart(window) + ".." + windowEnd + " after " + nextCursor)) {
                // A cursor this pass already read the window with: the pages go round in a circle, and would be written again.
                throw new StuckCursorException(name() + ": Zendesk answered the page at " + request + " with has_more and"
                        + " after_cursor " + nextCursor + ", which this pass has already read: the pages go round in a circle;"
                        + " the stream stops here, and the next run asks again");
            }
            ObjectNode next = window.deepCopy();
            next.set("recent", recent.toJson());
            next.put("after_cursor", nextCursor).put("last_time", last[0].toString());
            String parameter = answer.cursorParameter(nextCursor).orElse(afterParameter(window));
            if (parameter.equals(PAGE_AFTER)) next.remove("after_parameter"); else next.put("after_parameter", parameter);
            next.remove("last_created_at");
            return new Page(records.finish(), next, false, keyTime, request, reread[0], withoutId[0], newest[0]);
        }
        // Window done: the watermark moves to its end and only ids the next window can see again are kept.
        ObjectNode next = JsonNodeFactory.instance.objectNode().put("watermark", windowEnd.toString())
                .put("recent_from", keepFrom.toString());
        next.set("recent", recent.from(keepFrom).toJson());
        return new Page(records.finish(), next, true, keyTime, request, reread[0], withoutId[0], newest[0]);
    }

    /** Records an earlier pass wrote for this request that are not on the page: skipped when met again. */
    @Override
    public ObjectNode alreadyWritten(ObjectNode next, List<ObjectNode> records) {
        if (records.isEmpty()) return next;
        boolean open = next.has("window_end");
        Instant from = open ? Instant.MIN : instant(next, "recent_from");
        RecentIds recent = RecentIds.of(next.path("recent"));
        for (ObjectNode record : records) {
            Instant time = time(record);
            if (!time.isBefore(from)) recent.add(time, identity(record));
        }
        ObjectNode adjusted = next.deepCopy();
        adjusted.set("recent", recent.toJson());
        return adjusted;
    }

    /** The oldest moment the endpoint still holds records for, with a margin, if it deletes them at all. */
    private Optional<Instant> oldestKept(Instant now) {
        return Optional.ofNullable(endpoint.retention()).map(r -> ceilSecond(now.minus(r).plus(RETENTION_MARGIN)));
    }

    @Override
    public long gapSeconds(ObjectNode request) {
        return request.path("gap_seconds").asLong(0);
    }

    @Override
    public Instant positionTime(ObjectNode position) {
        return position.has("window_end") ? lastTime(position) : instant(position, "watermark");
    }

    @Override
    public ObjectNode describe(ObjectNode position) {
        ObjectNode shown = position.deepCopy();
        shown.remove("recent");
        shown.put("recent_ids", RecentIds.of(position.path("recent")).size());
        return shown;
    }

    private boolean hasId(ObjectNode record) {
        JsonNode id = record.get(endpoint.idField());
        return id != null && !id.isNull() && !id.asText().isEmpty();
    }

    /** The record's id, or for a record without one a hash of its content (it is written all the same). */
    private String identity(ObjectNode record) {
        if (hasId(record)) return record.get(endpoint.idField()).asText();
        return RecordIdentity.contentHash(record); // as the stored line is named when the chain is compared
    }

    private Instant time(ObjectNode record) {
        JsonNode value = record.get(endpoint.timeField());
        try {
            return OffsetDateTime.parse(value == null ? "" : value.asText()).toInstant();
        } catch (DateTimeParseException e) {
            String which = hasId(record) ? endpoint.idField() + " " + record.get(endpoint.idField()).asText() : "without an id";
            throw new ZendeskException(name() + ": the record " + which + " has " + endpoint.timeField() + " "
                    + (value == null ? "missing" : value.toString()) + ", not an ISO 8601 time; the page is not written", 0);
        }
    }

    private Instant windowStart(ObjectNode window) {
        return ceilSecond(instant(window, "window_start")); // a checkpoint of an older version may carry a fraction
    }

    private Instant windowEnd(ObjectNode window) {
        return floorSecond(instant(window, "window_end"));
    }

    /** Where the window's kept ids begin; a window opened by an earlier version has no {@code keep_from}. */
    private Instant keepFrom(ObjectNode window) {
        return window.has("keep_from") ? instant(window, "keep_from") : windowEnd(window).minus(overlap);
    }

    private Instant lastTime(ObjectNode window) {
        return instant(window, window.has("last_time") ? "last_time" : "last_created_at");
    }

    /** The parameter the cursor is sent in: {@code page[after]} unless an answer named another. */
    private static String afterParameter(ObjectNode window) {
        return window.path("after_parameter").asText(PAGE_AFTER);
    }

    private static String afterCursor(ObjectNode window) {
        return window.path("after_cursor").isTextual() ? window.get("after_cursor").asText() : null;
    }

    private Instant instant(JsonNode position, String field) {
        try {
            return Instant.parse(position.path(field).asText());
        } catch (DateTimeParseException e) {
            throw new ZendeskException(name() + ": the checkpoint position has no valid \"" + field + "\"", 0);
        }
    }

    static Instant floorSecond(Instant t) {
        return t.truncatedTo(ChronoUnit.SECONDS);
    }

    static Instant ceilSecond(Instant t) {
        Instant floor = floorSecond(t);
        return floor.equals(t) ? t : floor.plusSeconds(1);
    }
}
