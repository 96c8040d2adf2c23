package io.zendeskcrm.collector;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.zendeskcrm.collector.checkpoint.Checkpoint;
import io.zendeskcrm.collector.runner.RunMetrics;
import io.zendeskcrm.collector.support.CollectorComponentTest;
import io.zendeskcrm.collector.support.CollectorTestResources;
import io.zendeskcrm.collector.support.TestClock;
import io.zendeskcrm.collector.support.TestSettings;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The access-log stream against a Zendesk that speaks its Access Logs API (WireMock) and a real S3 server. */
@QuarkusTest
@QuarkusTestResource(CollectorTestResources.class)
class AccessLogsTest extends CollectorComponentTest {

    @BeforeEach
    void serve() {
        serveFake();
    }

    private RunSummary run(String... settings) {
        String[] all = new String[settings.length + 2];
        all[0] = "RESOURCES";
        all[1] = "access_logs";
        System.arraycopy(settings, 0, all, 2, settings.length);
        return collector.run(TestSettings.with(all));
    }

    private List<String> written() {
        return bucket.records("zendesk/crm/access_logs/").stream().map(r -> r.get("id").asText()).sorted().toList();
    }

    @Test
    void windowsOfWholeSecondsCollectEveryRecordOnceAcrossRunsIncludingLateOnesInsideTheOverlap() {
        Instant t0 = TestClock.START;
        for (int i = 0; i < 2500; i++) fake.addAccessLog(i, t0.minusSeconds(3500 - i), t0.minusSeconds(3500 - i));
        for (int i = 0; i < 20; i++) fake.addAccessLog(5000 + i, t0.minusSeconds(200 - i * 5), t0.minusSeconds(100)); // in the overlap
        fake.addAccessLog(9000, t0.minusSeconds(150), t0.plusSeconds(200)); // created inside the first window, listed late

        RunSummary first = run("ACCESS_LOG_PAGE_SIZE", "1000");
        assertTrue(first.ok(), first::failures);
        assertEquals(2520, first.streams().get(0).records());
        for (LoggedRequest r : zendesk.findAll(getRequestedFor(urlPathEqualTo(ACCESS_PATH)))) {
            assertTrue(r.queryParameter("filter[start]").firstValue().matches("\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}Z"));
            assertTrue(r.queryParameter("filter[end]").firstValue().matches("\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}Z"));
            assertEquals("1000", r.queryParameter("page[size]").firstValue());
        }

        clock.advance(Duration.ofSeconds(250));
        for (int i = 0; i < 30; i++) fake.addAccessLog(10_000 + i, clock.instant().minusSeconds(200 - i), clock.instant().minusSeconds(100));
        RunSummary second = run();
        assertTrue(second.ok(), second::failures);
        assertEquals(20, second.streams().get(0).rereadRecords(), "the overlap is read again, and skipped");
        clock.advance(Duration.ofMinutes(10));
        assertTrue(run().ok());

        assertEquals(fake.accessLogIds().stream().sorted().toList(), written(), "every access-log record exactly once");
        JsonNode record = bucket.records("zendesk/crm/access_logs/").get(0);
        assertTrue(record.get("id").isTextual());
        assertEquals(13, record.size(), "the record as Zendesk sent it: it already has a timestamp, nothing is added");
        assertTrue(bucket.keys("zendesk/crm/access_logs/").get(0).matches("zendesk/crm/access_logs/\\d{4}/\\d{2}/\\d{2}/.*\\.ndjson\\.gz"));
    }

    @Test
    void throttlingWithoutRateLimitHeadersIsWaitedOutAsZendeskSaysAndNeverFailsTheRun() {
        fake.accessLogRateLimit(3, Duration.ofMinutes(1));
        for (int i = 0; i < 1000; i++) fake.addAccessLog(i, TestClock.START.minusSeconds(3000 - i), TestClock.START.minusSeconds(2000));

        RunSummary summary = run("ACCESS_LOG_PAGE_SIZE", "100", "HTTP_RETRIES", "0", "MAX_PAGES", "0");

        assertTrue(summary.ok(), summary::failures);
        assertEquals(1000, summary.streams().get(0).records());
        assertTrue(fake.accessLogsThrottled() > 0);
        assertEquals(fake.accessLogsThrottled(), summary.streams().get(0).throttledWaits());
        assertTrue(sleeper.waits().stream().allMatch(w -> w.compareTo(Duration.ofSeconds(60)) <= 0), sleeper.waits().toString());
        assertEquals(fake.accessLogIds().stream().sorted().toList(), written());
    }

