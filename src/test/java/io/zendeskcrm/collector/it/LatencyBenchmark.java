package io.zendeskcrm.collector.it;

import com.fasterxml.jackson.databind.JsonNode;
import io.zendeskcrm.collector.support.Bucket;
import io.zendeskcrm.collector.support.FakeZendesk;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Seconds from a record's creation in Zendesk to its object in the bucket, per stream, with the packaged
 * collector in its long-running mode ({@code SCHEDULE}) while a fake Zendesk on the wall clock keeps
 * creating records: audit and access-log records visible the moment they are created, ticket changes that
 * the export leaves out for a minute as Zendesk's does. Creation is the record's {@code created_at}
 * ({@code timestamp}, {@code generated_timestamp}: whole seconds, as the fake stamped it); arrival is when a
 * poll of the bucket (every second) first sees the object holding it. After the creating period the run
 * waits until every record has arrived (at most two schedule intervals and two minutes), then counts the
 * missing and the duplicated. Records are made from the end of the first pass (the one at start-up) on: the
 * figures are those of a collector that is running, not of its start. Prints figures; asserts nothing about time.
 * Run: {@code ./mvnw -Pbench verify -Dit.test=LatencyBenchmark -Dbench.latency=1m:8,5m:20}
 * (schedule:minutes of creating records, each run on its own account, side by side).
 */
class LatencyBenchmark {
    private static final List<String> STREAMS = List.of("audit_logs", "access_logs", "incremental_tickets");

    @Test
    void latency(@TempDir Path logs) throws Exception {
        String[] runs = System.getProperty("bench.latency", "1m:8,5m:20").split(",");
        ExecutorService pool = Executors.newCachedThreadPool();
        List<Future<String>> reports = new ArrayList<>();
        for (String run : runs) {
            String[] parts = run.split(":");
            reports.add(pool.submit(() -> run(parts[0], Duration.ofMinutes(Long.parseLong(parts[1])), logs.resolve(parts[0]))));
        }
        for (Future<String> report : reports) System.out.print(report.get());
        pool.shutdownNow();
    }

    private String run(String schedule, Duration creating, Path logs) throws Exception {
        try (Account account = new Account()) {
            FakeZendesk zendesk = account.zendesk;
            zendesk.exportRateLimit(10, Duration.ofMinutes(1));
            zendesk.accessLogRateLimit(50, Duration.ofMinutes(1));
            Map<String, String> env = account.env();
            env.put("SCHEDULE", schedule);
            env.put("RESOURCES", "audit_logs,incremental_tickets,access_logs");
            Map<String, Map<String, Instant>> created = new HashMap<>();
            Map<String, Map<String, Instant>> arrived = new HashMap<>();
            Map<String, Map<String, Integer>> copies = new HashMap<>();
            for (String s : STREAMS) {
                created.put(s, new ConcurrentHashMap<>());
                arrived.put(s, new HashMap<>());
                copies.put(s, new HashMap<>());
            }
            Process collector = RunnerJar.start(env, logs);
            // Records are made once the collector runs its schedule: the first pass at start-up has ended.
            while (!java.nio.file.Files.readString(logs.resolve("stderr")).contains("io.zen.col.summary")) {
                if (!collector.isAlive()) throw new IllegalStateException("the collector exited: " + collector.exitValue());
                Thread.sleep(200);
            }
            Instant started = Instant.now();
            Instant stopCreating = started.plus(creating);
            Duration interval = Duration.ofSeconds(schedule.endsWith("m") ? 60 * Long.parseLong(schedule.replace("m", "")) : 60);
            Instant giveUp = stopCreating.plus(interval.multipliedBy(2)).plusSeconds(120);
            Random random = new Random(42);
            Set<String> seen = new HashSet<>();
            Bucket bucket = account.bucket;
            long n = 0;
            Instant nextRecord = started;
            try {
                while (Instant.now().isBefore(giveUp)) {
                    Instant now = Instant.now();
                    if (now.isBefore(stopCreating) && !now.isBefore(nextRecord)) {
                        Instant second = now.truncatedTo(ChronoUnit.SECONDS);
                        n++;
                        zendesk.addAudit(n, now, now);
                        created.get("audit_logs").put(String.valueOf(n), second);
                        zendesk.addAccessLog(n, now, now);
                        List<String> accessIds = zendesk.accessLogIds();
                        created.get("access_logs").put(accessIds.get(accessIds.size() - 1), second);
                        if (n % 3 == 0) {
                            zendesk.putTicket(n, now, "open");
                            created.get("incremental_tickets").put(n + "@" + second.getEpochSecond(), second);
                        }
                        nextRecord = now.plusMillis(500 + random.nextInt(2000));
                    }
                    for (String key : bucket.keys("zendesk/crm/")) {
                        if (seen.contains(key) || !key.endsWith(".ndjson.gz")) continue;
                        Instant at = Instant.now();
                        java.util.Optional<byte[]> object = bucket.maybeBytes(key);
                        if (object.isEmpty()) continue; // listed, not readable yet: the next poll reads it
                        seen.add(key);
                        String stream = key.split("/")[2];
                        for (JsonNode r : Bucket.decode(key, object.get())) {
                            String id = stream.equals("incremental_tickets")
                                    ? r.get("id").asText() + "@" + r.get("generated_timestamp").asLong() : r.get("id").asText();
                            arrived.get(stream).putIfAbsent(id, at);
                            copies.get(stream).merge(id, 1, Integer::sum);
                        }
                    }
                    boolean all = !now.isBefore(stopCreating)
                            && STREAMS.stream().allMatch(s -> arrived.get(s).keySet().containsAll(created.get(s).keySet()));
                    if (all) break;
                    Thread.sleep(200);
                }
            } finally {
                collector.destroy();
                collector.waitFor(30, TimeUnit.SECONDS);
            }
            StringBuilder out = new StringBuilder();
            out.append(String.format("latency SCHEDULE=%s: records created for %d min from %s; seconds from created_at to object%n",
                    schedule, creating.toMinutes(), started.truncatedTo(ChronoUnit.SECONDS)));
            for (String s : STREAMS) {
                List<Long> seconds = new ArrayList<>();
                long missing = 0;
                for (Map.Entry<String, Instant> c : created.get(s).entrySet()) {
                    Instant at = arrived.get(s).get(c.getKey());
                    if (at == null) missing++; else seconds.add(Duration.between(c.getValue(), at).toMillis());
                }
                seconds.sort(null);
                long duplicated = copies.get(s).values().stream().filter(k -> k > 1).count();
                out.append(String.format("latency SCHEDULE=%s %-19s records %5d  p50 %6.1f s  p95 %6.1f s  max %6.1f s  missing %d  duplicated %d%n",
                        schedule, s, created.get(s).size(), percentile(seconds, 50), percentile(seconds, 95),
                        percentile(seconds, 100), missing, duplicated));
            }
            return out.toString();
        }
    }

    /** Nearest rank, in seconds. */
    private static double percentile(List<Long> sortedMillis, int p) {
        if (sortedMillis.isEmpty()) return Double.NaN;
        int rank = (int) Math.ceil(p / 100.0 * sortedMillis.size());
        return sortedMillis.get(Math.max(0, rank - 1)) / 1000.0;
    }
}
