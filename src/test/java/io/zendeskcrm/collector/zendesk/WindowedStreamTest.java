package io.zendeskcrm.collector.zendesk;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.zendeskcrm.collector.stream.Page;
import io.zendeskcrm.collector.sink.NdjsonEncoder;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The windowed cursor stream (audit logs' configuration), on response JSON as Zendesk documents it. */
class WindowedStreamTest {
    static final ObjectMapper JSON = new ObjectMapper();
    /** Real clocks have sub-second instants; what goes to Zendesk must not. */
    static final Instant NOW = Instant.parse("2026-11-20T12:00:00.660004746Z");
    /** Zendesk's clock as its answers showed it: NOW (whole seconds) unless a test moves it on. */
    final ZendeskTime zendesk = new ZendeskTime(Clock.fixed(NOW, ZoneOffset.UTC));
    final WindowedStream stream = stream(Duration.ofMinutes(10));

    {
        zendesk.observe(date(NOW));
    }

    WindowedStream stream(Duration overlap) {
        return stream(AuditLogStream.ENDPOINT, overlap);
    }

    WindowedStream stream(WindowedStream.Endpoint endpoint, Duration overlap) {
        return new WindowedStream(null, zendesk, endpoint, Duration.ofHours(1), null, overlap, Duration.ofMinutes(1),
                TimestampField.ON, ENCODER);
    }

    /** An HTTP {@code Date} header. */
    static String date(Instant t) {
        return DateTimeFormatter.RFC_1123_DATE_TIME.format(t.atOffset(ZoneOffset.UTC));
    }

    /** The next request once Zendesk's answers have shown {@code zendeskNow} (the local clock says the same). */
    ObjectNode next(ObjectNode position, Instant zendeskNow) {
        zendesk.observe(date(zendeskNow));
        return stream.nextRequest(position, zendeskNow).orElseThrow();
    }

    static final NdjsonEncoder ENCODER = new NdjsonEncoder(false);

    /** An answer's body as it arrives. */
    static InputStream body(String json) {
        return new ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8));
    }

    /** The page's records, read back from the object they are held in. */
    static List<ObjectNode> records(Page page) {
        return ENCODER.unpack(page.records().content()).stream().map(NdjsonEncoder::record).toList();
    }

    static String log(long id, String createdAt) {
        return "{\"id\":" + id + ",\"action\":\"update\",\"created_at\":\"" + createdAt + "\"}";
    }

    static InputStream lastPage(String... logs) {
        return body("{\"audit_logs\":[" + String.join(",", logs) + "],\"meta\":{\"has_more\":false,\"after_cursor\":\"x\"}}");
    }

    static ObjectNode idle(String watermark) {
        ObjectNode p = JSON.createObjectNode().put("watermark", watermark);
        p.putObject("recent");
        return p;
    }

    static List<Long> ids(Page page) {
        return records(page).stream().map(r -> r.get("id").asLong()).toList();
    }

    /** Regression: bounds were Instant.toString() of the clock (2026-11-25T13:55:31.660004746Z). */
    @Test
    void windowBoundsAreWholeSecondsFromTheWatermarkMinusTheOverlapToADelayBeforeNow() {
        ObjectNode window = stream.nextRequest(idle("2026-11-20T11:00:00Z"), NOW).orElseThrow();
        assertEquals("2026-11-20T10:50:00Z", window.get("window_start").asText());
        assertEquals("2026-11-20T11:59:00Z", window.get("window_end").asText(), "now - delay, rounded down to the second");
        assertTrue(window.get("after_cursor").isNull());
        ObjectNode first = stream.nextRequest(stream.initialPosition(NOW), NOW).orElseThrow();
        assertEquals("2026-11-20T11:00:01Z", first.get("watermark").asText(), "lookback rounded up: nothing before it was asked for");
        assertEquals("2026-11-20T11:00:01Z", first.get("window_start").asText(),
                "the first window starts at the lookback, not lookback + overlap: there is nothing earlier to overlap (README)");
    }

    @Test
    void nothingIsReadWhenTheLastWindowEndedMomentsAgo() {
        assertTrue(stream.nextRequest(idle("2026-11-20T11:59:00Z"), NOW).isEmpty());
    }

    @Test
    void recordsAlreadyWrittenInTheOverlapAreSkippedAndOnlyIdsOfTheSecondsTheNextWindowReReadsAreKept() throws Exception {
        ObjectNode idle = idle("2026-11-20T11:00:00Z");
        idle.put("recent_from", "2026-11-20T10:50:00Z");
        idle.putObject("recent").putArray("2026-11-20T10:55:00Z").add("5");
        ObjectNode window = stream.nextRequest(idle, NOW).orElseThrow();

        Page page = stream.page(window, lastPage(log(5, "2026-11-20T10:55:00Z"), log(6, "2026-11-20T11:10:00Z"),
                log(7, "2026-11-20T11:49:00Z"), log(8, "2026-11-20T11:59:00Z")));

        assertEquals(List.of(6L, 7L, 8L), ids(page));
        assertEquals(1, page.reread());
        assertTrue(page.endOfStream());
        assertEquals("2026-11-20T11:59:00Z", page.next().get("watermark").asText());
        assertEquals("2026-11-20T11:49:00Z", page.next().get("recent_from").asText(), "the next window starts here");
        assertEquals("{\"2026-11-20T11:49:00Z\":[\"7\"],\"2026-11-20T11:59:00Z\":[\"8\"]}", page.next().get("recent").toString(),
                "the first and the last second of the next window are covered (both bounds are inclusive)");
        assertFalse(page.next().has("window_end"));
        assertEquals("2026-11-20T11:10:00Z", records(page).get(0).get("timestamp").asText());

        // The next window re-reads 11:49:00..11:59:00 and writes nothing twice.
        ObjectNode again = next(page.next(), NOW.plusSeconds(120));
        assertEquals("2026-11-20T11:49:00Z", again.get("window_start").asText());
        Page second = stream.page(again, lastPage(log(7, "2026-11-20T11:49:00Z"), log(8, "2026-11-20T11:59:00Z"),
                log(9, "2026-11-20T12:00:30Z")));
        assertEquals(List.of(9L), ids(second));
        assertEquals(2, second.reread());
    }

    /** Raising AUDIT_LOG_OVERLAP_SECONDS between runs must not re-read seconds whose ids were not kept. */
    @Test
    void aRaisedOverlapReachesBackNoFurtherThanTheKeptIds() {
        ObjectNode idle = idle("2026-11-20T11:00:00Z");
        idle.put("recent_from", "2026-11-20T10:55:00Z");
        ObjectNode window = stream(Duration.ofMinutes(30)).nextRequest(idle, NOW).orElseThrow();
        assertEquals("2026-11-20T10:55:00Z", window.get("window_start").asText());
    }

    @Test
    void hasMoreKeepsTheWindowOpenAtTheAfterCursor() throws Exception {
        ObjectNode window = stream.nextRequest(stream.initialPosition(NOW), NOW).orElseThrow();
        Page page = stream.page(window, body("{\"audit_logs\":[" + log(1, "2026-11-20T11:30:00Z")
                + "],\"meta\":{\"has_more\":true,\"after_cursor\":\"abc\"}}"));
        assertFalse(page.endOfStream());
        assertEquals("abc", page.next().get("after_cursor").asText());
        assertEquals(window.get("window_end"), page.next().get("window_end"));
        assertEquals("2026-11-20T11:30:00Z", page.next().get("last_time").asText());
        assertTrue(page.request().endsWith(";after="));
    }

    @Test
    void aRecordWithoutIdIsWrittenCountedAndRecognisedByContentWhenTheOverlapReadsItAgain() throws Exception {
        ObjectNode window = stream.nextRequest(idle("2026-11-20T11:00:00Z"), NOW).orElseThrow();
        String noId = "{\"action\":\"login\",\"created_at\":\"2026-11-20T11:58:00Z\"}";
        Page page = stream.page(window, lastPage(noId, log(6, "2026-11-20T11:58:30Z")));
        assertEquals(2, records(page).size());
        assertEquals(1, page.withoutId());

        ObjectNode again = next(page.next(), NOW.plusSeconds(120));
        Page second = stream.page(again, lastPage(noId, log(6, "2026-11-20T11:58:30Z")));
        assertTrue(records(second).isEmpty(), "the record without id is not written twice");
        assertEquals(2, second.reread());
    }

    @Test
    void aNonObjectEntryFailsThePageNamingItsPositionAndABadTimeNamesTheRecord() {
        ObjectNode window = stream.nextRequest(idle("2026-11-20T11:00:00Z"), NOW).orElseThrow();
        ZendeskException notAnObject = assertThrows(ZendeskException.class,
                () -> stream.page(window, lastPage(log(5, "2026-11-20T11:10:00Z"), "42")));
        assertEquals("audit_logs: entry 1 of the page at window=2026-11-20T10:50:00Z..2026-11-20T11:59:00Z;after= is number,"
                + " not a record; the page is not written", notAnObject.getMessage());
        ZendeskException badTime = assertThrows(ZendeskException.class,
                () -> stream.page(window, lastPage(log(5, "yesterday"))));
        assertEquals("audit_logs: the record id 5 has created_at \"yesterday\", not an ISO 8601 time; the page is not written",
                badTime.getMessage());
    }

    /** A re-read page that lost a record to a later page (a late record pushed it out) must not write it again there. */
    @Test
    void recordsAnEarlierPassWroteForTheSameRequestAreSkippedWhenAPageMeetsThemAgain() throws Exception {
        ObjectNode window = stream.nextRequest(idle("2026-11-20T11:00:00Z"), NOW).orElseThrow();
        Page first = stream.page(window, body("{\"audit_logs\":[" + log(1, "2026-11-20T11:10:00Z")
                + "],\"meta\":{\"has_more\":true,\"after_cursor\":\"c1\"}}"));
        ObjectNode pushedOut = (ObjectNode) JSON.readTree(log(2, "2026-11-20T11:20:00Z"));
        ObjectNode next = stream.alreadyWritten(first.next(), List.of(pushedOut));

        Page second = stream.page(next, lastPage(log(2, "2026-11-20T11:20:00Z"), log(3, "2026-11-20T11:30:00Z")));
        assertEquals(List.of(3L), ids(second));
        assertFalse(second.next().path("recent").toString().contains("\"2\""), "pruned when the window closes");
    }

    @Test
    void aCheckpointOfTheEarlierFormatIsReadAndItsFractionsNeverReachZendesk() throws Exception {
        ObjectNode old = JSON.createObjectNode().put("watermark", "2026-11-20T11:00:00.615Z");
        old.putObject("recent").put("500741", "2026-11-20T10:55:32Z");
        ObjectNode window = stream.nextRequest(old, NOW).orElseThrow();
        assertEquals("2026-11-20T10:50:01Z", window.get("window_start").asText());
        Page page = stream.page(window, lastPage(log(500741, "2026-11-20T10:55:32Z"), log(9, "2026-11-20T11:30:00Z")));
        assertEquals(List.of(9L), ids(page), "audit 500741 is not written twice");
    }

    @Test
    void theSummaryShowsHowManyIdsAreKeptNotTheIds() throws Exception {
        ObjectNode window = stream.nextRequest(idle("2026-11-20T11:00:00Z"), NOW).orElseThrow();
        Page page = stream.page(window, lastPage(log(7, "2026-11-20T11:58:00Z"), log(8, "2026-11-20T11:58:00Z")));
        ObjectNode shown = stream.describe(page.next());
        assertEquals(2, shown.get("recent_ids").asInt());
        assertFalse(shown.has("recent"));
        assertEquals("2026-11-20T11:59:00Z", shown.get("watermark").asText());
    }

    /** Regression: a window ended a delay before the local clock; ten minutes ahead, it closed past records not yet created. */
    @Test
    void aWindowEndsADelayBeforeZendesksTimeWhateverTheLocalClockSays() {
        ObjectNode ahead = stream.nextRequest(idle("2026-11-20T11:00:00Z"), NOW.plus(Duration.ofMinutes(10))).orElseThrow();
        assertEquals("2026-11-20T11:59:00Z", ahead.get("window_end").asText());
        ObjectNode behind = stream.nextRequest(idle("2026-11-20T11:00:00Z"), NOW.minus(Duration.ofMinutes(10))).orElseThrow();
        assertEquals("2026-11-20T11:59:00Z", behind.get("window_end").asText());
        WindowedStream unanswered = new WindowedStream(null, new ZendeskTime(Clock.fixed(NOW, ZoneOffset.UTC)),
                AuditLogStream.ENDPOINT, Duration.ofHours(1), null, Duration.ofMinutes(10), Duration.ofMinutes(1), TimestampField.ON, ENCODER);
        assertEquals("2026-11-20T12:09:00Z", unanswered.nextRequest(idle("2026-11-20T11:00:00Z"), NOW.plus(Duration.ofMinutes(10)))
                .orElseThrow().get("window_end").asText(), "before Zendesk's first answer the local clock is all there is");
    }

    /** Regression: raising the overlap while a window was open wrote the window's earlier pages again (100 of 250). */
    @Test
    void anOverlapChangedWhileAWindowIsOpenKeepsTheIdsTheWindowOpenedFor() throws Exception {
        WindowedStream opened = stream(Duration.ofMinutes(5));
        ObjectNode window = opened.nextRequest(idle("2026-11-20T11:00:00Z"), NOW).orElseThrow();
        assertEquals("2026-11-20T11:54:00Z", window.get("keep_from").asText(), "fixed when the window opens");
        Page first = opened.page(window, body("{\"audit_logs\":[" + log(1, "2026-11-20T11:20:00Z") + ","
                + log(2, "2026-11-20T11:56:00Z") + "],\"meta\":{\"has_more\":true,\"after_cursor\":\"c1\"}}"));

        WindowedStream raised = stream(Duration.ofMinutes(60)); // the next pass runs with a larger overlap
        Page last = raised.page(first.next(), lastPage(log(3, "2026-11-20T11:30:00Z"), log(4, "2026-11-20T11:57:00Z")));
        assertEquals("2026-11-20T11:54:00Z", last.next().get("recent_from").asText(), "the window's own overlap");

        zendesk.observe(date(NOW.plusSeconds(120)));
        ObjectNode again = raised.nextRequest(last.next(), NOW.plusSeconds(120)).orElseThrow();
        assertEquals("2026-11-20T11:54:00Z", again.get("window_start").asText(),
                "the next window reaches back only as far as the kept ids, not to 11:01, where records 1 and 3 would be written again");
        assertEquals("2026-11-20T11:01:00Z", again.get("keep_from").asText(), "the raised overlap applies to the next window");
        Page reread = raised.page(again, lastPage(log(2, "2026-11-20T11:56:00Z"), log(4, "2026-11-20T11:57:00Z"),
                log(5, "2026-11-20T11:58:30Z")));
        assertEquals(List.of(5L), ids(reread));
    }

    /** Regression: a window left open across an outage longer than the retention lost records with gap_seconds 0. */
    @Test
    void anOpenWindowResumedAfterZendeskDeletedPartOfItReportsTheLossOnce() {
        WindowedStream access = stream(AccessLogStream.endpoint(1000), Duration.ofMinutes(5));
        ObjectNode open = access.nextRequest(idle("2026-11-20T11:00:00Z"), NOW).orElseThrow()
                .put("after_cursor", "c1").put("last_time", "2026-11-20T11:10:00Z");
        assertEquals(open, access.nextRequest(open, NOW).orElseThrow(), "nothing lost: the window is resumed as it is");

        Instant later = NOW.plus(Duration.ofDays(90)).minus(Duration.ofMinutes(30)); // Zendesk now keeps records from 11:30:00
        zendesk.observe(date(later));
        ObjectNode resumed = access.nextRequest(open, later).orElseThrow();
        assertEquals(20 * 60, access.gapSeconds(resumed), "11:10:00 to 11:30:00");
        assertEquals("c1", resumed.get("after_cursor").asText(), "the window carries on from its cursor");
        assertEquals(resumed, access.nextRequest(resumed, later).orElseThrow(), "reported once: resumed again, nothing changes");

        Instant muchLater = later.plus(Duration.ofHours(2)); // past the window's end (11:59:00): the next window reports the rest
        zendesk.observe(date(muchLater));
        assertEquals(29 * 60, access.gapSeconds(access.nextRequest(resumed, muchLater).orElseThrow()), "11:30:00 to 11:59:00");
    }

    /** Regression: an audit-log cursor that never moved was requested until MAX_PAGES, or for ever with MAX_PAGES=0. */
    @Test
    void hasMoreWithTheCursorThePageWasAskedWithFailsNamingThePosition() {
        ObjectNode window = stream.nextRequest(idle("2026-11-20T11:00:00Z"), NOW).orElseThrow().put("after_cursor", "c7");
        StuckCursorException e = assertThrows(StuckCursorException.class, () -> stream.page(window, body("{\"audit_logs\":["
                + log(1, "2026-11-20T11:20:00Z") + "],\"meta\":{\"has_more\":true,\"after_cursor\":\"c7\"}}")));
        assertEquals("audit_logs: Zendesk answered the page at window=2026-11-20T10:50:00Z..2026-11-20T11:59:00Z;after=c7 with"
                + " has_more and the same after_cursor: the cursor does not move; the stream stops here, and the next run asks"
                + " again", e.getMessage());
    }

    /** Regression: audit logs were parsed and serialized again (decimals rounded, {@code 1e400} as "Infinity", keys dropped). */
    @Test
    void eachAuditLogIsWrittenByteForByteAsZendeskSentItPlusATimestamp() throws Exception {
        String plain = "{\"id\":5,\"action\":\"update\",\"change_description\":\"\uD83D\uDE00 \\ud83d\\ude00 caf\u00e9\",\"n\":1.10,"
                + "\"m\":1e400,\"created_at\":\"2026-11-20T11:10:00Z\"}";
        String repeated = "{\"id\":6,\"action\":\"create\",\"action\":\"destroy\",\"created_at\":\"2026-11-20T11:20:00Z\"}";
        String pretty = "{\n\t\"id\": 7,\n\t\"created_at\": \"2026-11-20T11:30:00Z\"\r\n}";
        String dated = "{\"id\":8,\"created_at\":\"2026-11-20T11:40:00Z\",\"timestamp\":\"2026-11-20T11:40:00Z\"}";
        for (NdjsonEncoder encoder : List.of(ENCODER, new NdjsonEncoder(true))) {
            WindowedStream audits = new WindowedStream(null, new ZendeskTime(Clock.fixed(NOW, ZoneOffset.UTC)), AuditLogStream.ENDPOINT, Duration.ofHours(1), null, Duration.ofMinutes(10),
                    Duration.ofMinutes(1), TimestampField.ON, encoder);
            ObjectNode window = audits.nextRequest(idle("2026-11-20T11:00:00Z"), NOW).orElseThrow();
            Page page = audits.page(window, lastPage(plain, repeated, pretty, dated));
            assertEquals(TicketStreamTest.withTimestamp(plain, "2026-11-20T11:10:00Z") + "\n"
                    + TicketStreamTest.withTimestamp(repeated, "2026-11-20T11:20:00Z") + "\n"
                    + TicketStreamTest.withTimestamp(pretty, "2026-11-20T11:30:00Z") + "\n" + dated + "\n",
                    TicketStreamTest.object(page));
        }
    }
    /** Zendesk's access-log reference names the cursor filter[after], its links.next page[after]: the answer decides. */
    @Test
    void theCursorGoesUnderTheNameLinksNextGivesItAndAnAnswerWithoutLinksKeepsIt() throws Exception {
        WindowedStream access = new WindowedStream(null, new ZendeskTime(Clock.fixed(NOW, ZoneOffset.UTC)), AccessLogStream.endpoint(100), Duration.ofHours(1), null,
                Duration.ofMinutes(5), Duration.ofMinutes(1), TimestampField.ON, ENCODER);
        String record = "{\"id\":\"01A\",\"timestamp\":\"2026-11-20T11:30:00Z\"}";
        java.util.function.BinaryOperator<String> links = (name, cursor) -> ",\"links\":{\"next\":\"https://acme.zendesk.com/api/v2/"
                + "access_logs?filter%5Bstart%5D=x&" + name + "=" + cursor + "&page%5Bsize%5D=100\"}";
        ObjectNode window = access.nextRequest(idle("2026-11-20T11:00:00Z"), NOW).orElseThrow();

        Page first = access.page(window, body("{\"access_logs\":[" + record + "],\"meta\":{\"has_more\":true,\"after_cursor\":\"c1\"}"
                + links.apply("filter%5Bafter%5D", "c1") + "}"));
        assertEquals("filter[after]", first.next().get("after_parameter").asText());
        Page second = access.page(first.next(), body("{\"access_logs\":[],\"meta\":{\"has_more\":true,\"after_cursor\":\"c2\"}}"));
        assertEquals("filter[after]", second.next().get("after_parameter").asText(), "no links: the name stays");
        Page third = access.page(second.next(), body("{\"access_logs\":[],\"meta\":{\"has_more\":true,\"after_cursor\":\"c3\"}"
                + links.apply("filter[after]", "another") + "}"));
        assertEquals("filter[after]", third.next().get("after_parameter").asText(), "a link that carries another cursor says nothing");
        Page malformed = access.page(third.next(), body("{\"access_logs\":[],\"meta\":{\"has_more\":true,\"after_cursor\":\"c5\"}"
                + links.apply("page%zz[after]", "c5") + "}"));
        assertEquals("filter[after]", malformed.next().get("after_parameter").asText(), "a malformed link says nothing");
        Page fourth = access.page(third.next(), body("{\"access_logs\":[],\"meta\":{\"has_more\":true,\"after_cursor\":\"c4\"}"
                + links.apply("page[after]", "c4") + "}"));
        assertFalse(fourth.next().has("after_parameter"), "page[after], the default, is not stored");
        assertEquals("c4", fourth.next().get("after_cursor").asText());
    }
}
