package io.zendeskcrm.collector;

import com.fasterxml.jackson.databind.JsonNode;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.zendeskcrm.collector.checkpoint.Checkpoint;
import io.zendeskcrm.collector.config.Settings;
import io.zendeskcrm.collector.support.Bucket;
import io.zendeskcrm.collector.support.CollectorComponentTest;
import io.zendeskcrm.collector.support.CollectorTestResources;
import io.zendeskcrm.collector.support.ExactlyOnce;
import io.zendeskcrm.collector.support.TestClock;
import io.zendeskcrm.collector.support.TestSettings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Staying inside Zendesk's rate limits, and two passes at once against one bucket. */
@QuarkusTest
@QuarkusTestResource(CollectorTestResources.class)
class PacingAndConcurrencyTest extends CollectorComponentTest {

    @BeforeEach
    void serve() {
        serveFake();
    }

    @Test
    void aBackfillPacedByTheExportBucketSeesNo429AndTakesAboutTheMinimumTheLimitAllows() {
        fake.ticketPageSize(10);
        fake.exportRateLimit(10, Duration.ofMinutes(1));
        for (int i = 0; i < 400; i++) fake.putTicket(i, TestClock.START.minus(Duration.ofDays(3)).plusSeconds(i), "open");

        RunSummary summary = collector.run(TestSettings.with("RESOURCES", "incremental_tickets", "MAX_PAGES", "0",
                "START_TIME", TestClock.START.minus(Duration.ofDays(4)).toString()));

        assertTrue(summary.ok(), summary::failures);
        assertEquals(400, summary.streams().get(0).records());
        assertEquals(0, fake.throttled(), "paced, not throttled");
        long requests = summary.streams().get(0).requests();
        assertEquals(40, requests, "40 full pages, the last one saying end_of_stream");
        // Ten requests a minute: the 40th request can start at the earliest three minutes after the first.
        Duration elapsed = Duration.between(TestClock.START, clock.instant());
        Duration minimum = Duration.ofMinutes((requests + 9) / 10 - 1);
        assertTrue(elapsed.compareTo(minimum) >= 0, "never faster than the limit: " + elapsed);
        assertTrue(elapsed.compareTo(minimum.multipliedBy(11).dividedBy(10)) <= 0, "within 10% of the minimum: " + elapsed);
    }

    @Test
    void theAccountBudgetKeepsAReserveForOtherIntegrations() {
        zendesk.resetAll();
        String page = "{\"tickets\":[{\"id\":1}],\"after_cursor\":\"c1\",\"end_of_stream\":true}";
        zendesk.stubFor(get(urlPathEqualTo("/api/v2/incremental/tickets/cursor.json")).willReturn(aResponse()
                .withHeader("Content-Type", "application/json").withHeader("ratelimit-limit", "700")
                .withHeader("ratelimit-remaining", "100").withHeader("ratelimit-reset", "37").withBody(page)));

        RunSummary first = collector.run(TestSettings.with("RESOURCES", "incremental_tickets", "RATE_LIMIT_RESERVE_PERCENT", "20"));
        assertTrue(first.ok(), first::failures);
        assertTrue(sleeper.waits().isEmpty(), "one request, nothing to pace yet");

        // 100 of 700 left is below the 20% reserve: a second request in the same pass waits for the reset.
        zendesk.stubFor(get(urlPathEqualTo("/api/v2/incremental/tickets/cursor.json")).willReturn(aResponse()
                .withHeader("Content-Type", "application/json").withHeader("ratelimit-limit", "700")
                .withHeader("ratelimit-remaining", "100").withHeader("ratelimit-reset", "37")
                .withBody("{\"tickets\":[{\"id\":2}],\"after_cursor\":\"c2\",\"end_of_stream\":false}")));
        zendesk.stubFor(get(urlPathEqualTo("/api/v2/incremental/tickets/cursor.json"))
                .withQueryParam("cursor", com.github.tomakehurst.wiremock.client.WireMock.equalTo("c2")).willReturn(aResponse()
                .withHeader("Content-Type", "application/json").withHeader("ratelimit-limit", "700")
                .withHeader("ratelimit-remaining", "100").withHeader("ratelimit-reset", "37")
                .withBody("{\"tickets\":[{\"id\":3}],\"after_cursor\":\"c3\",\"end_of_stream\":false}")));
        RunSummary second = collector.run(TestSettings.with("RESOURCES", "incremental_tickets", "MAX_PAGES", "2"));
        assertTrue(second.ok(), second::failures);
        assertEquals(List.of(Duration.ofSeconds(37)), sleeper.waits());
        assertEquals(37, second.streams().get(0).pacedSeconds());
    }

