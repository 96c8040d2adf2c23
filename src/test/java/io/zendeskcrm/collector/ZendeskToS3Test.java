package io.zendeskcrm.collector;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.tomakehurst.wiremock.client.WireMock;
import com.github.tomakehurst.wiremock.http.Fault;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.zendeskcrm.collector.config.Settings;
import io.zendeskcrm.collector.support.Bucket;
import io.zendeskcrm.collector.support.CollectorComponentTest;
import io.zendeskcrm.collector.support.CollectorTestResources;
import io.zendeskcrm.collector.support.FakeZendesk;
import io.zendeskcrm.collector.support.TestClock;
import io.zendeskcrm.collector.support.TestSettings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The collector end to end: WireMock as Zendesk, S3Proxy as S3, the real clients in between. */
@QuarkusTest
@QuarkusTestResource(CollectorTestResources.class)
class ZendeskToS3Test extends CollectorComponentTest {

    private RunSummary run(String... settings) {
        return collector.run(TestSettings.with(settings));
    }

    private static String ticketPage(String afterCursor, boolean end, long... ids) {
        String tickets = java.util.Arrays.stream(ids).mapToObj(id -> "{\"id\":" + id
                + ",\"updated_at\":\"2026-11-20T10:00:0" + (id % 10) + "Z\",\"generated_timestamp\":" + (1_795_000_000L + id) + "}")
                .collect(Collectors.joining(","));
        return "{\"tickets\":[" + tickets + "],\"after_cursor\":\"" + afterCursor + "\",\"after_url\":"
                + "\"https://example.zendesk.com/api/v2/incremental/tickets/cursor.json?cursor=" + afterCursor + "\","
                + "\"before_cursor\":null,\"before_url\":null,\"end_of_stream\":" + end + "}";
    }

    private void stubTickets(String cursorOrNull, String body) {
        var mapping = get(urlPathEqualTo(TICKETS_PATH));
        mapping = cursorOrNull == null ? mapping.withQueryParam("start_time", WireMock.matching("\\d+"))
                : mapping.withQueryParam("cursor", equalTo(cursorOrNull));
        zendesk.stubFor(mapping.willReturn(aResponse().withHeader("Content-Type", "application/json").withBody(body)));
    }

    private List<Long> ids(List<JsonNode> records) {
        return records.stream().map(r -> r.get("id").asLong()).sorted().toList();
    }

    @Test
    void ticketExportFollowsAfterCursorThroughAnEmptyPageAndStopsAtEndOfStreamDespiteAfterUrl() {
        stubTickets(null, ticketPage("c1", false, 1, 2));
        stubTickets("c1", ticketPage("c2", false)); // empty, but not the end
        stubTickets("c2", ticketPage("c3", true, 3)); // the end, although after_url is still set

        RunSummary summary = run("RESOURCES", "incremental_tickets");

        assertTrue(summary.ok(), summary::failures);
        assertEquals(3, zendesk.countRequestsMatching(getRequestedFor(urlPathEqualTo(TICKETS_PATH)).build()).getCount());
        long startTime = TestClock.START.minusSeconds(3600).getEpochSecond();
        zendesk.verify(1, getRequestedFor(urlPathEqualTo(TICKETS_PATH)).withQueryParam("start_time", equalTo(String.valueOf(startTime)))
                .withQueryParam("per_page", equalTo("1000")).withQueryParam("support_type_scope", equalTo("all")));
        List<String> keys = bucket.keys("zendesk/crm/incremental_tickets/");
        assertEquals(2, keys.size(), "the empty page writes nothing: " + keys);
        assertEquals(List.of(1L, 2L, 3L), ids(bucket.records("zendesk/crm/")));
        JsonNode state = bucket.json(STATE_KEY);
        assertEquals(2, state.get("version").asInt());
        assertEquals("c3", state.at("/streams/incremental_tickets/cursor").asText());

        // The next run starts from the saved cursor, finds nothing new and writes nothing.
        stubTickets("c3", ticketPage("c3", true));
        assertTrue(run("RESOURCES", "incremental_tickets").ok());
        zendesk.verify(1, getRequestedFor(urlPathEqualTo(TICKETS_PATH)).withQueryParam("cursor", equalTo("c3")));
        assertEquals(keys, bucket.keys("zendesk/crm/incremental_tickets/"));
    }