    @Test
    void withoutTheAddOnTheErrorNamesItAndTheRoleAndTheOtherStreamsCarryOn() {
        fake.accessLogsEnabled(false);
        for (int i = 0; i < 5; i++) fake.putTicket(i, TestClock.START.minusSeconds(600 + i), "open");

        RunSummary summary = collector.run(TestSettings.with("RESOURCES", "access_logs,incremental_tickets"));

        assertFalse(summary.ok());
        String error = summary.streams().get(0).error();
        assertTrue(error.startsWith("access_logs: Zendesk answered 403 at window "), error);
        assertTrue(error.contains("Advanced Data Privacy and Protection (ADPP) add-on") && error.contains("admin"), error);
        assertTrue(summary.streams().get(1).ok());
        assertEquals(5, summary.streams().get(1).records());
    }

    @Test
    void aRefusedPageSizeNamesTheSettingAndTheWindow() {
        RunSummary summary = run("ACCESS_LOG_PAGE_SIZE", "2500");
        assertTrue(summary.ok(), "2500 is accepted: " + summary.failures());
        zendesk.resetAll();
        zendesk.stubFor(com.github.tomakehurst.wiremock.client.WireMock.get(urlPathEqualTo(ACCESS_PATH))
                .willReturn(com.github.tomakehurst.wiremock.client.WireMock.aResponse().withStatus(400)
                        .withHeader("Content-Type", "application/json")
                        .withBody("{\"error\":\"InvalidPaginationParameter\",\"description\":\"page[size] is too large\"}")));
        clock.advance(Duration.ofMinutes(5));

        RunSummary refused = run("ACCESS_LOG_PAGE_SIZE", "2000");

        String error = refused.streams().get(0).error();
        assertTrue(error.contains("400 at window "), error);
        assertTrue(error.contains("check ACCESS_LOG_PAGE_SIZE (2000)"), error);
        assertTrue(error.contains("page[size] is too large"), error);
    }

    @Test
    void aStartOlderThanNinetyDaysBeginsAtTheOldestRecordZendeskStillHas() {
        Instant old = TestClock.START.minus(Duration.ofDays(120));
        for (int i = 0; i < 100; i++) fake.addAccessLog(i, old.plus(Duration.ofDays(i)), old.plus(Duration.ofDays(i)));

        RunSummary summary = run("START_TIME", old.toString(), "MAX_PAGES", "0");

        assertTrue(summary.ok(), summary::failures);
        assertEquals(0, summary.streams().get(0).gapSeconds(), "asking for more than Zendesk keeps is not a gap");
        LoggedRequest first = zendesk.findAll(getRequestedFor(urlPathEqualTo(ACCESS_PATH))).get(0);
        Instant start = Instant.parse(first.queryParameter("filter[start]").firstValue());
        assertTrue(start.isAfter(TestClock.START.minus(Duration.ofDays(90))), start.toString());
        assertTrue(start.isBefore(TestClock.START.minus(Duration.ofDays(89))), start.toString());
        assertEquals(fake.keptAccessLogIds().stream().sorted().toList(), written());
    }

