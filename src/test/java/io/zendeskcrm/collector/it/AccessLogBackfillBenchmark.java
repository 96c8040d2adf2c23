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
 * A 90-day backfill of access logs with the packaged jar ({@code once}) against a fake Zendesk that
 * enforces the endpoint's limit of 50 requests per window and answers beyond it with 429 and only
 * {@code ratelimit-reset} (no {@code Retry-After}, no bucket headers), as the Access Logs API may.
 * The window is scaled from 60 s to {@code bench.window.seconds} (default 6). Prints the rate achieved
 * against the limit; asserts only that the run succeeded and every record arrived exactly once.
 * Run: {@code ./mvnw -Pbench verify -Dit.test=AccessLogBackfillBenchmark} ({@code -Dbench.access=}).
 */
class AccessLogBackfillBenchmark {
    @Test
    void ninetyDaysOfAccessLogs(@TempDir Path logs) throws Exception {
        int records = Integer.getInteger("bench.access", 200_000);
        Duration window = Duration.ofSeconds(Integer.getInteger("bench.window.seconds", 6));
        try (Account account = new Account()) {
            FakeZendesk zendesk = account.zendesk;
            Instant now = Instant.now();
            Instant oldest = now.minus(Duration.ofDays(89));
            long spacing = Duration.between(oldest, now.minusSeconds(600)).toMillis() / records;
            for (int i = 0; i < records; i++) {
                Instant at = oldest.plusMillis(spacing * i);
                zendesk.addAccessLog(i, at, at);
            }
            zendesk.accessLogRateLimit(50, window);
            Map<String, String> env = account.env();
            env.put("RESOURCES", "access_logs");
            env.put("MAX_PAGES", "0");
            env.put("START_TIME", now.minus(Duration.ofDays(120)).toString()); // older than Zendesk keeps: starts at 90 days

            long t0 = System.nanoTime();
            RunnerJar.Result result = RunnerJar.run(env, logs, "once");
            double seconds = (System.nanoTime() - t0) / 1e9;
            assertEquals(0, result.exitCode(), result.stdout() + result.stderr());

            JsonNode stream = new ObjectMapper().readTree(result.stdout()).at("/streams/0");
            List<String> ids = account.bucket.records("zendesk/crm/access_logs/").stream().map(r -> r.get("id").asText()).toList();
            assertEquals(records, ids.size());
            assertEquals(records, ids.stream().distinct().count());

            long requests = stream.get("requests").asLong();
            double streamSeconds = stream.get("seconds").asDouble();
            long pages = requests - zendesk.accessLogsThrottled();
            long windowsUsed = (long) Math.ceil(streamSeconds / window.toSeconds());
            long fewestWindows = (pages + 49) / 50;
            System.out.printf("access-log backfill: %,d records over 89 days in %.1f s (whole process; %d s windows = 60 s scaled %dx)%n",
                    records, seconds, window.toSeconds(), 60 / window.toSeconds());
            System.out.printf("access-log backfill: %d requests answered with a page, %d throttled (429 with ratelimit-reset only),"
                    + " %d retries; stream %.1f s%n", pages, zendesk.accessLogsThrottled(), stream.get("retries").asLong(), streamSeconds);
            System.out.printf("access-log backfill: %d pages in %d windows of the limit; the fewest the limit of 50 per window"
                    + " allows is %d (%.1f pages per window used)%n", pages, windowsUsed, fewestWindows, (double) pages / windowsUsed);
        }
    }
}
