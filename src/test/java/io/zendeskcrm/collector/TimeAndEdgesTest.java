package io.zendeskcrm.collector;

import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.zendeskcrm.collector.config.Settings;
import io.zendeskcrm.collector.config.SettingsException;
import io.zendeskcrm.collector.support.CollectorComponentTest;
import io.zendeskcrm.collector.support.CollectorTestResources;
import io.zendeskcrm.collector.support.FakeZendesk;
import io.zendeskcrm.collector.support.TestClock;
import io.zendeskcrm.collector.support.TestSettings;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Whole-second windows, silent drops, and the edges of time: budgets, Retry-After, START_TIME, Lambda limits. */
@QuarkusTest
@QuarkusTestResource(CollectorTestResources.class)
class TimeAndEdgesTest extends CollectorComponentTest {

    private RunSummary run(String... settings) {
        return collector.run(TestSettings.with(settings));
    }

    private List<Long> auditIds() {
        return bucket.records("zendesk/crm/audit_logs/").stream().map(r -> r.get("id").asLong()).sorted().toList();
    }

    /** Regression: filters carried the clock's nanoseconds; a server that refuses them failed every run, forever. */
    @Test
    void auditWindowsAreWholeSecondsThatAStrictServerAccepts() {
        serveFake(); // the fake refuses fractional filters by default
        for (int i = 0; i < 20; i++) fake.addAudit(i, TestClock.START.minusSeconds(1000 - i * 10L), TestClock.START.minusSeconds(900));

        RunSummary summary = run("RESOURCES", "audit_logs");

        assertTrue(summary.ok(), summary::failures);
        assertEquals(20, summary.streams().get(0).records());
        for (LoggedRequest r : zendesk.findAll(getRequestedFor(urlPathEqualTo(AUDIT_PATH)))) {
            for (String bound : r.queryParameter("filter[created_at][]").values()) {
                assertTrue(bound.matches("\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}Z"), bound);
            }
        }
    }

    /** Regression: against a server that reads fractions up to the second, audit 500741 was written twice in three runs 5 s apart. */
    @Test
    void aServerThatTruncatesFractionsGetsEveryRecordOnceOverRunsSecondsApart() {
        serveFake();
        fake.filterTimes(FakeZendesk.FilterTimes.TRUNCATE_FRACTIONS);
        long id = 500_000;
        for (int run = 0; run < 6; run++) {
            Instant now = clock.instant();
            // Records in every second around the previous window's end, some only visible now.
            for (int s = 0; s < 12; s++) fake.addAudit(id++, now.minusMillis(65_000 + s * 700L), now.minusSeconds(1));
            RunSummary summary = run("RESOURCES", "audit_logs", "AUDIT_LOG_OVERLAP_SECONDS", "30", "AUDIT_LOG_DELAY_SECONDS", "60");
            assertTrue(summary.ok(), summary::failures);
            clock.advance(Duration.ofMillis(5_317));
        }
        clock.advance(Duration.ofMinutes(3));
        assertTrue(run("RESOURCES", "audit_logs", "AUDIT_LOG_OVERLAP_SECONDS", "30", "AUDIT_LOG_DELAY_SECONDS", "60").ok());
        assertEquals(fake.auditIds().stream().sorted().toList(), auditIds(), "every audit record exactly once");
    }

    @Test
    void aRecordWithoutIdIsWrittenAndCounted() {
        zendesk.stubFor(get(urlPathEqualTo(AUDIT_PATH)).willReturn(aResponse().withHeader("Content-Type", "application/json")
                .withBody("{\"audit_logs\":[{\"action\":\"login\",\"created_at\":\"2026-11-20T11:30:00Z\"},"
                        + "{\"id\":5,\"action\":\"update\",\"created_at\":\"2026-11-20T11:31:00Z\"}],"
                        + "\"meta\":{\"has_more\":false,\"after_cursor\":null}}")));

        RunSummary summary = run("RESOURCES", "audit_logs");

        assertTrue(summary.ok(), summary::failures);
        assertEquals(2, summary.streams().get(0).records());
        assertEquals(1, summary.streams().get(0).withoutId());
        assertEquals(2, bucket.records("zendesk/crm/audit_logs/").size());
    }

    @Test
    void aStartTimeInTheFutureIsRefusedBeforeAnyRequest() {
        serveFake();
        SettingsException e = assertThrows(SettingsException.class,
                () -> run("START_TIME", TestClock.START.plus(Duration.ofDays(30)).toString()));
        assertTrue(e.getMessage().startsWith("START_TIME (2026-12-20T12:00:00.437218Z) is in the future"), e.getMessage());
        assertEquals(0, fake.requests());
    }

