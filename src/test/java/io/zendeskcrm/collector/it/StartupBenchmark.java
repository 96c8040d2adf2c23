package io.zendeskcrm.collector.it;

import com.github.tomakehurst.wiremock.stubbing.ServeEvent;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * JVM-mode start-up of a one-pass run: from process start to the first request reaching Zendesk.
 * Prints figures; asserts nothing about time. Run: {@code ./mvnw -Pbench verify -Dit.test=StartupBenchmark}.
 */
class StartupBenchmark {
    @Test
    void processStartToFirstRequest(@TempDir Path logs) throws Exception {
        try (Account account = new Account()) {
            account.zendesk.putTicket(1, Instant.now().minusSeconds(300), "open");
            List<Long> millis = new ArrayList<>();
            for (int run = 0; run < 6; run++) {
                account.wireMock.resetRequests();
                account.bucket.empty();
                // The clock is read just before the start: the process's own start time, as the JDK reports it on
                // Linux, counts from the boot time in whole seconds, and is up to a second early.
                Instant started = Instant.now();
                Process p = RunnerJar.start(account.env(), logs.resolve("run" + run), "once");
                assertEquals(0, p.waitFor());
                Instant first = account.wireMock.getAllServeEvents().stream().map(ServeEvent::getRequest)
                        .map(r -> r.getLoggedDate().toInstant()).min(Comparator.naturalOrder()).orElseThrow();
                if (run > 0) millis.add(Duration.between(started, first).toMillis()); // the first run warms the OS caches
            }
            // An empty pass: the account has nothing new since the last run.
            List<Long> rss = new ArrayList<>();
            for (int run = 0; run < 5; run++) {
                RunnerJar.Result empty = RunnerJar.run(account.env(), logs.resolve("empty" + run), "once");
                assertEquals(0, empty.exitCode(), empty.stderr());
                rss.add(empty.peakRssMb());
            }
            rss.sort(null);
            System.out.printf("startup (JVM): an empty pass in S3 mode peaks at %d MB RSS (median of %d; min %d, max %d)%n",
                    rss.get(rss.size() / 2), rss.size(), rss.get(0), rss.get(rss.size() - 1));
            millis.sort(null);
            System.out.printf("startup (JVM, %s): process start to first Zendesk request: median %d ms, min %d ms, max %d ms over %d runs%n",
                    System.getProperty("java.version"), millis.get(millis.size() / 2), millis.get(0), millis.get(millis.size() - 1), millis.size());
        }
    }
}
