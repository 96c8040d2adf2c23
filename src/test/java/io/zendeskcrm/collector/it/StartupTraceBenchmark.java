package io.zendeskcrm.collector.it;

import com.github.tomakehurst.wiremock.stubbing.ServeEvent;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Where start-up goes, and two builds compared back to back on a busy machine: {@code once} in S3 mode, run by
 * run alternating between this build's launcher and {@code -Dtrace.other=<another build's launcher>}; the first
 * two runs warm the caches. Each run's log, with every line's time since process start and the S3 requests at
 * DEBUG, goes to target/startup-trace/run*&#47;trace; {@code -Dtrace.opts} adds JVM options (such as
 * {@code -Xlog:class+load}). Prints figures; asserts nothing about time. Run:
 * {@code ./mvnw -Pbench verify -Dit.test=StartupTraceBenchmark -Dtrace.runs=12 -Dtrace.other=...}.
 */
class StartupTraceBenchmark {
    @Test
    void trace() throws Exception {
        Path logs = Path.of("target", "startup-trace");
        int runs = Integer.getInteger("trace.runs", 6);
        boolean keepCheckpoint = Boolean.getBoolean("trace.keep");
        try (Account account = new Account()) {
            account.zendesk.putTicket(1, Instant.now().minusSeconds(300), "open");
            List<Long> millis = new ArrayList<>();
            List<Long> other = new ArrayList<>();
            DateTimeFormatter f = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss,SSS");
            for (int run = 0; run < runs; run++) {
                account.wireMock.resetRequests();
                if (!keepCheckpoint) account.bucket.empty();
                Map<String, String> env = account.env();
                env.put("QUARKUS_LOG_CATEGORY__SOFTWARE_AMAZON_AWSSDK_REQUEST__LEVEL", "DEBUG");
                env.put("QUARKUS_LOG_CATEGORY__IO_ZENDESKCRM__LEVEL", "DEBUG");
                env.put("JAVA_OPTS", System.getProperty("trace.opts", ""));
                Path dir = logs.resolve("run" + run);
                String launcher = run % 2 == 0 || System.getProperty("trace.other") == null
                        ? RunnerJar.launcher().toString() : System.getProperty("trace.other");
                ProcessBuilder pb = new ProcessBuilder(launcher, "once");
                pb.environment().clear();
                pb.environment().put("PATH", System.getenv().getOrDefault("PATH", "/usr/bin:/bin"));
                pb.environment().put("JAVA_HOME", System.getProperty("java.home"));
                pb.environment().putAll(env);
                Files.createDirectories(dir);
                pb.redirectOutput(dir.resolve("stdout").toFile());
                pb.redirectError(dir.resolve("stderr").toFile());
                Instant started = Instant.now(); // not the process's start time: see StartupBenchmark
                Process p = pb.start();
                int rc = p.waitFor();
                List<Instant> zd = account.wireMock.getAllServeEvents().stream().map(ServeEvent::getRequest)
                        .map(r -> r.getLoggedDate().toInstant()).sorted().toList();
                Instant first = zd.get(0);
                boolean alternating = System.getProperty("trace.other") != null;
                if (run > (alternating ? 1 : 0)) (run % 2 == 0 || !alternating ? millis : other).add(Duration.between(started, first).toMillis());
                StringBuilder out = new StringBuilder(launcher + " run " + run + " rc " + rc + " first zendesk +" + Duration.between(started, first).toMillis() + " ms; zendesk requests:");
                for (Instant z : zd) out.append(" +").append(Duration.between(started, z).toMillis());
                out.append('\n');
                for (String line : Files.readAllLines(dir.resolve("stderr"))) {
                    if (line.length() > 23 && Character.isDigit(line.charAt(0))) {
                        try {
                            Instant t = LocalDateTime.parse(line.substring(0, 23), f).atZone(ZoneId.systemDefault()).toInstant();
                            out.append("  +").append(Duration.between(started, t).toMillis()).append(' ')
                                    .append(line.substring(24, Math.min(line.length(), 200))).append('\n');
                        } catch (RuntimeException e) {
                            out.append("  ").append(line, 0, Math.min(line.length(), 200)).append('\n');
                        }
                    }
                }
                Files.writeString(dir.resolve("trace"), out);
                System.out.println(out.toString().lines().findFirst().orElse(""));
            }
            other.sort(null);
            if (!other.isEmpty()) System.out.printf("trace other: median %d ms, min %d, max %d over %d: %s%n", other.get(other.size() / 2), other.get(0),
                    other.get(other.size() - 1), other.size(), other);
            millis.sort(null);
            System.out.printf("trace: median %d ms, min %d, max %d over %d: %s%n", millis.get(millis.size() / 2), millis.get(0),
                    millis.get(millis.size() - 1), millis.size(), millis);
        }
    }
}