    @Test
    void aRetryAfterOfTenMinutesEndsThePassAsOutOfTimeWithMoreToDoNotAsAFailure() {
        zendesk.stubFor(get(urlPathEqualTo(TICKETS_PATH)).willReturn(aResponse().withStatus(429).withHeader("Retry-After", "600")));

        RunSummary summary = run("RESOURCES", "incremental_tickets");

        assertTrue(summary.ok(), summary::failures);
        assertTrue(summary.streams().get(0).more());
        assertTrue(sleeper.waits().isEmpty(), "ten minutes are not sat out inside a run");
    }

    @Test
    void aRetryAfterGivenAsAnHttpDateIsWaitedOutUntilThatMoment() {
        String in42s = DateTimeFormatter.RFC_1123_DATE_TIME.format(TestClock.START.plusSeconds(42).atOffset(ZoneOffset.UTC));
        zendesk.stubFor(get(urlPathEqualTo(TICKETS_PATH)).inScenario("date").whenScenarioStateIs("Started")
                .willReturn(aResponse().withStatus(429).withHeader("Retry-After", in42s)).willSetStateTo("ok"));
        zendesk.stubFor(get(urlPathEqualTo(TICKETS_PATH)).inScenario("date").whenScenarioStateIs("ok")
                .willReturn(aResponse().withHeader("Content-Type", "application/json")
                        .withBody("{\"tickets\":[{\"id\":1}],\"after_cursor\":\"c1\",\"end_of_stream\":true}")));

        RunSummary summary = run("RESOURCES", "incremental_tickets");

        assertTrue(summary.ok(), summary::failures);
        // The date has whole seconds; the clock has a fraction: a little under 42 s to wait.
        assertEquals(List.of(Duration.between(TestClock.START, TestClock.START.plusSeconds(42).truncatedTo(ChronoUnit.SECONDS))),
                sleeper.waits());
    }

    @Test
    void throttlingDoesNotUseUpHttpRetries() {
        zendesk.stubFor(get(urlPathEqualTo(TICKETS_PATH)).inScenario("t").whenScenarioStateIs("Started")
                .willReturn(aResponse().withStatus(429).withHeader("Retry-After", "2")).willSetStateTo("again"));
        zendesk.stubFor(get(urlPathEqualTo(TICKETS_PATH)).inScenario("t").whenScenarioStateIs("again")
                .willReturn(aResponse().withStatus(429).withHeader("Retry-After", "3")).willSetStateTo("ok"));
        zendesk.stubFor(get(urlPathEqualTo(TICKETS_PATH)).inScenario("t").whenScenarioStateIs("ok")
                .willReturn(aResponse().withHeader("Content-Type", "application/json")
                        .withBody("{\"tickets\":[{\"id\":1}],\"after_cursor\":\"c1\",\"end_of_stream\":true}")));

        RunSummary summary = run("RESOURCES", "incremental_tickets", "HTTP_RETRIES", "0");

        assertTrue(summary.ok(), summary::failures);
        assertEquals(List.of(Duration.ofSeconds(2), Duration.ofSeconds(3)), sleeper.waits());
        assertEquals(2, summary.streams().get(0).throttledWaits());
    }

    /** Regression: a Timeout below the margin never fetched and reported success on every run. */
    @Test
    void aLambdaTimeoutBelowTheMarginAndAnHttpTimeoutAboveItAreConfigurationErrors() {
        serveFake();
        SettingsException margin = assertThrows(SettingsException.class, () -> collector.run(
                TestSettings.with("LAMBDA_TIME_MARGIN_SECONDS", "90", "HTTP_TIMEOUT", "60"), Optional.of(Duration.ofSeconds(30)), Progress.NONE));
        assertTrue(margin.getMessage().startsWith("LAMBDA_TIME_MARGIN_SECONDS (90) must be less than the function's timeout"),
                margin.getMessage());
        SettingsException http = assertThrows(SettingsException.class, () -> collector.run(
                TestSettings.with("LAMBDA_TIME_MARGIN_SECONDS", "60", "HTTP_TIMEOUT", "60"), Optional.of(Duration.ofSeconds(300)), Progress.NONE));
        assertTrue(http.getMessage().startsWith("HTTP_TIMEOUT (60) must be less than LAMBDA_TIME_MARGIN_SECONDS (60)"),
                http.getMessage());
        assertEquals(0, fake.requests());
        assertTrue(collector.run(TestSettings.with(), Optional.of(Duration.ofSeconds(300)), Progress.NONE).ok(), "the defaults fit a 300 s Timeout");
    }

