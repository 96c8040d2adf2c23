package io.zendeskcrm.collector.zendesk;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.zendeskcrm.collector.stream.Page;
import io.zendeskcrm.collector.sink.NdjsonEncoder;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Page parsing of the cursor export, on response JSON as Zendesk documents it. */
class TicketStreamTest {
    static final ObjectMapper JSON = new ObjectMapper();
    final TicketStream stream = new TicketStream(null, Duration.ofHours(1), null, TimestampField.ON, ENCODER);

    static final NdjsonEncoder ENCODER = new NdjsonEncoder(false);

    /** An answer's body as it arrives. */
    static InputStream body(String json) {
        return new ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8));
    }

    /** The page's records, read back from the object they are held in. */
    static List<ObjectNode> records(Page page) {
        return ENCODER.unpack(page.records().content()).stream().map(NdjsonEncoder::record).toList();
    }

    static ObjectNode cursor(String c, long ts) {
        return JsonNodeFactory.instance.objectNode().put("cursor", c).put("generated_timestamp", ts);
    }

    @Test
    void theFirstRequestStartsLookbackAgoButAtLeastAMinuteInThePast() {
        Instant now = Instant.parse("2026-11-20T12:00:00Z");
        assertEquals(now.minusSeconds(3600).getEpochSecond(), stream.initialPosition(now).get("start_time").asLong());
        TicketStream short_ = new TicketStream(null, Duration.ofSeconds(5), null, TimestampField.ON, ENCODER);
        assertEquals(now.minusSeconds(61).getEpochSecond(), short_.initialPosition(now).get("start_time").asLong());
    }

    @Test
    void endOfStreamEndsTheStreamAlthoughAfterUrlIsSetAndItsCursorIsKept() throws Exception {
        Page page = stream.page(cursor("c1", 100), body("""
                {"tickets":[{"id":7,"updated_at":"2026-11-20T10:00:00Z","generated_timestamp":150}],
                 "after_cursor":"c2","after_url":"https://x.zendesk.com/api/v2/incremental/tickets/cursor.json?cursor=c2",
                 "before_cursor":"c0","before_url":null,"end_of_stream":true}"""));
        assertTrue(page.endOfStream());
        assertEquals("c2", page.next().get("cursor").asText());
        assertEquals(150, page.next().get("generated_timestamp").asLong());
        assertEquals("cursor=c1", page.request());
        assertEquals(Instant.ofEpochSecond(100), page.keyTime());
        assertEquals("2026-11-20T10:00:00Z", records(page).get(0).get("timestamp").asText());
    }

    @Test
    void anEmptyPageIsNotTheEndUnlessZendeskSaysSo() throws Exception {
        Page page = stream.page(cursor("c1", 100), body("{\"tickets\":[],\"after_cursor\":\"c2\",\"end_of_stream\":false}"));
        assertFalse(page.endOfStream());
        assertTrue(records(page).isEmpty());
        assertEquals("c2", page.next().get("cursor").asText());
        assertEquals(100, page.next().get("generated_timestamp").asLong(), "the watermark never moves backwards");
    }

    /** Regression: an export that kept answering the same cursor was reported as caught up, with lag 0. */
    @Test
    void theSameCursorWithoutEndOfStreamFailsThePageNamingTheCursor() {
        StuckCursorException e = assertThrows(StuckCursorException.class, () -> stream.page(cursor("c1", 100), body("""
                {"tickets":[{"id":7,"generated_timestamp":150}],"after_cursor":"c1","end_of_stream":false}""")));
        assertEquals("incremental_tickets: Zendesk answered cursor=c1 with the same after_cursor and no end_of_stream: the"
                + " export does not move on from there; the stream stops here, and the next run asks again", e.getMessage());
    }

    /** Without a cursor the next request would be this one again: not the end, and not caught up either. */
    @Test
    void noCursorWithoutEndOfStreamFailsThePageNamingThePosition() {
        StuckCursorException later = assertThrows(StuckCursorException.class, () -> stream.page(cursor("c1", 100),
                body("{\"tickets\":[],\"after_cursor\":null,\"end_of_stream\":false}")));
        assertTrue(later.getMessage().startsWith("incremental_tickets: Zendesk answered cursor=c1 with no after_cursor and no"
                + " end_of_stream"), later.getMessage());
        ObjectNode first = JsonNodeFactory.instance.objectNode().put("start_time", 100);
        StuckCursorException atStart = assertThrows(StuckCursorException.class, () -> stream.page(first, body("""
                {"tickets":[{"id":7,"generated_timestamp":150}],"after_cursor":null,"end_of_stream":false}""")));
        assertTrue(atStart.getMessage().startsWith("incremental_tickets: Zendesk answered start_time=100 with no after_cursor"),
                atStart.getMessage());
    }

    @Test
    void theEndWithoutACursorKeepsThePositionForTheNextRun() throws Exception {
        Page page = stream.page(cursor("c1", 100), body("""
                {"tickets":[{"id":7,"generated_timestamp":150}],"after_cursor":null,"end_of_stream":true}"""));
        assertTrue(page.endOfStream());
        assertEquals(cursor("c1", 100), page.next(), "the next run repeats the request; the write-once objects keep its records single");
        assertEquals(1, records(page).size());
    }

    @Test
    void aTicketWithoutIdIsWrittenAndCountedAndANonObjectEntryFailsThePageNamingItsPosition() throws Exception {
        Page page = stream.page(cursor("c1", 100), body("""
                {"tickets":[{"subject":"no id","generated_timestamp":120},{"id":8,"generated_timestamp":130}],
                 "after_cursor":"c2","end_of_stream":false}"""));
        assertEquals(2, records(page).size());
        assertEquals(1, page.withoutId());

        ZendeskException e = assertThrows(ZendeskException.class, () -> stream.page(cursor("c1", 100), body("""
                {"tickets":[{"id":8},"oops"],"after_cursor":"c2","end_of_stream":false}""")));
        assertEquals("incremental_tickets: entry 1 of the page at cursor=c1 is string, not a ticket; the page is not written",
                e.getMessage());
    }

    @Test
    void anExistingTimestampIsLeftAsZendeskSentIt() throws Exception {
        Page page = stream.page(cursor("c1", 100), body("""
                {"tickets":[{"id":7,"updated_at":"2026-11-20T10:00:00Z","timestamp":"keep","generated_timestamp":150}],
                 "after_cursor":"c2","end_of_stream":true}"""));
        assertEquals("keep", records(page).get(0).get("timestamp").asText());
        TicketStream plain = new TicketStream(null, Duration.ofHours(1), null, TimestampField.OFF, ENCODER);
        Page untouched = plain.page(cursor("c1", 100), body("""
                {"tickets":[{"id":7,"updated_at":"2026-11-20T10:00:00Z"}],"after_cursor":"c2","end_of_stream":true}"""));
        assertFalse(records(untouched).get(0).has("timestamp"));
    }
    /** {@code record} with {@code ,"timestamp":"<utc>"} as its last field and its line breaks as spaces. */
    static String withTimestamp(String record, String utc) {
        String line = record.replace('\n', ' ').replace('\r', ' ');
        return line.substring(0, line.length() - 1) + ",\"timestamp\":\"" + utc + "\"}";
    }

    /** The object's text, gunzipped when it is compressed. */
    static String object(Page page) throws java.io.IOException {
        byte[] content = page.records().content();
        boolean gzip = content.length > 1 && content[0] == (byte) 0x1f && content[1] == (byte) 0x8b;
        try (InputStream in = gzip ? new java.util.zip.GZIPInputStream(new ByteArrayInputStream(content))
                : new ByteArrayInputStream(content)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    /**
     * Regression: tickets were parsed and serialized again, so that {@code 1.10} became {@code 1.1}, {@code 1e400}
     * became {@code "Infinity"}, a repeated key was dropped and the field order was the parser's.
     */
    @Test
    void eachTicketIsWrittenByteForByteAsZendeskSentItPlusATimestampWhenItHadNone() throws Exception {
        String kept = "{\"id\":1,\"subject\":\"caf\u00e9 \uD83D\uDE00 \\u00e9\",\"score\":1.10,\"big\":1e400,\"timestamp\":\"keep\","
                + "\"generated_timestamp\":150}";
        String repeated = "{\"id\":2,\"status\":\"open\",\"status\":\"solved\",\"updated_at\":\"2026-11-20T10:00:00+01:00\","
                + "\"generated_timestamp\":151}";
        String pretty = "{\n  \"id\" : 3,\r\n  \"updated_at\" : \"2026-11-20T10:00:00Z\",\n  \"generated_timestamp\" : 152\n}";
        String undated = "{\"id\":4,\"generated_timestamp\":153}";
        String body = "{\"tickets\":[" + kept + ",\n" + repeated + ", " + pretty + "," + undated + "],\"after_cursor\":\"c2\","
                + "\"end_of_stream\":true}";
        String expected = kept + "\n" + withTimestamp(repeated, "2026-11-20T09:00:00Z") + "\n"
                + withTimestamp(pretty, "2026-11-20T10:00:00Z") + "\n" + undated + "\n";
        for (NdjsonEncoder encoder : List.of(ENCODER, new NdjsonEncoder(true))) {
            TicketStream tickets = new TicketStream(null, Duration.ofHours(1), null, TimestampField.ON, encoder);
            Page page = tickets.page(cursor("c1", 100), body(body));
            assertEquals(expected, object(page));
            assertEquals(4, page.records().count());
            assertEquals(153, page.next().get("generated_timestamp").asLong());
        }
        TicketStream plain = new TicketStream(null, Duration.ofHours(1), null, TimestampField.OFF, ENCODER);
        assertEquals(kept + "\n" + repeated + "\n" + pretty.replace('\n', ' ').replace('\r', ' ') + "\n" + undated + "\n",
                object(plain.page(cursor("c1", 100), body(body))));
    }
}