    @Test
    void recordsAreOneJsonObjectPerLineWithATimestampAndTheObjectIsGzip() {
        stubTickets(null, ticketPage("c1", true, 4, 5));
        assertTrue(run("RESOURCES", "incremental_tickets").ok());
        String key = bucket.keys("zendesk/crm/").get(0);
        assertTrue(key.matches("zendesk/crm/incremental_tickets/\\d{4}/\\d{2}/\\d{2}/\\d{8}T\\d{6}Z-[0-9a-f]{16}\\.ndjson\\.gz"), key);
        byte[] raw = bucket.bytes(key);
        assertEquals(0x1f, raw[0] & 0xff, "gzip magic");
        List<JsonNode> records = Bucket.decode(key, raw);
        assertEquals(2, records.size());
        assertEquals("2026-11-20T10:00:04Z", records.get(0).get("timestamp").asText());
        assertEquals(1_795_000_004L, records.get(0).get("generated_timestamp").asLong());
    }

    @Test
    void auditLogsAcrossSeveralRunsPickUpLateRecordsWithoutLossOrDuplicates() {
        serveFake();
        Instant t0 = TestClock.START;
        // Run 1 sees 250 records of the last hour; one record created 2 minutes before the run only becomes visible later.
        for (int i = 0; i < 250; i++) fake.addAudit(i, t0.minusSeconds(3500 - i * 10L), t0.minusSeconds(3500 - i * 10L));
        fake.addAudit(1000, t0.minusSeconds(120), t0.plusSeconds(600));
        RunSummary first = run("RESOURCES", "audit_logs");
        assertTrue(first.ok(), first::failures);
        assertEquals(250, first.streams().get(0).records());
        zendesk.verify(getRequestedFor(urlPathEqualTo(AUDIT_PATH)).withQueryParam("sort", equalTo("created_at"))
                .withQueryParam("page[size]", equalTo("100")));

        // Run 2, an hour later: new records, and the late one (inside the overlap) is now visible.
        clock.advance(Duration.ofHours(1));
        for (int i = 0; i < 30; i++) fake.addAudit(2000 + i, t0.plusSeconds(60L * i), t0.plusSeconds(60L * i));
        RunSummary second = run("RESOURCES", "audit_logs");
        assertTrue(second.ok(), second::failures);

        // Run 3 straight after: nothing new, nothing written twice.
        clock.advance(Duration.ofMinutes(5));
        assertTrue(run("RESOURCES", "audit_logs").ok());

        List<Long> written = ids(bucket.records("zendesk/crm/audit_logs/"));
        List<Long> expected = fake.auditIds().stream().sorted().toList();
        assertEquals(expected, written, "every audit record exactly once");
        JsonNode record = bucket.records("zendesk/crm/audit_logs/").get(0);
        assertEquals(record.get("created_at").asText(), record.get("timestamp").asText());
    }

