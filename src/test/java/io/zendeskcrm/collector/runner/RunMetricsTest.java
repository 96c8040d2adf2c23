package io.zendeskcrm.collector.runner;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.zendeskcrm.collector.RunSummary;
import io.zendeskcrm.collector.StreamResult;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

class RunMetricsTest {
    @Test
    void oneEmbeddedMetricFormatLinePerStreamWithTheFiguresTheAlarmsUse() throws Exception {
        RunSummary summary = RunSummary.of("s3://b", List.of(
                new StreamResult("audit_logs", true, 3, 250, false, 4, 1, 1, 0, 2.5, null, 0L, null),
                new StreamResult("incremental_tickets", false, 1, 1000, false, 5, 4, 0, 0, 0, null, null, "incremental_tickets: boom")));

        List<String> lines = RunMetrics.emf(summary, "zendesk-fn", Instant.ofEpochMilli(1_795_000_000_000L));

        assertEquals(2, lines.size());
        JsonNode audit = new ObjectMapper().readTree(lines.get(0));
        assertEquals(1_795_000_000_000L, audit.at("/_aws/Timestamp").asLong());
        JsonNode directive = audit.at("/_aws/CloudWatchMetrics/0");
        assertEquals("ZendeskCrmCollector", directive.get("Namespace").asText());
        assertEquals("[[\"FunctionName\",\"Stream\"]]", directive.get("Dimensions").toString());
        assertEquals("zendesk-fn", audit.get("FunctionName").asText());
        assertEquals("audit_logs", audit.get("Stream").asText());
        assertEquals(250, audit.get("Records").asLong());
        assertEquals(3, audit.get("Pages").asLong());
        assertEquals(1, audit.get("Retries").asLong());
        assertEquals(1, audit.get("ThrottledWaits").asLong());
        assertEquals(0, audit.get("StreamFailed").asLong());
        assertEquals(0, audit.get("CheckpointLagSeconds").asLong());
        JsonNode tickets = new ObjectMapper().readTree(lines.get(1));
        assertEquals(1, tickets.get("StreamFailed").asLong());
        assertFalse(tickets.has("CheckpointLagSeconds"), "no lag figure for a failed stream");
        assertFalse(lines.get(1).contains("boom"), "metrics carry figures, not messages");
    }
}