    /** A collector switched off for months: the lost interval is reported, not hidden. */
    @Test
    void aCheckpointOlderThanNinetyDaysCarriesOnFromTheOldestRecordAndReportsTheGap() throws Exception {
        for (int i = 0; i < 10; i++) fake.addAccessLog(i, TestClock.START.minusSeconds(1000 - i), TestClock.START.minusSeconds(900));
        assertTrue(run().ok());
        clock.advance(Duration.ofDays(100));
        for (int i = 0; i < 50; i++) {
            Instant at = clock.instant().minus(Duration.ofHours(95 * 24 - 45L * i)); // from 95 days ago to 3 days ago
            fake.addAccessLog(100 + i, at, at);
        }

        RunSummary later = run("MAX_PAGES", "0");

        assertTrue(later.ok(), later::failures);
        StreamResult s = later.streams().get(0);
        long expectedGap = Duration.between(TestClock.START.minusSeconds(60), clock.instant().minus(Duration.ofDays(90))).toSeconds();
        assertTrue(Math.abs(s.gapSeconds() - expectedGap) <= 700, "gap " + s.gapSeconds() + " s, about " + expectedGap);
        JsonNode metric = new com.fasterxml.jackson.databind.ObjectMapper().readTree(
                RunMetrics.emf(later, "fn", clock.instant()).get(0));
        assertEquals(s.gapSeconds(), metric.get("RetentionGap").asLong());
        List<String> expected = new java.util.ArrayList<>(fake.keptAccessLogIds());
        for (int i = 0; i < 10; i++) expected.add(fake.accessLogIds().get(i)); // collected before the gap
        assertEquals(expected.stream().sorted().toList(), written());
        Checkpoint checkpoint = Checkpoint.parse(bucket.bytes(STATE_KEY), STATE_KEY);
        assertFalse(checkpoint.position("access_logs").orElseThrow().has("gap_seconds"), "the gap is reported once");
    }

    private long metric(RunSummary summary, String name) throws Exception {
        return new com.fasterxml.jackson.databind.ObjectMapper().readTree(RunMetrics.emf(summary, "fn", clock.instant()).get(0))
                .get(name).asLong();
    }

    /** Regression: a window left open across an outage longer than the 90 days lost what Zendesk deleted, with gap_seconds 0. */
    @Test
    void aWindowLeftOpenAcrossAnOutageReportsWhatZendeskDeletedInItOnceAndTheNextWindowTheRest() throws Exception {
        for (int i = 0; i < 1000; i++) fake.addAccessLog(i, TestClock.START.minusSeconds(3000 - i * 2L), TestClock.START.minusSeconds(900));
        RunSummary first = run("ACCESS_LOG_PAGE_SIZE", "100", "MAX_PAGES", "1", "START_TIME", TestClock.START.minusSeconds(3600).toString());
        assertTrue(first.streams().get(0).more(), "the window is left open");
        JsonNode open = Checkpoint.parse(bucket.bytes(STATE_KEY), STATE_KEY).position("access_logs").orElseThrow();
        Instant lastTime = Instant.parse(open.get("last_time").asText());
        Instant windowEnd = Instant.parse(open.get("window_end").asText());

        clock.advance(Duration.ofDays(100));
        for (int i = 0; i < 20; i++) fake.addAccessLog(5000 + i, clock.instant().minus(Duration.ofDays(3)), clock.instant().minus(Duration.ofDays(3)));
        RunSummary resumed = run("ACCESS_LOG_PAGE_SIZE", "100", "MAX_PAGES", "0");

        assertTrue(resumed.ok(), resumed::failures);
        assertEquals(Duration.between(lastTime, windowEnd).toSeconds(), resumed.streams().get(0).gapSeconds(),
                "the rest of the open window was deleted before it was read");
        assertEquals(resumed.streams().get(0).gapSeconds(), metric(resumed, "RetentionGap"));
        RunSummary next = run("ACCESS_LOG_PAGE_SIZE", "100", "MAX_PAGES", "0");
        assertTrue(next.ok(), next::failures);
        long rest = next.streams().get(0).gapSeconds();
        Instant oldest = clock.instant().minus(Duration.ofDays(90)).plus(Duration.ofMinutes(10));
        assertTrue(Math.abs(rest - Duration.between(windowEnd, oldest).toSeconds()) <= 1, "from the window's end on: " + rest);
        assertEquals(0, run("MAX_PAGES", "0").streams().get(0).gapSeconds(), "every loss is reported once");
        List<String> expected = new java.util.ArrayList<>(fake.accessLogIds().subList(0, 100)); // the first page, before the outage
        expected.addAll(fake.keptAccessLogIds());
        assertEquals(expected.stream().sorted().toList(), written());
    }