    @Test
    void aRerunFromAnOlderCheckpointWritesNoNewKeyAndChangesNoObject() throws Exception {
        serveFake();
        for (int i = 0; i < 2500; i++) fake.putTicket(i, TestClock.START.minusSeconds(3000 - i), "open");
        for (int i = 0; i < 150; i++) fake.addAudit(i, TestClock.START.minusSeconds(1800 - i), TestClock.START.minusSeconds(1800 - i));
        assertTrue(run("MAX_PAGES", "1").ok());
        byte[] afterFirstPages = bucket.bytes(STATE_KEY);
        assertTrue(run().ok());
        Map<String, byte[]> objects = bucket.keys("zendesk/crm/").stream().collect(Collectors.toMap(k -> k, bucket::bytes));
        byte[] finalState = bucket.bytes(STATE_KEY);

        // As if the second run had crashed before its commits: put the older checkpoint back and run again.
        bucket.put(STATE_KEY, afterFirstPages);
        assertTrue(run().ok());

        assertEquals(objects.keySet(), new java.util.HashSet<>(bucket.keys("zendesk/crm/")), "no new keys");
        objects.forEach((k, v) -> assertTrue(java.util.Arrays.equals(v, bucket.bytes(k)), "same content in " + k));
        assertEquals(bucket.json(STATE_KEY).get("streams"), new com.fasterxml.jackson.databind.ObjectMapper().readTree(finalState)
                .get("streams"), "the same positions (the owner is the last pass)");
        assertEquals(2650, bucket.records("zendesk/crm/").size());
    }

    @Test
    void aFailedWriteDoesNotAdvanceTheCheckpoint(@TempDir Path dir) throws Exception {
        stubTickets(null, ticketPage("c1", false, 1));
        stubTickets("c1", ticketPage("c2", true, 2));
        // A file where the stream's directory must go makes every object write fail.
        Files.createDirectories(dir.resolve("zendesk/crm"));
        Files.writeString(dir.resolve("zendesk/crm/incremental_tickets"), "in the way");

        RunSummary failed = run("OUTPUT_DIR", dir.toString(), "RESOURCES", "incremental_tickets");

        assertFalse(failed.ok());
        // The stream's position, not the whole document: the owner's random pass id may contain "c1".
        JsonNode position = new com.fasterxml.jackson.databind.ObjectMapper().readTree(dir.resolve(STATE_KEY).toFile())
                .path("streams").path("incremental_tickets");
        assertFalse(position.has("cursor"), "the checkpoint must not pass the page that was not written: " + position);
        assertTrue(position.has("start_time"), position.toString());

        Files.delete(dir.resolve("zendesk/crm/incremental_tickets"));
        RunSummary retried = run("OUTPUT_DIR", dir.toString(), "RESOURCES", "incremental_tickets");
        assertTrue(retried.ok(), retried::failures);
        assertEquals(2, retried.streams().get(0).records());
        assertTrue(Files.readString(dir.resolve(STATE_KEY)).contains("\"c2\""));
    }

    @Test
    void throttlingHonoursRetryAfterThenRateLimitResetThenBacksOff() {
        stubTickets(null, ticketPage("c1", true, 1));
        zendesk.stubFor(get(urlPathEqualTo(TICKETS_PATH)).inScenario("429").whenScenarioStateIs("Started")
                .willReturn(aResponse().withStatus(429).withHeader("Retry-After", "7")).willSetStateTo("second"));
        zendesk.stubFor(get(urlPathEqualTo(TICKETS_PATH)).inScenario("429").whenScenarioStateIs("second")
                .willReturn(aResponse().withStatus(429).withHeader("ratelimit-reset", "13")).willSetStateTo("third"));
        zendesk.stubFor(get(urlPathEqualTo(TICKETS_PATH)).inScenario("429").whenScenarioStateIs("third")
                .willReturn(aResponse().withStatus(429)).willSetStateTo("done"));
        zendesk.stubFor(get(urlPathEqualTo(TICKETS_PATH)).inScenario("429").whenScenarioStateIs("done")
                .willReturn(aResponse().withHeader("Content-Type", "application/json").withBody(ticketPage("c1", true, 1))));

        RunSummary summary = run("RESOURCES", "incremental_tickets");

        assertTrue(summary.ok(), summary::failures);
        List<Duration> waits = sleeper.waits();
        assertEquals(List.of(Duration.ofSeconds(7), Duration.ofSeconds(13)), waits.subList(0, 2), "Retry-After, then ratelimit-reset");
        assertTrue(waits.get(2).compareTo(Duration.ofSeconds(2)) >= 0 && waits.get(2).compareTo(Duration.ofSeconds(4)) <= 0,
                "then the third attempt's backoff, 4 s less up to half of it as jitter: " + waits);
        assertEquals(3, summary.streams().get(0).throttledWaits());
        assertEquals(1, summary.streams().get(0).records());
    }

