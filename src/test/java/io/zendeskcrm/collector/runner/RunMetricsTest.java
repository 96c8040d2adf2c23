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
                new StreamResult("audit_logs", StreamResult.Outcome.OK, 3, 250, false, 4, 1, 1, 0, 2.5, null, 0L, 86_400L, 7L,
                        40, 1, 2, 0, 3600, false, null),
                new StreamResult("incremental_tickets", StreamResult.Outcome.FAILED, 1, 1000, false, 5, 4, 0, 0, 0, null, null,
                        null, null, 0, 0, 0, 0, 0, true, "incremental_tickets: boom"),
                new StreamResult("access_logs", StreamResult.Outcome.OK, 1, 10, false, 1, 0, 0, 0, 1.5, null, 0L, 30L, 65L,
                        0, 0, 0, 0, 0, false, null)));

        List<String> lines = RunMetrics.emf(summary, "zendesk-fn", Instant.ofEpochMilli(1_795_000_000_000L));

        assertEquals(4, lines.size(), "one line per stream and one for the pass");
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
        assertEquals(40, audit.get("RereadRecords").asLong());
        assertEquals(2, audit.get("RecordsWithoutId").asLong());
        assertEquals(3600, audit.get("RetentionGap").asLong());
        assertEquals(86_400, audit.get("NewestRecordAgeSeconds").asLong(), "a quiet stream's newest record is a day old");
        assertEquals(7, audit.get("WatermarkAgeSeconds").asLong(), "and its watermark seconds behind");
        JsonNode tickets = new ObjectMapper().readTree(lines.get(1));
        assertEquals(1, tickets.get("StreamFailed").asLong());
        assertFalse(tickets.has("CheckpointLagSeconds"), "no lag figure for a failed stream");
        assertFalse(tickets.has("NewestRecordAgeSeconds") || tickets.has("WatermarkAgeSeconds"), "no freshness figure for a failed stream");
        assertFalse(lines.get(1).contains("boom"), "metrics carry figures, not messages");
        JsonNode pass = new ObjectMapper().readTree(lines.get(3));
        assertEquals("[[\"FunctionName\"]]", pass.at("/_aws/CloudWatchMetrics/0/Dimensions").toString());
        assertEquals(0, pass.get("SupersededPasses").asLong());
        assertEquals(1, pass.get("StuckCursors").asLong(), "the tickets' cursor did not move");
        assertFalse(pass.has("RefreshTokenExpiresInSeconds"), "only with oauth_refresh_token");
        assertEquals(65, pass.get("WatermarkAgeSeconds").asLong(), "the stalest stream's watermark, for one alarm");
    }

    @Test
    void withARefreshTokenThePassLineCarriesItsTimeLeftAndAnUnstoredTokenFailsThePass() throws Exception {
        RunSummary summary = RunSummary.of("s3://b", List.of(new StreamResult("audit_logs", StreamResult.Outcome.OK,
                1, 100, false, 2, 0, 0, 0, 0, null, 0L, null, null, 0, 0, 0, 0, 0, false, null)))
                .withOAuth(200_000L, "oauth: the rotated refresh token could not be stored at s3://b/k (OAUTH_STATE_KEY): boom");

        List<String> lines = RunMetrics.emf(summary, "zendesk-fn", Instant.ofEpochMilli(1_795_000_000_000L));

        JsonNode pass = new ObjectMapper().readTree(lines.get(1));
        assertEquals(200_000L, pass.get("RefreshTokenExpiresInSeconds").asLong());
        assertEquals("{\"Name\":\"RefreshTokenExpiresInSeconds\",\"Unit\":\"Seconds\"}",
                pass.at("/_aws/CloudWatchMetrics/0/Metrics/2").toString());
        assertFalse(summary.ok(), "the streams succeeded, the pass did not");
        assertEquals("oauth: the rotated refresh token could not be stored at s3://b/k (OAUTH_STATE_KEY): boom", summary.failures());
        JsonNode json = new ObjectMapper().readTree(new ObjectMapper().writeValueAsString(summary));
        assertEquals(200_000L, json.get("refresh_token_expires_in_seconds").asLong());
        assertEquals(false, json.get("ok").asBoolean());
    }

    @Test
    void aPassFencedOutByANewerOneCountsAsSupersededNotAsFailed() throws Exception {
        RunSummary summary = RunSummary.of("s3://b", List.of(new StreamResult("audit_logs", StreamResult.Outcome.SUPERSEDED,
                1, 100, false, 2, 0, 0, 0, 0, null, null, null, null, 0, 0, 0, 0, 0, false, "another pass took over")));
        List<String> lines = RunMetrics.emf(summary, "zendesk-fn", Instant.ofEpochMilli(1_795_000_000_000L));
        assertEquals(0, new ObjectMapper().readTree(lines.get(0)).get("StreamFailed").asLong());
        assertEquals(1, new ObjectMapper().readTree(lines.get(1)).get("SupersededPasses").asLong());
    }
}