    /** Regression: with TIME_BUDGET_SECONDS the first stream used the whole budget and the second got nothing. */
    @Test
    void withATimeBudgetEveryStreamAdvances() {
        serveFake();
        fake.ticketPageSize(10);
        for (int i = 0; i < 200; i++) fake.putTicket(i, TestClock.START.minus(Duration.ofHours(5)).plusSeconds(i), "open");
        for (int i = 0; i < 2000; i++) fake.addAudit(i, TestClock.START.minus(Duration.ofHours(5)).plusSeconds(i), TestClock.START);
        fake.onRequest(() -> clock.advance(Duration.ofSeconds(10)));

        RunSummary summary = run("MAX_PAGES", "0", "TIME_BUDGET_SECONDS", "100", "START_TIME",
                TestClock.START.minus(Duration.ofHours(6)).toString());

        assertTrue(summary.ok(), summary::failures);
        for (StreamResult s : summary.streams()) {
            assertTrue(s.more(), s.stream() + " has more to do");
            assertTrue(s.pages() >= 3, s.stream() + " advanced: " + s.pages() + " pages");
        }
        assertFalse(summary.superseded());
    }

    private List<String> accessIds() {
        return bucket.records("zendesk/crm/access_logs/").stream().map(r -> r.get("id").asText()).sorted().toList();
    }

    /** Records made by Zendesk's clock: one audit and one access-log record at {@code at}, listed at once. */
    private void recordsAt(long[] next, Instant at) {
        fake.addAudit(next[0], at, at);
        fake.addAccessLog(next[0]++, at, at);
    }

    private void assertEveryRecordOnce() {
        assertEquals(fake.auditIds().stream().sorted().toList(), auditIds(), "every audit record exactly once");
        assertEquals(fake.accessLogIds().stream().sorted().toList(), accessIds(), "every access-log record exactly once");
    }

    /** Regression: a pass whose clock ran 10 minutes ahead moved both watermarks past records Zendesk had yet to create. */
    @Test
    void aPassWithItsClockTenMinutesAheadLosesNoRecordAndThePassesAfterItCollectAll() {
        serveFake();
        fake.clockOffset(Duration.ofMinutes(-10)); // Zendesk says 11:50:00, this machine 12:00:00.437218
        long[] next = {1};
        for (int i = 0; i < 30; i++) recordsAt(next, fake.now().minusSeconds(1800 - i * 60L));
        // While the pass runs, Zendesk's time moves on and records keep coming, each at its present.
        fake.onRequest(() -> {
            clock.advance(Duration.ofMillis(1_250));
            recordsAt(next, fake.now());
        });

        RunSummary ahead = run("RESOURCES", "audit_logs,access_logs");

        assertTrue(ahead.ok(), ahead::failures);
        for (StreamResult s : ahead.streams()) {
            assertFalse(Instant.parse(s.position().get("watermark").asText())
                            .isAfter(fake.now().minusSeconds(Settings.DEFAULT_WINDOW_DELAY_SECONDS)),
                    s.stream() + " stops a delay before Zendesk's present, not this clock's: " + s.position());
        }
        // The machine's clock is set right; Zendesk's time goes on as before.
        fake.onRequest(() -> { });
        clock.set(fake.now());
        fake.clockOffset(Duration.ZERO);
        for (int pass = 0; pass < 4; pass++) {
            for (int i = 0; i < 10; i++) recordsAt(next, fake.now().minusSeconds(i * 17L));
            clock.advance(Duration.ofSeconds(150));
            RunSummary later = run("RESOURCES", "audit_logs,access_logs");
            assertTrue(later.ok(), later::failures);
        }
        clock.advance(Duration.ofMinutes(2));
        assertTrue(run("RESOURCES", "audit_logs,access_logs").ok());
        assertEveryRecordOnce();
    }

    /** A clock behind Zendesk's loses nothing, and the pass still reads up to a delay before Zendesk's present. */
    @Test
    void aPassWithItsClockTenMinutesBehindReadsUpToZendesksPresentAndNothingTwice() {
        serveFake();
        fake.clockOffset(Duration.ofMinutes(10)); // Zendesk says 12:10:00, this machine 12:00:00.437218
        long[] next = {1};
        for (int i = 0; i < 40; i++) recordsAt(next, fake.now().minusSeconds(1800 - i * 43L)); // up to 2.5 minutes ago

        RunSummary behind = run("RESOURCES", "audit_logs,access_logs");

        assertTrue(behind.ok(), behind::failures);
        assertEveryRecordOnce(); // not only those more than ten minutes old
        for (int pass = 0; pass < 3; pass++) {
            for (int i = 0; i < 10; i++) recordsAt(next, fake.now().minusSeconds(i * 13L));
            clock.advance(Duration.ofSeconds(200));
            assertTrue(run("RESOURCES", "audit_logs,access_logs").ok());
        }
        assertEveryRecordOnce();
    }