    @Test
    void truncatedBodiesResetsAndServerErrorsAreRetried() {
        serveFake();
        for (int i = 0; i < 10; i++) fake.putTicket(i, TestClock.START.minusSeconds(600 + i), "open");
        fake.failNext(FakeZendesk.Fault.TRUNCATED_BODY, FakeZendesk.Fault.RESET, FakeZendesk.Fault.MALFORMED_CHUNK);

        RunSummary summary = run("RESOURCES", "incremental_tickets", "HTTP_RETRIES", "3");

        assertTrue(summary.ok(), summary::failures);
        assertEquals(3, summary.streams().get(0).retries());
        assertEquals(10, ids(bucket.records("zendesk/crm/")).size());
    }

    @Test
    void exhaustedRetriesFailTheRunAndTheNextRunCarriesOnFromTheLastCommittedPage() {
        serveFake();
        fake.ticketPageSize(5);
        for (int i = 0; i < 20; i++) fake.putTicket(i, TestClock.START.minusSeconds(600 + i), "open");
        assertTrue(run("RESOURCES", "incremental_tickets", "MAX_PAGES", "2").ok());
        fake.failNext(FakeZendesk.Fault.HTTP_500, FakeZendesk.Fault.HTTP_500);

        RunSummary failed = run("RESOURCES", "incremental_tickets", "HTTP_RETRIES", "1");
        assertFalse(failed.ok());
        assertTrue(failed.failures().contains("after 2 attempts"), failed.failures());
        assertTrue(failed.failures().contains("HTTP 500"), failed.failures());

        RunSummary next = run("RESOURCES", "incremental_tickets");
        assertTrue(next.ok(), next::failures);
        assertEquals(10, next.streams().get(0).records());
        List<Long> all = ids(bucket.records("zendesk/crm/"));
        assertEquals(20, all.size());
        assertEquals(20, all.stream().distinct().count());
    }

    @Test
    void unauthorizedFailsAtOnceNamingTheCredentialSettingsWithoutLeakingThem() {
        zendesk.stubFor(get(anyUrl()).willReturn(aResponse().withStatus(401)
                .withHeader("Content-Type", "application/json").withBody("{\"error\":\"Couldn't authenticate you\"}")));

        RunSummary summary = run();

        assertFalse(summary.ok());
        assertEquals(2, zendesk.getAllServeEvents().size(), "one request per stream, no retry");
        assertTrue(sleeper.waits().isEmpty());
        String failures = summary.failures();
        assertTrue(failures.contains("audit_logs: Zendesk answered 401"), failures);
        assertTrue(failures.contains("ZENDESK_EMAIL and ZENDESK_API_TOKEN"), failures);
        assertTrue(failures.contains("Couldn't authenticate you"), failures);
        assertFalse(failures.contains(CollectorTestResources.API_TOKEN), failures);
    }

    @Test
    void forbiddenAuditLogsFailOnlyThatStreamAndTicketsStillArrive() {
        zendesk.stubFor(get(urlPathEqualTo(AUDIT_PATH)).willReturn(aResponse().withStatus(403)
                .withHeader("Content-Type", "application/json").withBody("{\"error\":\"Forbidden\"}")));
        stubTickets(null, ticketPage("c1", true, 1));

        RunSummary summary = run();

        assertFalse(summary.ok());
        StreamResult audit = summary.streams().get(0);
        StreamResult tickets = summary.streams().get(1);
        assertFalse(audit.ok());
        assertTrue(audit.error().contains("403") && audit.error().contains("Enterprise") && audit.error().contains("auditlogs:read"),
                audit.error());
        assertEquals(1, zendesk.countRequestsMatching(getRequestedFor(urlPathEqualTo(AUDIT_PATH)).build()).getCount());
        assertTrue(tickets.ok());
        assertEquals(List.of(1L), ids(bucket.records("zendesk/crm/incremental_tickets/")));
    }

