package io.zendeskcrm.collector;

import com.fasterxml.jackson.databind.JsonNode;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.zendeskcrm.collector.checkpoint.Checkpoint;
import io.zendeskcrm.collector.support.CollectorComponentTest;
import io.zendeskcrm.collector.support.CollectorTestResources;
import io.zendeskcrm.collector.support.TestClock;
import io.zendeskcrm.collector.support.TestSettings;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
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
        RunSummary second = collector.run(TestSettings.with("RESOURCES", "incremental_tickets", "MAX_PAGES", "2"));
        assertTrue(second.ok(), second::failures);
        assertEquals(List.of(Duration.ofSeconds(37)), sleeper.waits());
        assertEquals(37, second.streams().get(0).pacedSeconds());
    }

    @Test
    void twoPassesStartedTogetherLeaveEveryRecordOnceAndAValidCheckpoint() throws Exception {
        fake.ticketPageSize(20);
        for (int i = 0; i < 500; i++) fake.putTicket(i, TestClock.START.minusSeconds(3000 - i), "open");
        for (int i = 0; i < 300; i++) fake.addAudit(i, TestClock.START.minusSeconds(3000 - i), TestClock.START.minusSeconds(3000 - i));
        var settings = TestSettings.with("MAX_PAGES", "0");
        CountDownLatch go = new CountDownLatch(1);
        CompletableFuture<RunSummary> a = CompletableFuture.supplyAsync(() -> { await(go); return collector.run(settings); });
        CompletableFuture<RunSummary> b = CompletableFuture.supplyAsync(() -> { await(go); return collector.run(settings); });
        go.countDown();
        RunSummary first = a.get();
        RunSummary second = b.get();

        // At most one proceeds; the other stops with the conflict message. A later pass finishes the work.
        long succeeded = List.of(first, second).stream().filter(RunSummary::ok).count();
        assertTrue(succeeded <= 1, "both passes claimed success");
        for (RunSummary s : List.of(first, second)) {
            if (!s.ok()) assertTrue(s.failures().contains("changed by another run"), s.failures());
        }
        RunSummary after = collector.run(settings);
        assertTrue(after.ok(), after::failures);

        List<Long> tickets = bucket.records("zendesk/crm/incremental_tickets/").stream().map(t -> t.get("id").asLong()).sorted().toList();
        List<Long> audits = bucket.records("zendesk/crm/audit_logs/").stream().map(t -> t.get("id").asLong()).sorted().toList();
        assertEquals(500, tickets.size());
        assertEquals(500, tickets.stream().distinct().count(), "no ticket twice");
        assertEquals(300, audits.size());
        assertEquals(300, audits.stream().distinct().count(), "no audit record twice");
        Checkpoint checkpoint = Checkpoint.parse(bucket.bytes("zendesk/crm-state/state.json"), "state");
        JsonNode tickets_ = checkpoint.position("incremental_tickets").orElseThrow();
        assertTrue(tickets_.has("cursor"));
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }
}
