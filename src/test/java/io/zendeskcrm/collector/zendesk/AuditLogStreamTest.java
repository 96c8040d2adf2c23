package io.zendeskcrm.collector.zendesk;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class AuditLogStreamTest {
    static final ObjectMapper JSON = new ObjectMapper();
    static final Instant NOW = Instant.parse("2026-11-20T12:00:00Z");
    final AuditLogStream stream = new AuditLogStream(null, Duration.ofHours(1), null, Duration.ofMinutes(10),
            Duration.ofMinutes(1), TimestampField.ON);

    static JsonNode body(String json) throws Exception {
        return JSON.readTree(json);
    }

    static String log(long id, String createdAt) {
        return "{\"id\":" + id + ",\"action\":\"update\",\"created_at\":\"" + createdAt + "\"}";
    }

    @Test
    void aWindowRunsFromTheWatermarkMinusTheOverlapToADelayBeforeNow() {
        ObjectNode idle = (ObjectNode) JSON.createObjectNode().put("watermark", "2026-11-20T11:00:00Z").set("recent", JSON.createObjectNode());
        ObjectNode window = stream.nextRequest(idle, NOW).orElseThrow();
        assertEquals("2026-11-20T10:50:00Z", window.get("window_start").asText());
        assertEquals("2026-11-20T11:59:00Z", window.get("window_end").asText());
        assertTrue(window.get("after_cursor").isNull());
    }

    @Test
    void nothingIsReadWhenTheLastWindowEndedMomentsAgo() {
        ObjectNode idle = JSON.createObjectNode().put("watermark", "2026-11-20T11:59:30Z");
        assertTrue(stream.nextRequest(idle, NOW).isEmpty());
    }

    @Test
    void recordsAlreadyWrittenInTheOverlapAreSkippedAndOnlyIdsTheNextWindowCanSeeAreKept() throws Exception {
        ObjectNode idle = JSON.createObjectNode().put("watermark", "2026-11-20T11:00:00Z");
        idle.putObject("recent").put("5", "2026-11-20T10:55:00Z");
        ObjectNode window = stream.nextRequest(idle, NOW).orElseThrow();

        Page page = stream.page(window, body("{\"audit_logs\":[" + log(5, "2026-11-20T10:55:00Z") + "," + log(6, "2026-11-20T11:10:00Z")
                + "," + log(7, "2026-11-20T11:55:00Z") + "],\"meta\":{\"has_more\":false,\"after_cursor\":\"x\"}}"));

        assertEquals(List.of(6L, 7L), page.records().stream().map(r -> r.get("id").asLong()).toList());
        assertTrue(page.endOfStream());
        assertEquals("2026-11-20T11:59:00Z", page.next().get("watermark").asText());
        assertFalse(page.next().has("window_end"));
        assertEquals(List.of("7"), iterable(page.next().get("recent")), "only ids at or after 11:49 (next window start)");
        assertEquals("2026-11-20T11:10:00Z", page.records().get(0).get("timestamp").asText());
    }

    @Test
    void hasMoreKeepsTheWindowOpenAtTheAfterCursor() throws Exception {
        ObjectNode window = stream.nextRequest(stream.initialPosition(NOW), NOW).orElseThrow();
        Page page = stream.page(window, body("{\"audit_logs\":[" + log(1, "2026-11-20T11:30:00Z")
                + "],\"meta\":{\"has_more\":true,\"after_cursor\":\"abc\"}}"));
        assertFalse(page.endOfStream());
        assertEquals("abc", page.next().get("after_cursor").asText());
        assertEquals(window.get("window_end"), page.next().get("window_end"));
        assertEquals("2026-11-20T11:30:00Z", page.next().get("last_created_at").asText());
        assertTrue(page.request().endsWith(";after="));
    }

    private static List<String> iterable(JsonNode node) {
        List<String> out = new java.util.ArrayList<>();
        node.fieldNames().forEachRemaining(out::add);
        return out;
    }
}
