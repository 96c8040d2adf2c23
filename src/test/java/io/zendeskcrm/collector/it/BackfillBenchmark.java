package io.zendeskcrm.collector.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.zendeskcrm.collector.support.FakeZendesk;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Backfill of 100,000 tickets and 20,000 audit records with the packaged jar ({@code once}) against a
 * fake Zendesk that enforces the incremental-export limit of 10 requests per window. The window is
 * scaled from 60 s to {@code bench.window.seconds} (default 6) to keep the run short; everything else
 * is as in production (1000 tickets and 100 audit records per page). Prints figures; the only
 * assertions are that every record arrived exactly once.
 * Run: {@code ./mvnw -Pbench verify -Dit.test=BackfillBenchmark}.
 */
class BackfillBenchmark {
    @Test
    void backfill(@TempDir Path logs) throws Exception {
        int tickets = Integer.getInteger("bench.tickets", 100_000);
        int audits = Integer.getInteger("bench.audits", 20_000);
        Duration window = Duration.ofSeconds(Integer.getInteger("bench.window.seconds", 6));
        try (Account account = new Account()) {
            FakeZendesk zendesk = account.zendesk;
            Instant start = Instant.now().minus(Duration.ofDays(30));
            for (int i = 0; i < tickets; i++) zendesk.putTicket(i, start.plusSeconds(i * 20L), "open");
            for (int i = 0; i < audits; i++) zendesk.addAudit(i, start.plusSeconds(i * 100L), start.plusSeconds(i * 100L));
            zendesk.exportRateLimit(10, window);
            Map<String, String> env = account.env();
            env.put("MAX_PAGES", "0");
            env.put("START_TIME", start.minusSeconds(60).toString());

            long t0 = System.nanoTime();
            RunnerJar.Result result = RunnerJar.run(env, logs, "once");
            double seconds = (System.nanoTime() - t0) / 1e9;
            assertEquals(0, result.exitCode(), result.stdout() + result.stderr());

            JsonNode summary = new ObjectMapper().readTree(result.stdout());
            JsonNode a = summary.at("/streams/0");
            JsonNode t = summary.at("/streams/1");
            List<Long> ticketIds = account.bucket.records("zendesk/crm/incremental_tickets/").stream().map(r -> r.get("id").asLong()).toList();
            List<Long> auditIds = account.bucket.records("zendesk/crm/audit_logs/").stream().map(r -> r.get("id").asLong()).toList();
            assertEquals(tickets, ticketIds.size());
            assertEquals(tickets, ticketIds.stream().distinct().count());
            assertEquals(audits, auditIds.size());
            assertEquals(audits, auditIds.stream().distinct().count());

            long exportRequests = t.get("requests").asLong();
            double minimum = (Math.ceil(exportRequests / 10.0) - 1) * window.toSeconds();
            double ticketSeconds = t.get("seconds").asDouble();
            System.out.printf("backfill: %,d tickets + %,d audit records in %.1f s (whole process, %d s windows = 60 s scaled %dx)%n",
                    tickets, audits, seconds, window.toSeconds(), 60 / window.toSeconds());
            System.out.printf("backfill: tickets: %d export requests, %d retries, %d throttled (429) answers from Zendesk, paced %d s;"
                            + " theoretical minimum for %d requests at 10 per window: %.0f s%n",
                    exportRequests, t.get("retries").asLong(), zendesk.throttled(), t.get("paced_seconds").asLong(),
                    exportRequests, minimum);
            System.out.printf("backfill: audit logs: %d requests, %d retries; requests per 10,000 records: tickets %.1f, audit %.1f%n",
                    a.get("requests").asLong(), a.get("retries").asLong(), exportRequests * 10_000.0 / tickets,
                    a.get("requests").asLong() * 10_000.0 / audits);
            System.out.printf("backfill: whole process %.1f s = %.2f x the floor of %.0f s; peak RSS %d MB%n",
                    seconds, seconds / minimum, minimum, result.peakRssMb());
            System.out.printf("backfill: ticket stream took %.1f s against the minimum of %.0f s (%+.1f%%); audit stream %.1f s%n",
                    ticketSeconds, minimum, (ticketSeconds / minimum - 1) * 100, a.get("seconds").asDouble());
        }
    }
}