    /** A window a pass opened by Zendesk's clock is not opened again by the next: one page per pass still moves on. */
    @Test
    void aClockBehindDoesNotStopAStreamThatReadsOnePagePerPass() {
        serveFake();
        fake.clockOffset(Duration.ofMinutes(10));
        for (int i = 0; i < 300; i++) {
            Instant at = fake.now().minusSeconds(3000 - i * 9L);
            fake.addAudit(i, at, at);
        }
        String start = fake.now().minus(Duration.ofHours(1)).toString();
        assertTrue(run("RESOURCES", "audit_logs", "START_TIME", start, "MAX_PAGES", "1").ok()); // its window is opened again
        for (int pass = 0; pass < 3; pass++) {
            clock.advance(Duration.ofMinutes(2));
            RunSummary summary = run("RESOURCES", "audit_logs", "MAX_PAGES", "1");
            assertEquals(100, summary.streams().get(0).records(), "pass " + pass + " reads its page: " + summary.streams().get(0));
        }
        assertEquals(java.util.stream.LongStream.range(0, 300).boxed().toList(), auditIds(), "every record once");
    }

    /** Regression: raising AUDIT_LOG_OVERLAP_SECONDS while a window was open wrote its earlier pages again (100 of 250). */
    @Test
    void raisingTheOverlapWhileAWindowIsOpenWritesNothingTwice() {
        serveFake();
        for (int i = 0; i < 250; i++) {
            Instant at = TestClock.START.minusSeconds(2500 - i * 9L); // 40 minutes of records, three pages of 100
            fake.addAudit(i, at, at);
        }
        String start = TestClock.START.minus(Duration.ofHours(1)).toString();

        RunSummary first = run("RESOURCES", "audit_logs", "START_TIME", start, "MAX_PAGES", "1");
        assertTrue(first.streams().get(0).more(), "the window stays open after its first page");
        RunSummary rest = run("RESOURCES", "audit_logs", "AUDIT_LOG_OVERLAP_SECONDS", "3600", "MAX_PAGES", "0");
        assertEquals(150, rest.streams().get(0).records());
        clock.advance(Duration.ofMinutes(5));
        RunSummary next = run("RESOURCES", "audit_logs", "AUDIT_LOG_OVERLAP_SECONDS", "3600", "MAX_PAGES", "0");

        assertTrue(next.ok(), next::failures);
        assertEquals(0, next.streams().get(0).records());
        assertEquals(java.util.stream.LongStream.range(0, 250).boxed().toList(), auditIds(), "every record once");
    }

    /** Regression: an export that kept answering the same cursor was reported as caught up, with lag 0. */
    @Test
    void aTicketCursorThatNeverMovesFailsTheStreamNamingItAndCountsForTheAlarm() throws Exception {
        zendesk.stubFor(get(urlPathEqualTo(TICKETS_PATH)).willReturn(aResponse().withHeader("Content-Type", "application/json")
                .withBody("{\"tickets\":[{\"id\":1,\"generated_timestamp\":1795000000}],\"after_cursor\":\"c1\",\"end_of_stream\":false}")));

        RunSummary summary = run("RESOURCES", "incremental_tickets", "MAX_PAGES", "0");

        assertFalse(summary.ok());
        StreamResult s = summary.streams().get(0);
        assertEquals("incremental_tickets: Zendesk answered cursor=c1 with the same after_cursor and no end_of_stream: the export"
                + " does not move on from there; the stream stops here, and the next run asks again", s.error());
        assertTrue(s.stuckCursor());
        assertEquals(null, s.lagSeconds(), "not caught up");
        assertEquals(1, s.records(), "the first page, whose cursor moved, is written");
        assertEquals(2, zendesk.findAll(getRequestedFor(urlPathEqualTo(TICKETS_PATH))).size());
        List<String> metrics = io.zendeskcrm.collector.runner.RunMetrics.emf(summary, "fn", clock.instant());
        assertEquals(1, new com.fasterxml.jackson.databind.ObjectMapper().readTree(metrics.get(metrics.size() - 1))
                .get("StuckCursors").asLong());
    }

    /** Regression: an audit-log cursor that never moved was asked for until MAX_PAGES (for ever with 0), and the run reported success. */
    @Test
    void anAuditLogCursorThatNeverMovesFailsTheStreamAtTheSecondRequest() {
        zendesk.stubFor(get(urlPathEqualTo(AUDIT_PATH)).willReturn(aResponse().withHeader("Content-Type", "application/json")
                .withBody("{\"audit_logs\":[],\"meta\":{\"has_more\":true,\"after_cursor\":\"a1\"}}")));

        RunSummary summary = run("RESOURCES", "audit_logs", "MAX_PAGES", "50");

        assertFalse(summary.ok());
        StreamResult s = summary.streams().get(0);
        assertTrue(s.error().startsWith("audit_logs: Zendesk answered the page at window=") && s.error().contains(";after=a1 with"
                + " has_more and the same after_cursor: the cursor does not move"), s.error());
        assertTrue(s.stuckCursor());
        assertEquals(2, zendesk.findAll(getRequestedFor(urlPathEqualTo(AUDIT_PATH))).size());
    }
}
