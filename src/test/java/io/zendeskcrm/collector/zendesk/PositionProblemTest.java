package io.zendeskcrm.collector.zendesk;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static io.zendeskcrm.collector.zendesk.TicketStreamTest.ENCODER;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** A checkpoint position a stream cannot resume is named, field by field, before a pass uses it. */
class PositionProblemTest {
    static final ObjectMapper JSON = new ObjectMapper();
    final TicketStream tickets = new TicketStream(null, Duration.ofHours(1), null, TimestampField.ON, ENCODER);
    final WindowedStreamTest windowed = new WindowedStreamTest();

    static ObjectNode json(String text) throws Exception {
        return (ObjectNode) JSON.readTree(text);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "{\"cursor\":123,\"generated_timestamp\":1795000000} | has \"cursor\" 123, where the export's after_cursor (a text) belongs",
            "{\"cursor\":\"\",\"generated_timestamp\":1795000000} | has \"cursor\" \"\", where the export's after_cursor (a text) belongs",
            "{\"cursor\":\"c1\",\"generated_timestamp\":\"soon\"} | has \"generated_timestamp\" \"soon\", where a time in epoch seconds belongs",
            "{\"object_layout\":\"zendesk/crm/ gz\"} | has neither \"cursor\" nor \"start_time\"",
            "{\"start_time\":\"2026-01-01\"} | has \"start_time\" \"2026-01-01\", where a time in epoch seconds belongs"})
    void aTicketPositionWithAFieldMissingOrOfTheWrongTypeIsNamed(String position, String problem) throws Exception {
        assertEquals(Optional.of(problem), tickets.positionProblem(json(position)));
    }

    @Test
    void ticketPositionsTheStreamWritesAreResumable() throws Exception {
        assertEquals(Optional.empty(), tickets.positionProblem(tickets.initialPosition(WindowedStreamTest.NOW)));
        assertEquals(Optional.empty(), tickets.positionProblem(json("{\"cursor\":\"MTc5\",\"generated_timestamp\":1795000000,"
                + "\"object_layout\":\"zendesk/crm/ gz\"}")));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "{\"recent\":{}} | has no \"watermark\" (a time such as 2026-11-20T11:59:00Z)",
            "{\"watermark\":1795000000} | has \"watermark\" 1795000000, where a time such as 2026-11-20T11:59:00Z belongs",
            "{\"watermark\":\"2026-11-20T11:00:00Z\",\"recent\":[]} | has \"recent\" [], where an object of ids by second, such as {\"2026-11-20T11:55:13Z\": [\"90817\"]} belongs",
            "{\"watermark\":\"2026-11-20T11:00:00Z\",\"window_start\":\"2026-11-20T10:50:00Z\",\"window_end\":\"2026-11-20T11:59:00Z\",\"last_time\":\"2026-11-20T10:50:00Z\",\"after_cursor\":42} | has \"after_cursor\" 42, where Zendesk's after_cursor (a text) belongs",
            "{\"watermark\":\"2026-11-20T11:00:00Z\",\"window_start\":\"2026-11-20T10:50:00Z\",\"last_time\":\"2026-11-20T10:50:00Z\"} | has no \"window_end\" (a time such as 2026-11-20T11:59:00Z)",
            "{\"watermark\":\"2026-11-20T11:00:00Z\",\"window_start\":\"2026-11-20T10:50:00Z\",\"window_end\":\"2026-11-20T11:59:00Z\",\"last_time\":\"2026-11-20T10:50:00Z\",\"after_parameter\":\"cursor\"} | has \"after_parameter\" \"cursor\", where one of [page[after], filter[after]] belongs"})
    void aWindowedPositionWithAFieldMissingOrOfTheWrongTypeIsNamed(String position, String problem) throws Exception {
        assertEquals(Optional.of(problem), windowed.stream.positionProblem(json(position)));
    }

    @Test
    void windowedPositionsTheStreamWritesAreResumable() throws Exception {
        ObjectNode start = windowed.stream.initialPosition(WindowedStreamTest.NOW);
        assertEquals(Optional.empty(), windowed.stream.positionProblem(start));
        ObjectNode window = windowed.stream.nextRequest(start, WindowedStreamTest.NOW).orElseThrow();
        assertEquals(Optional.empty(), windowed.stream.positionProblem(window));
        assertEquals(Optional.empty(), windowed.stream.positionProblem(json("{\"watermark\":\"2026-11-20T11:59:00Z\","
                + "\"recent_from\":\"2026-11-20T11:54:00Z\",\"recent_segments\":[\"recent/audit_logs/42-1.json\"]}")));
        assertEquals(Optional.empty(), windowed.stream.positionProblem(json("{\"watermark\":\"2026-11-20T11:00:00Z\","
                + "\"recent\":{\"90817\":\"2026-11-20T10:59:00Z\"}}")), "the earlier form of recent");
    }
}