    /** Regression: a gap found by a pass that then failed never reached the summary or the RetentionGap metric. */
    @Test
    void aGapFoundByAPassThatThenFailsIsReportedByThatPassAndOnlyByIt() throws Exception {
        for (int i = 0; i < 10; i++) fake.addAccessLog(i, TestClock.START.minusSeconds(1000 - i), TestClock.START.minusSeconds(900));
        assertTrue(run().ok());
        clock.advance(Duration.ofDays(100));
        fake.failNext(io.zendeskcrm.collector.support.FakeZendesk.Fault.HTTP_500);

        RunSummary failed = run("HTTP_RETRIES", "0");

        assertFalse(failed.ok());
        StreamResult s = failed.streams().get(0);
        assertTrue(s.error().contains("HTTP 500"), s.error());
        assertTrue(s.gapSeconds() > Duration.ofDays(9).toSeconds(), "about ten days lost: " + s.gapSeconds());
        assertEquals(s.gapSeconds(), metric(failed, "RetentionGap"));
        RunSummary next = run();
        assertTrue(next.ok(), next::failures);
        assertEquals(0, next.streams().get(0).gapSeconds(), "the committed window's loss was reported by the pass that found it");
    }

    /**
     * Regression: the cursor went in {@code page[after]} only. Zendesk's reference names it {@code filter[after]};
     * an endpoint that reads only that name served its first page again and again.
     */
    @Test
    void theCursorGoesInTheParameterThatLinksNextNames() {
        fake.accessLogCursorParameter("filter[after]");
        for (int i = 0; i < 250; i++) fake.addAccessLog(i, TestClock.START.minusSeconds(3000 - i), TestClock.START.minusSeconds(2000));

        RunSummary summary = run("ACCESS_LOG_PAGE_SIZE", "100", "MAX_PAGES", "10");

        assertTrue(summary.ok(), summary::failures);
        assertEquals(250, summary.streams().get(0).records());
        assertEquals(fake.accessLogIds().stream().sorted().toList(), written());
        List<LoggedRequest> requests = zendesk.findAll(getRequestedFor(urlPathEqualTo(ACCESS_PATH)));
        assertEquals(3, requests.size());
        assertFalse(requests.get(0).queryParameter("filter[after]").isPresent(), "the first page has no cursor");
        for (LoggedRequest r : requests.subList(1, 3)) {
            assertTrue(r.queryParameter("filter[after]").isPresent(), r.getUrl());
            assertFalse(r.queryParameter("page[after]").isPresent(), r.getUrl());
        }
    }

    /**
     * Regression: a {@code ratelimit-reset} sent as a date-time (as the access-log reference describes it) was not
     * read, so each 429 was retried after a short backoff into the same exhausted minute, again and again.
     */
    @Test
    void aRatelimitResetSentAsADateTimeIsWaitedOutToThatMoment() {
        fake.accessLogRateLimit(3, Duration.ofMinutes(1));
        fake.accessLogResetForm(io.zendeskcrm.collector.support.FakeZendesk.ResetForm.ISO_8601);
        for (int i = 0; i < 1000; i++) fake.addAccessLog(i, TestClock.START.minusSeconds(3000 - i), TestClock.START.minusSeconds(2000));

        RunSummary summary = run("ACCESS_LOG_PAGE_SIZE", "100", "HTTP_RETRIES", "0", "MAX_PAGES", "0");

        assertTrue(summary.ok(), summary::failures);
        assertEquals(1000, summary.streams().get(0).records());
        assertEquals(3, fake.accessLogsThrottled(), "10 pages at 3 a minute: one 429 at the end of each of the first 3 minutes");
        assertEquals(3, summary.streams().get(0).throttledWaits());
        assertTrue(sleeper.waits().stream().allMatch(w -> w.compareTo(Duration.ofSeconds(61)) <= 0), sleeper.waits().toString());
        assertEquals(fake.accessLogIds().stream().sorted().toList(), written());
    }
}