    /**
     * Regression: two passes on one checkpoint could both "win", and the loser replaced the winner's
     * object with a different page (27 audit records duplicated of 3300). Pairs of passes start together
     * while Zendesk changes under them: late audit records inside the window being read, updated tickets.
     */
    @Test
    void pairsOfPassesRacingWhileZendeskChangesLeaveEveryRecordOnceInS3AndRewriteNoObject() throws Exception {
        Map<String, String> etags = new ConcurrentHashMap<>();
        List<String> rewritten = new CopyOnWriteArrayList<>();
        Runnable watchBucket = () -> bucket.etags("zendesk/crm/").forEach((key, etag) -> {
            String before = etags.putIfAbsent(key, etag);
            if (before != null && !before.equals(etag)) rewritten.add(key);
        });
        race(TestSettings.with("MAX_PAGES", "0"), watchBucket);

        assertEquals(List.of(), rewritten, "no object is ever written twice");
        assertExactlyOnce(bucket.records("zendesk/crm/audit_logs/"), bucket.records("zendesk/crm/incremental_tickets/"));
        Checkpoint checkpoint = Checkpoint.parse(bucket.bytes("zendesk/crm-state/state.json"), "state");
        assertTrue(checkpoint.position("incremental_tickets").orElseThrow().has("cursor"));
    }

    @Test
    void pairsOfPassesRacingOnTheFileStoreBehaveTheSame(@TempDir Path dir) throws Exception {
        race(TestSettings.with("MAX_PAGES", "0", "OUTPUT_DIR", dir.toString()), () -> { });
        assertExactlyOnce(files(dir.resolve("zendesk/crm/audit_logs")), files(dir.resolve("zendesk/crm/incremental_tickets")));
        try (var left = Files.walk(dir)) {
            assertEquals(List.of(), left.filter(p -> p.toString().endsWith(".tmp")).toList(), "no temporary file left");
        }
    }

    private void race(Settings settings, Runnable duringPasses) throws Exception {
        fake.ticketPageSize(20);
        for (int i = 0; i < 400; i++) fake.putTicket(i, TestClock.START.minusSeconds(3000 - i), "open");
        for (int i = 0; i < 600; i++) fake.addAudit(i, TestClock.START.minusSeconds(3000 - i * 4L), TestClock.START.minusSeconds(3000 - i * 4L));
        java.util.concurrent.atomic.AtomicLong nextAudit = new java.util.concurrent.atomic.AtomicLong(10_000);
        java.util.Random random = new java.util.Random(11);
        fake.onRequest(() -> {
            clock.advance(Duration.ofMillis(1_317));
            Instant now = clock.instant();
            // A record created 90 s ago that only becomes visible now: it lands inside the window being read.
            fake.addAudit(nextAudit.getAndIncrement(), now.minusSeconds(90), now);
            fake.putTicket(random.nextInt(400), now, "updated"); // exported once the minute's lag has passed
            duringPasses.run();
        });
        int superseded = 0;
        // A thread for each pass of a pair: the common pool has one thread on 2 cores, and would run them one after the other.
        java.util.concurrent.ExecutorService racers = java.util.concurrent.Executors.newFixedThreadPool(2);
        try {
            for (int round = 0; round < 4; round++) {
                CountDownLatch go = new CountDownLatch(1);
                CompletableFuture<RunSummary> a = CompletableFuture.supplyAsync(() -> { await(go); return collector.run(settings); }, racers);
                CompletableFuture<RunSummary> b = CompletableFuture.supplyAsync(() -> { await(go); return collector.run(settings); }, racers);
                go.countDown();
                for (RunSummary s : List.of(a.get(), b.get())) {
                    assertTrue(s.ok(), "no pass of a pair fails: " + s.failures());
                    if (s.superseded()) superseded++;
                }
                duringPasses.run();
            }
        } finally {
            racers.shutdownNow();
        }
        assertTrue(superseded > 0, "at least one pass was fenced out");
        // Then the schedule: passes one after the other, once Zendesk has settled.
        fake.onRequest(duringPasses);
        clock.advance(Duration.ofMinutes(10));
        for (int i = 0; i < 2; i++) {
            RunSummary after = collector.run(settings);
            assertTrue(after.ok(), after::failures);
            assertFalse(after.superseded());
            clock.advance(Duration.ofMinutes(10));
        }
    }

    private void assertExactlyOnce(List<JsonNode> audits, List<JsonNode> tickets) {
        ExactlyOnce.assertAudits(audits, fake);
        ExactlyOnce.assertTickets(tickets, fake);
    }

    private static List<JsonNode> files(Path dir) throws Exception {
        List<JsonNode> out = new ArrayList<>();
        try (var files = Files.walk(dir)) {
            for (Path f : files.filter(Files::isRegularFile).toList()) out.addAll(Bucket.decode(f.toString(), Files.readAllBytes(f)));
        }
        return out;
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }
}