    @Test
    void aCorruptCheckpointStopsTheRunAndIsLeftUntouched() {
        byte[] corrupt = "{\"version\": 1, \"streams\": ".getBytes();
        bucket.put(STATE_KEY, corrupt);
        stubTickets(null, ticketPage("c1", true, 1));

        RunSummary summary = run();

        assertFalse(summary.ok());
        assertTrue(summary.failures().contains("s3://zendesk-logs/" + STATE_KEY), summary.failures());
        assertTrue(summary.failures().contains("unreadable"), summary.failures());
        assertEquals(0, zendesk.getAllServeEvents().size(), "no Zendesk request with an unreadable checkpoint");
        assertEquals(new String(corrupt), new String(bucket.bytes(STATE_KEY)));
    }

    @Test
    void credentialsGivenAsSecretOrParameterArnsAreReadThroughTheExtension() {
        serveFake();
        fake.putTicket(1, TestClock.START.minusSeconds(300), "open");
        String secretArn = "arn:aws:secretsmanager:us-east-1:123456789012:secret:zendesk/api-token-AbCdEf";
        String parameterArn = "arn:aws:ssm:us-east-1:123456789012:parameter/zendesk/api-token";
        zendesk.stubFor(get(urlPathEqualTo("/secretsmanager/get")).withQueryParam("secretId", equalTo(secretArn))
                .withHeader("X-Aws-Parameters-Secrets-Token", equalTo("session-token-1"))
                .willReturn(aResponse().withBody("{\"ARN\":\"" + secretArn + "\",\"SecretString\":\"" + CollectorTestResources.API_TOKEN + "\"}")));
        zendesk.stubFor(get(urlPathEqualTo("/systemsmanager/parameters/get")).withQueryParam("name", equalTo(parameterArn))
                .withQueryParam("withDecryption", equalTo("true"))
                .withHeader("X-Aws-Parameters-Secrets-Token", equalTo("session-token-1"))
                .willReturn(aResponse().withBody("{\"Parameter\":{\"Value\":\"" + CollectorTestResources.API_TOKEN + "\"}}")));
        String port = String.valueOf(zendesk.port());

        for (String reference : List.of(secretArn, parameterArn)) {
            bucket.empty();
            RunSummary summary = run("RESOURCES", "incremental_tickets", "ZENDESK_API_TOKEN", reference,
                    "PARAMETERS_SECRETS_EXTENSION_HTTP_PORT", port, "AWS_SESSION_TOKEN", "session-token-1");
            assertTrue(summary.ok(), reference + ": " + summary.failures()); // the fake Zendesk checks the resolved token
            assertEquals(1, summary.streams().get(0).records());
        }
    }

    @Test
    void anUnreadableSecretFailsBeforeAnyZendeskRequestNamingTheSettingAndTheArn() {
        serveFake();
        String secretArn = "arn:aws:secretsmanager:us-east-1:123456789012:secret:zendesk/api-token-AbCdEf";
        zendesk.stubFor(get(urlPathEqualTo("/secretsmanager/get")).willReturn(aResponse().withStatus(400)
                .withBody("{\"__type\":\"AccessDeniedException\"}")));
        io.zendeskcrm.collector.config.SettingsException e = org.junit.jupiter.api.Assertions.assertThrows(
                io.zendeskcrm.collector.config.SettingsException.class,
                () -> run("ZENDESK_API_TOKEN", secretArn, "PARAMETERS_SECRETS_EXTENSION_HTTP_PORT", String.valueOf(zendesk.port()),
                        "AWS_SESSION_TOKEN", "session-token-1"));
        assertTrue(e.getMessage().contains("ZENDESK_API_TOKEN names " + secretArn), e.getMessage());
        assertTrue(e.getMessage().contains("secretsmanager:GetSecretValue"), e.getMessage());
        assertEquals(0, fake.requests());
    }

