package io.zendeskcrm.collector.it;

import com.fasterxml.jackson.databind.JsonNode;
import io.zendeskcrm.collector.checkpoint.Checkpoint;
import io.zendeskcrm.collector.support.ExactlyOnce;
import io.zendeskcrm.collector.support.FakeZendesk;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The promise, checked as a user would: the packaged jar run repeatedly (as the schedule would) against
 * a Zendesk account with thousands of tickets, audit records and access-log records, all three streams
 * side by side, while new records, updates, deletions and late audit and access-log records arrive, with 5xx, connection resets and truncated bodies injected, one run
 * exhausting its retries and one run killed with SIGKILL mid-way. Afterwards every ticket's latest
 * version and every audit record is in the bucket exactly once, and the checkpoint is valid.
 *
 * <p>Time is compressed: runs follow each other within seconds, so the audit-log delay and overlap
 * (and the fake export's one-minute lag) are scaled down to seconds to keep their meaning.
 */
class ExactlyOnceSoakIT {
    static final String STATE_KEY = "zendesk/crm-state/state.json";

    @Test
    void everyRecordExactlyOnceThroughFaultsFailedRunsAndAKill(@TempDir Path logs) throws Exception {
        try (Account account = new Account()) {
            FakeZendesk zendesk = account.zendesk;
            zendesk.exportLag(Duration.ofSeconds(1));
            zendesk.ticketPageSize(100);
            Random random = new Random(42);
            Instant now = Instant.now();
            long nextTicket = 0;
            long nextAudit = 0;
            long nextAccess = 0;
            for (; nextTicket < 3000; nextTicket++) zendesk.putTicket(nextTicket, now.minusSeconds(3500 - nextTicket), "open");
            for (; nextAudit < 2000; nextAudit++) {
                Instant created = now.minusMillis(3_500_000 - nextAudit * 1000);
                zendesk.addAudit(nextAudit, created, created);
            }
            for (; nextAccess < 4000; nextAccess++) {
                Instant at = now.minusMillis(3_500_000 - nextAccess * 800);
                zendesk.addAccessLog(nextAccess, at, at);
            }
            Map<String, String> env = account.env();
            env.put("RESOURCES", "audit_logs,incremental_tickets,access_logs");
            env.put("ACCESS_LOG_DELAY_SECONDS", "2");
            env.put("ACCESS_LOG_OVERLAP_SECONDS", "30");
            env.put("ACCESS_LOG_PAGE_SIZE", "250");
            env.put("LOOKBACK_SECONDS", "7200");
            env.put("MAX_PAGES", "0");
            env.put("HTTP_RETRIES", "6");
            env.put("AUDIT_LOG_DELAY_SECONDS", "2");
            env.put("AUDIT_LOG_OVERLAP_SECONDS", "30");
            zendesk.randomFaults(7, 0.05);

            int failedRuns = 0;
            Instant allVisible = Instant.now();
            for (int run = 1; run <= 8; run++) {
                Instant t = Instant.now();
                allVisible = t.plusSeconds(6); // the late records below are listed from t + 5 s
                // New tickets, updates and deletions (each a new version at the end of the export).
                for (int i = 0; i < 150; i++) zendesk.putTicket(nextTicket++, t.minusSeconds(2), "new");
                for (int i = 0; i < 80; i++) zendesk.putTicket(random.nextInt((int) nextTicket), t.minusSeconds(2), "solved");
                for (int i = 0; i < 10; i++) zendesk.putTicket(random.nextInt((int) nextTicket), t.minusSeconds(2), "deleted");
                // New audit records, and some created 10 s ago that only become visible 5 s from now.
                for (int i = 0; i < 120; i++) zendesk.addAudit(nextAudit++, t.minusSeconds(3), t.minusSeconds(3));
                for (int i = 0; i < 5; i++) zendesk.addAudit(nextAudit++, t.minusSeconds(10), t.plusSeconds(5));
                // Access logs too: new ones, and some that are listed only after a delay.
                for (int i = 0; i < 300; i++) zendesk.addAccessLog(nextAccess++, t.minusSeconds(3), t.minusSeconds(3));
                for (int i = 0; i < 8; i++) zendesk.addAccessLog(nextAccess++, t.minusSeconds(10), t.plusSeconds(5));

                if (run == 1) {
                    // Kill the first (backfill) run mid-way: after it has made a few requests, while responses are slow.
                    zendesk.responseDelay(Duration.ofMillis(150));
                    long before = zendesk.requests();
                    Process p = RunnerJar.start(env, logs.resolve("run" + run), "once");
                    while (zendesk.requests() < before + 12 && p.isAlive()) Thread.sleep(20);
                    assertTrue(p.isAlive(), "the run ended before it could be killed");
                    p.destroyForcibly(); // SIGKILL
                    p.waitFor(30, TimeUnit.SECONDS);
                    zendesk.responseDelay(Duration.ZERO);
                    continue;
                }
                if (run == 5) {
                    // Streams run side by side: the faults go to the one stream of this run.
                    Map<String, String> fewRetries = new HashMap<>(env);
                    fewRetries.put("HTTP_RETRIES", "2");
                    fewRetries.put("RESOURCES", "incremental_tickets");
                    zendesk.failNext(FakeZendesk.Fault.HTTP_500, FakeZendesk.Fault.HTTP_500, FakeZendesk.Fault.HTTP_500);
                    RunnerJar.Result exhausted = RunnerJar.run(fewRetries, logs.resolve("run" + run), "once");
                    assertEquals(1, exhausted.exitCode(), "a run that exhausts its retries exits non-zero: " + exhausted.stdout());
                    assertTrue(exhausted.stdout().contains("after 3 attempts"), exhausted.stdout());
                    failedRuns++;
                    continue;
                }
                RunnerJar.Result result = RunnerJar.run(env, logs.resolve("run" + run), "once");
                assertEquals(0, result.exitCode(), "run " + run + ": " + result.stdout() + result.stderr());
                Thread.sleep(1500);
            }
            // Let the last late records become visible and the export lag pass, then a final clean run.
            zendesk.randomFaults(7, 0.0);
            Thread.sleep(Math.max(0, Duration.between(Instant.now(), allVisible).toMillis()));
            RunnerJar.Result last = RunnerJar.run(env, logs.resolve("final"), "once");
            assertEquals(0, last.exitCode(), last.stdout() + last.stderr());
            assertEquals(1, failedRuns);

            // Tickets: each ticket's latest version is there, and no version is there twice.
            List<JsonNode> tickets = account.bucket.records("zendesk/crm/incremental_tickets/");
            ExactlyOnce.assertTickets(tickets, zendesk);

            // Access logs: every one exactly once.
            List<String> access = account.bucket.records("zendesk/crm/access_logs/").stream().map(a -> a.get("id").asText()).sorted().toList();
            assertEquals(zendesk.accessLogIds().stream().sorted().toList(), access, "every access-log record exactly once");

            // Audit records: every one exactly once.
            List<Long> audits = account.bucket.records("zendesk/crm/audit_logs/").stream().map(a -> a.get("id").asLong()).sorted().toList();
            assertEquals(zendesk.auditIds().stream().sorted().toList(), audits, "every audit record exactly once");

            // The checkpoint is a valid document, and the feed prefix holds nothing but data objects.
            Checkpoint checkpoint = Checkpoint.parse(account.bucket.bytes(STATE_KEY), STATE_KEY);
            assertTrue(checkpoint.position("incremental_tickets").orElseThrow().has("cursor"));
            assertTrue(checkpoint.position("audit_logs").orElseThrow().has("watermark"));
            assertTrue(checkpoint.position("access_logs").orElseThrow().has("watermark"));
            assertFalse(account.bucket.keys("zendesk/crm/").stream().anyMatch(k -> k.endsWith(".json")));
            System.out.printf("soak: %d ticket records, %d audit records, %d access-log records, %d requests to Zendesk%n",
                    tickets.size(), audits.size(), access.size(), zendesk.requests());
        }
    }
}
