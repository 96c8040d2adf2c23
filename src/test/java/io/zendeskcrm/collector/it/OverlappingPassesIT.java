package io.zendeskcrm.collector.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.zendeskcrm.collector.support.ExactlyOnce;
import io.zendeskcrm.collector.support.FakeZendesk;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Overlapping passes of the packaged jar, as users cause them (a manual {@code once} next to the
 * schedule, a pass killed and the next started at once), while Zendesk keeps changing underneath:
 * new and late audit records, updated tickets. Afterwards every record is in the bucket exactly once,
 * no object was ever rewritten, and no pass of a pair failed (the one fenced out says superseded).
 *
 * <p>Time is compressed as in {@link ExactlyOnceSoakIT}: delay, overlap and the export lag are seconds.
 */
class OverlappingPassesIT {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void pairsOfPassesAKilledPassAndTheScheduleLeaveEveryRecordOnceAndNoObjectRewritten(@TempDir Path logs) throws Exception {
        try (Account account = new Account()) {
            FakeZendesk zendesk = account.zendesk;
            zendesk.exportLag(Duration.ofSeconds(1));
            zendesk.ticketPageSize(100);
            Instant now = Instant.now();
            AtomicLong nextTicket = new AtomicLong();
            AtomicLong nextAudit = new AtomicLong();
            for (; nextTicket.get() < 2000; nextTicket.incrementAndGet()) {
                zendesk.putTicket(nextTicket.get(), now.minusSeconds(3500 - nextTicket.get()), "open");
            }
            for (; nextAudit.get() < 1500; nextAudit.incrementAndGet()) {
                Instant created = now.minusSeconds(3500 - nextAudit.get() * 2);
                zendesk.addAudit(nextAudit.get(), created, created);
            }
            Map<String, String> env = account.env();
            env.put("LOOKBACK_SECONDS", "7200");
            env.put("MAX_PAGES", "0");
            env.put("AUDIT_LOG_DELAY_SECONDS", "2");
            env.put("AUDIT_LOG_OVERLAP_SECONDS", "30");

            // Zendesk changes all the time, and the bucket is watched for any object written twice.
            Random random = new Random(5);
            Map<String, String> etags = new ConcurrentHashMap<>();
            List<String> rewritten = new CopyOnWriteArrayList<>();
            ScheduledExecutorService background = Executors.newScheduledThreadPool(2);
            AtomicReference<Instant> lastChange = new AtomicReference<>(now);
            background.scheduleWithFixedDelay(() -> {
                // A change is stamped when it happens; the export shows it once the export lag has passed,
                // so it always lands after the cursor of any earlier read (as in Zendesk).
                Instant t = Instant.now();
                lastChange.set(t);
                for (int i = 0; i < 3; i++) zendesk.putTicket(nextTicket.getAndIncrement(), t, "new");
                zendesk.putTicket(random.nextInt((int) nextTicket.get()), t, "solved");
                zendesk.addAudit(nextAudit.getAndIncrement(), t.minusSeconds(3), t.minusSeconds(3));
                zendesk.addAudit(nextAudit.getAndIncrement(), t.minusSeconds(12), t.plusSeconds(4)); // visible late
            }, 0, 40, TimeUnit.MILLISECONDS);
            background.scheduleWithFixedDelay(() -> account.bucket.etags("zendesk/crm/").forEach((key, etag) -> {
                String before = etags.putIfAbsent(key, etag);
                if (before != null && !before.equals(etag)) rewritten.add(key);
            }), 0, 100, TimeUnit.MILLISECONDS);

            int superseded = 0;
            zendesk.responseDelay(Duration.ofMillis(50)); // passes long enough to overlap although JVMs start apart
            for (int round = 1; round <= 3; round++) {
                Process a = RunnerJar.start(env, logs.resolve("pair" + round + "a"), "once");
                Process b = RunnerJar.start(env, logs.resolve("pair" + round + "b"), "once");
                for (String side : List.of("a", "b")) {
                    Process p = side.equals("a") ? a : b;
                    assertTrue(p.waitFor(5, TimeUnit.MINUTES), "pass " + round + side + " finished");
                    String stdout = Files.readString(logs.resolve("pair" + round + side).resolve("stdout"), StandardCharsets.UTF_8);
                    assertEquals(0, p.exitValue(), "no pass of a pair fails: " + stdout
                            + Files.readString(logs.resolve("pair" + round + side).resolve("stderr")));
                    if (JSON.readTree(stdout).path("superseded").asBoolean(false)) superseded++;
                }
            }
            assertTrue(superseded > 0, "passes started together overlapped, and one was fenced out");

            // A pass killed mid-way, and the next one started at once: no lease to wait for.
            // It has 20 pages of new tickets to read at 200 ms an answer, and is killed after a few of them.
            Instant burst = Instant.now();
            for (int i = 0; i < 2000; i++) zendesk.putTicket(nextTicket.getAndIncrement(), burst, "new");
            Thread.sleep(1100); // the export lists changes a second old
            zendesk.responseDelay(Duration.ofMillis(200));
            long before = zendesk.requests();
            Process killed = RunnerJar.start(env, logs.resolve("killed"), "once");
            while (zendesk.requests() < before + 6 && killed.isAlive()) Thread.sleep(20);
            assertTrue(killed.isAlive(), "the pass ended before it could be killed");
            killed.destroyForcibly();
            killed.waitFor(30, TimeUnit.SECONDS);
            zendesk.responseDelay(Duration.ZERO);
            RunnerJar.Result next = RunnerJar.run(env, logs.resolve("after-kill"), "once");
            assertEquals(0, next.exitCode(), next.stdout() + next.stderr());
            JsonNode nextSummary = JSON.readTree(next.stdout());
            assertFalse(nextSummary.path("superseded").asBoolean(false), "the next pass takes over at once");
            assertTrue(nextSummary.at("/streams/0/requests").asLong() > 0, next.stdout());

            // Then the schedule: the long-running mode passes at start; it is stopped after that pass.
            Process schedule = RunnerJar.start(env, logs.resolve("schedule"));
            Path scheduleLog = logs.resolve("schedule").resolve("stderr");
            long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(5);
            while (!Files.readString(scheduleLog).contains("\"destination\"") && System.nanoTime() < deadline) Thread.sleep(100);
            assertTrue(Files.readString(scheduleLog).contains("\"ok\":true"), Files.readString(scheduleLog));
            schedule.destroy();
            schedule.waitFor(30, TimeUnit.SECONDS);

            // Zendesk settles; late records become visible; a last pass collects the rest.
            background.shutdown();
            assertTrue(background.awaitTermination(10, TimeUnit.SECONDS));
            // Listed from 4 s after the last change; the last pass must come soon after, while its overlap still
            // holds them (a busy machine only makes the wait shorter, not the overlap).
            Thread.sleep(Math.max(0, Duration.between(Instant.now(), lastChange.get().plusSeconds(5)).toMillis()));
            RunnerJar.Result last = RunnerJar.run(env, logs.resolve("final"), "once");
            assertEquals(0, last.exitCode(), last.stdout() + last.stderr());

            assertEquals(List.of(), rewritten, "no object is ever written twice");
            List<JsonNode> audits = account.bucket.records("zendesk/crm/audit_logs/");
            List<JsonNode> tickets = account.bucket.records("zendesk/crm/incremental_tickets/");
            ExactlyOnce.assertAudits(audits, zendesk);
            ExactlyOnce.assertTickets(tickets, zendesk);
            System.out.printf("overlapping passes: %d audit records, %d ticket versions, %d superseded passes, %d requests%n",
                    audits.size(), tickets.size(), superseded, zendesk.requests());
        }
    }
}
