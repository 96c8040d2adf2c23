package io.zendeskcrm.collector.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code java -jar target/*-runner.jar once}: exit status and the JSON summary on stdout. */
class OnceCommandIT extends OneAccount {
    @org.junit.jupiter.api.BeforeEach
    void emptyAccount() {
        account.bucket.empty();
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

    /** Regression: an unknown argument was not named, and --help exited 2. */
    @Test
    void anUnknownArgumentIsNamedBeforeTheUsageAndExitsTwo(@TempDir Path logs) throws Exception {
        RunnerJar.Result result = RunnerJar.run(account.env(), logs, "twice");

        assertEquals(2, result.exitCode());
        List<String> lines = result.stderr().lines().toList();
        assertEquals("unknown argument 'twice'", lines.get(0), result.stderr());
        assertTrue(lines.get(1).startsWith("usage: zendesk-crm-collector "), result.stderr());
        assertEquals("", result.stdout());
        assertEquals(0, account.zendesk.requests(), "no pass ran");
    }

    @Test
    void helpPrintsTheUsageOnStdoutAndExitsZero(@TempDir Path logs) throws Exception {
        RunnerJar.Result result = RunnerJar.run(account.env(), logs, "--help");

        assertEquals(0, result.exitCode(), result.stderr());
        assertTrue(result.stdout().startsWith("usage: zendesk-crm-collector "), result.stdout());
        assertTrue(result.stdout().contains("✔ or ✘") && result.stdout().contains("(default 5m)"), result.stdout());
        assertTrue(result.stdout().contains("once"), result.stdout());
        assertEquals("", result.stderr(), "nothing on stderr, not even Quarkus' start and stop lines");
        assertEquals(0, account.zendesk.requests(), "no pass ran");
    }

    /** Regression: S3 mode without AWS_REGION ended in a 35-line SdkClientException stack trace (exit 1). */
    @Test
    void s3WithoutARegionIsOneLineNamingAwsRegionAndExitsTwo(@TempDir Path logs, @TempDir Path home) throws Exception {
        Map<String, String> env = account.env();
        env.remove("AWS_REGION");
        env.remove("AWS_ENDPOINT_URL_S3"); // an S3-compatible endpoint needs no region
        env.put("HOME", home.toString()); // no ~/.aws/config
        env.put("AWS_EC2_METADATA_DISABLED", "true");

        RunnerJar.Result result = RunnerJar.run(env, logs, "once");

        assertEquals(2, result.exitCode(), result.stderr());
        assertEquals(List.of("configuration error: AWS_REGION is required to write to S3 (S3_BUCKET zendesk-logs): set it to the"
                + " bucket's region, such as AWS_REGION=us-east-1 (AWS_DEFAULT_REGION or a region in the AWS profile also do), or"
                + " set OUTPUT_DIR to write to a local directory"), result.stderr().lines().toList());
        assertEquals(0, account.zendesk.requests(), "refused before any request");
    }

    @Test
    void anOutputDirThatIsAFileIsOneLineAndExitsTwo(@TempDir Path logs, @TempDir Path tmp) throws Exception {
        Path file = java.nio.file.Files.writeString(tmp.resolve("out"), "a file");
        Map<String, String> env = account.env();
        env.remove("S3_BUCKET");
        env.put("OUTPUT_DIR", file.toString());

        RunnerJar.Result result = RunnerJar.run(env, logs, "once");

        assertEquals(2, result.exitCode(), result.stderr());
        assertEquals(List.of("configuration error: OUTPUT_DIR (" + file + ") is not a directory: a file of that name exists"),
                result.stderr().lines().toList());
        assertEquals(0, account.zendesk.requests(), "refused before any request");
    }

    @Test
    void aPrefixThatLeavesOutputDirIsOneLineAndExitsTwo(@TempDir Path logs, @TempDir Path tmp) throws Exception {
        Map<String, String> env = account.env();
        env.remove("S3_BUCKET");
        env.put("OUTPUT_DIR", tmp.resolve("out").toString());
        env.put("S3_PREFIX", "../x");

        RunnerJar.Result result = RunnerJar.run(env, logs, "once");

        assertEquals(2, result.exitCode(), result.stderr());
        assertEquals(List.of("configuration error: S3_PREFIX (../x) must not contain a '.' or '..' segment: keys stay inside"
                + " OUTPUT_DIR and the bucket's own layout"), result.stderr().lines().toList());
        assertFalse(java.nio.file.Files.exists(tmp.resolve("x")));
    }

    @Test
    void aPasswordInTheZendeskUrlIsRefusedWithoutShowingIt(@TempDir Path logs) throws Exception {
        Map<String, String> env = account.env();
        env.put("ZENDESK_BASE_URL", "https://admin:Pa55-w0rd@acme.zendesk.com");

        RunnerJar.Result result = RunnerJar.run(env, logs, "once");

        assertEquals(2, result.exitCode(), result.stderr());
        List<String> lines = result.stderr().lines().toList();
        assertEquals(1, lines.size(), result.stderr());
        assertTrue(lines.get(0).startsWith("configuration error: ZENDESK_BASE_URL (https://***@acme.zendesk.com) must not carry"
                + " credentials"), lines.get(0));
        assertFalse((result.stdout() + result.stderr()).contains("Pa55-w0rd"));
    }
}