    @Test
    void aLambdaInvocationNearItsTimeoutStopsStartingPagesCommitsAndTheNextOneContinues() {
        serveFake();
        fake.ticketPageSize(10);
        for (int i = 0; i < 95; i++) fake.putTicket(i, TestClock.START.minusSeconds(900 + i), "open");
        fake.onRequest(() -> clock.advance(Duration.ofSeconds(10))); // every Zendesk answer takes 10 s
        Settings settings = TestSettings.with("RESOURCES", "incremental_tickets", "MAX_PAGES", "0", "LAMBDA_TIME_MARGIN_SECONDS", "60",
                "HTTP_TIMEOUT", "30");

        // 85 s left, 60 s margin: pages may start during the first 25 s, so three of them.
        RunSummary first = collector.run(settings, java.util.Optional.of(Duration.ofSeconds(85)), Progress.NONE);
        assertTrue(first.ok(), first::failures);
        assertTrue(first.streams().get(0).more(), "more to do");
        assertEquals(3, first.streams().get(0).pages());
        assertEquals(30, ids(bucket.records("zendesk/crm/")).size());

        int invocations = 1;
        RunSummary next;
        do {
            next = collector.run(settings, java.util.Optional.of(Duration.ofSeconds(85)), Progress.NONE);
            assertTrue(next.ok(), next::failures);
            invocations++;
        } while (next.streams().get(0).more());
        assertEquals(4, invocations);
        List<Long> all = ids(bucket.records("zendesk/crm/"));
        assertEquals(95, all.size());
        assertEquals(95, all.stream().distinct().count(), "nothing lost or repeated");
    }

    @Test
    void aTimeBudgetForOnceStopsTheRunWithMoreToDo() {
        serveFake();
        fake.ticketPageSize(10);
        for (int i = 0; i < 95; i++) fake.putTicket(i, TestClock.START.minusSeconds(900 + i), "open");
        fake.onRequest(() -> clock.advance(Duration.ofSeconds(10)));

        RunSummary summary = run("RESOURCES", "incremental_tickets", "MAX_PAGES", "0", "TIME_BUDGET_SECONDS", "35");

        assertTrue(summary.ok(), summary::failures);
        assertTrue(summary.streams().get(0).more());
        assertEquals(4, summary.streams().get(0).pages(), "pages start at 0, 10, 20 and 30 s of a 35 s budget");
    }

    @Test
    void aRetryWaitPastTheDeadlineEndsThePassCleanlyInsteadOfBeingKilled() {
        serveFake();
        for (int i = 0; i < 5; i++) fake.putTicket(i, TestClock.START.minusSeconds(900 + i), "open");
        zendesk.stubFor(get(urlPathEqualTo(TICKETS_PATH)).atPriority(1).willReturn(aResponse().withStatus(429).withHeader("Retry-After", "120")));

        RunSummary summary = run("RESOURCES", "incremental_tickets", "TIME_BUDGET_SECONDS", "60");

        assertTrue(summary.ok(), summary::failures);
        assertTrue(summary.streams().get(0).more());
        assertTrue(sleeper.waits().isEmpty(), "no wait that would outlast the budget");
    }

    @Test
    void settingsMatchTheReferenceLambdaNamesAndDefaults() {
        Settings s = TestSettings.with("S3_PREFIX", "/zendesk//crm/", "ZENDESK_BASE_URL", "https://acme.zendesk.com/");
        assertEquals("zendesk/crm", s.prefix());
        assertEquals("https://acme.zendesk.com", s.zendeskBaseUrl().toString());
        assertEquals(List.of("audit_logs", "incremental_tickets"), s.resources());
    }
}
