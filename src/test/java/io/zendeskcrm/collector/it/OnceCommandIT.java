package io.zendeskcrm.collector.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code java -jar target/*-runner.jar once}: exit status and the JSON summary on stdout. */
class OnceCommandIT {
    static Account account;

    @BeforeAll
    static void start() throws Exception {
        account = new Account();
    }

    @org.junit.jupiter.api.BeforeEach
    void emptyAccount() {
        account.zendesk.reset();
        account.bucket.empty();
    }

    @AfterAll
    static void stop() throws Exception {
        account.close();
    }

    @Test
    void exitsZeroWithTheSummaryOnStdout(@TempDir Path logs) throws Exception {
        account.zendesk.putTicket(1, Instant.now().minusSeconds(300), "open");
        account.zendesk.addAudit(2, Instant.now().minusSeconds(300), Instant.now().minusSeconds(300));

        RunnerJar.Result result = RunnerJar.run(account.env(), logs, "once");

        assertEquals(0, result.exitCode(), result.stderr());
        JsonNode summary = new ObjectMapper().readTree(result.stdout());
        assertTrue(summary.get("ok").asBoolean());
        assertEquals("s3://zendesk-logs", summary.get("destination").asText());
        assertEquals(1, summary.at("/streams/0/records").asInt());
        assertEquals(1, summary.at("/streams/1/records").asInt());
        assertFalse(result.stdout().contains(io.zendeskcrm.collector.support.CollectorTestResources.API_TOKEN));
        assertFalse(result.stderr().contains(io.zendeskcrm.collector.support.CollectorTestResources.API_TOKEN));
    }

    @Test
    void writesIntoALocalDirectoryWithOutputDir(@TempDir Path logs, @TempDir Path out) throws Exception {
        account.zendesk.putTicket(3, Instant.now().minusSeconds(300), "open");
        Map<String, String> env = account.env();
        env.remove("S3_BUCKET");
        env.put("OUTPUT_DIR", out.toString());
        env.put("RESOURCES", "incremental_tickets");

        RunnerJar.Result result = RunnerJar.run(env, logs, "once");

        assertEquals(0, result.exitCode(), result.stderr());
        assertTrue(java.nio.file.Files.exists(out.resolve("zendesk/crm-state/state.json")));
        try (var files = java.nio.file.Files.walk(out.resolve("zendesk/crm/incremental_tickets"))) {
            assertEquals(1, files.filter(p -> p.toString().endsWith(".ndjson.gz")).count());
        }
    }

    @Test
    void exitsOneWhenAStreamFails(@TempDir Path logs) throws Exception {
        account.wireMock.stubFor(get(urlPathEqualTo("/api/v2/audit_logs.json")).atPriority(1).willReturn(aResponse().withStatus(403)));
        try {
            RunnerJar.Result result = RunnerJar.run(account.env(), logs, "once");
            assertEquals(1, result.exitCode(), result.stderr());
            JsonNode summary = new ObjectMapper().readTree(result.stdout());
            assertFalse(summary.get("ok").asBoolean());
            assertTrue(summary.at("/streams/0/error").asText().contains("403"), result.stdout());
            assertTrue(summary.at("/streams/1/ok").asBoolean(), "the other stream still runs");
        } finally {
            account.wireMock.resetToDefaultMappings();
            account.wireMock.stubFor(get(urlPathEqualTo("/api/v2/incremental/tickets/cursor.json")).willReturn(aResponse().withTransformers("fake-zendesk")));
            account.wireMock.stubFor(get(urlPathEqualTo("/api/v2/audit_logs.json")).willReturn(aResponse().withTransformers("fake-zendesk")));
        }
    }

    @Test
    void exitsTwoNamingABadSettingBeforeAnyRequest(@TempDir Path logs) throws Exception {
        Map<String, String> env = account.env();
        env.put("MAX_PAGES", "lots");
        long before = account.zendesk.requests();

        RunnerJar.Result result = RunnerJar.run(env, logs, "once");

        assertEquals(2, result.exitCode());
        assertTrue(result.stderr().contains("MAX_PAGES (lots)"), result.stderr());
        assertEquals(before, account.zendesk.requests());
    }

    @Test
    void exitsTwoOnAnUnknownArgument(@TempDir Path logs) throws Exception {
        RunnerJar.Result result = RunnerJar.run(account.env(), logs, "twice");
        assertEquals(2, result.exitCode());
        assertTrue(result.stderr().contains("usage"), result.stderr());
    }
}
