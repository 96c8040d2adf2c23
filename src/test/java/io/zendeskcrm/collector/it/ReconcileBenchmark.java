package io.zendeskcrm.collector.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.zendeskcrm.collector.sink.NdjsonEncoder;
import io.zendeskcrm.collector.sink.ObjectKeys;
import io.zendeskcrm.collector.support.CollectorTestResources;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.LongFunction;
import java.util.function.LongUnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * {@code reconcile} of a day of 1,000,000 audit records and of a 30-day ticket history, with the packaged jar as
 * the launcher starts it, under {@code /usr/bin/time -v}, against {@link GeneratedZendesk} and an {@code OUTPUT_DIR}
 * whose objects are generated here in the collector's layout (one object per page, as a pass writes them: 100
 * audit records, 1000 tickets), with one object removed so that the report has something to find. Memory: the
 * same reconcile over two days of the same density; the largest heap left after a collection (the live set,
 * from the JVM's GC log) and the peak RSS. Prints figures; asserts only the counts.
 * Run: {@code ./mvnw -Pbench verify -Dit.test=ReconcileBenchmark} ({@code -Dbench.audits.per.day=},
 * {@code -Dbench.tickets=}).
 */
class ReconcileBenchmark {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final ObjectKeys KEYS = new ObjectKeys("zendesk/crm", ".ndjson.gz");
    private static final NdjsonEncoder GZIP = new NdjsonEncoder(true);

    @Test
    void reconcile(@TempDir Path dir) throws Exception {
        long perDay = Long.getLong("bench.audits.per.day", 1_000_000);
        long tickets = Long.getLong("bench.tickets", 300_000);
        Instant day1 = Instant.now().truncatedTo(ChronoUnit.DAYS).minus(Duration.ofDays(3));
        Instant ticketStart = day1.minus(Duration.ofDays(27));
        long ticketSpan = Duration.ofDays(30).toSeconds();
        try (GeneratedZendesk zendesk = new GeneratedZendesk(day1, 2, perDay, ticketStart, ticketSpan, tickets)) {
            Path out = dir.resolve("bucket");
            long t0 = System.nanoTime();
            int auditObjects = write(out, "audit_logs", 2 * perDay, 100, zendesk::auditTime, i -> withTimestamp(zendesk.auditLine(i), zendesk.auditTime(i)));
            int ticketObjects = write(out, "incremental_tickets", tickets, 1000, zendesk::ticketTime, zendesk::ticketLine);
            System.out.printf("reconcile bench: bucket generated in %.1f s: %,d audit objects (%,d records), %,d ticket objects (%,d versions)%n",
                    (System.nanoTime() - t0) / 1e9, auditObjects, 2 * perDay, ticketObjects, tickets);
            String removed = removeOne(out, "audit_logs", day1.plus(Duration.ofHours(12)));

            Map<String, String> env = Map.of("OUTPUT_DIR", out.toString(), "ZENDESK_BASE_URL", zendesk.baseUrl(),
                    "ZENDESK_ALLOW_HTTP", "true", "AUTH_MODE", "token", "ZENDESK_EMAIL", CollectorTestResources.EMAIL,
                    "ZENDESK_API_TOKEN", CollectorTestResources.API_TOKEN);
            Instant day2 = day1.plus(Duration.ofDays(1));

            Run oneDay = run(dir, "audit-1d", env, "audit_logs", zendesk, day1, day2.minusSeconds(1));
            JsonNode a = oneDay.stream();
            assertEquals(perDay, a.get("in_zendesk").asLong());
            assertEquals(perDay - 100, a.get("in_bucket").asLong());
            assertEquals(100, a.get("missing").asLong(), removed);
            oneDay.print("audit logs, 1 day of " + String.format("%,d", perDay));

            Run twoDays = run(dir, "audit-2d", env, "audit_logs", zendesk, day1, day2.plus(Duration.ofDays(1)).minusSeconds(1));
            assertEquals(2 * perDay, twoDays.stream().get("in_zendesk").asLong());
            assertEquals(100, twoDays.stream().get("missing").asLong());
            twoDays.print("audit logs, 2 days of " + String.format("%,d", perDay));

            Run history = run(dir, "tickets-30d", env, "incremental_tickets", zendesk, ticketStart, ticketStart.plusSeconds(ticketSpan - 1));
            assertEquals(tickets, history.stream().get("in_zendesk").asLong());
            assertEquals(0, history.stream().get("missing").asLong());
            history.print(String.format("tickets, 30 days of %,d versions", tickets));
        }
    }

    /** One object per page of {@code perPage} records, keyed as a pass keys it (by the page's first record time). */
    private static int write(Path out, String stream, long records, int perPage, LongUnaryOperator time, LongFunction<String> line)
            throws IOException {
        int objects = 0;
        for (long first = 0; first < records; first += perPage) {
            List<String> lines = new ArrayList<>(perPage);
            for (long i = first; i < Math.min(first + perPage, records); i++) lines.add(line.apply(i));
            String key = KEYS.of(stream, Instant.ofEpochSecond(time.applyAsLong(first)), stream + ":" + first);
            Path file = out.resolve(key);
            Files.createDirectories(file.getParent());
            Files.write(file, GZIP.pack(lines));
            objects++;
        }
        return objects;
    }

    private static String withTimestamp(String line, long epochSecond) {
        return line.substring(0, line.length() - 1) + ",\"timestamp\":\"" + GeneratedZendesk.iso(epochSecond) + "\"}";
    }

    /** Deletes the first object dated after {@code at}: its 100 records are then missing. */
    private static String removeOne(Path out, String stream, Instant at) throws IOException {
        String day = at.toString().substring(0, 10).replace('-', '/');
        Path folder = out.resolve("zendesk/crm/" + stream + "/" + day);
        String stamp = at.toString().substring(0, 19).replace("-", "").replace(":", "") + "Z";
        try (var files = Files.list(folder)) {
            Path victim = files.filter(f -> f.getFileName().toString().compareTo(stamp) > 0).sorted().findFirst().orElseThrow();
            Files.delete(victim);
            return victim.toString();
        }
    }

    private record Run(JsonNode report, String name, long requests, double seconds, double cpuSeconds, long peakRssMb,
                       long liveHeapMb, String load) {
        JsonNode stream() {
            return report.at("/streams/0");
        }

        void print(String what) {
            System.out.printf("reconcile bench: %s: %,d requests, %.1f s, CPU %.1f s, peak RSS %d MB, largest heap after a GC %d MB;"
                            + " in_zendesk %d, in_bucket %d, missing %d, duplicated %d; load average before %s%n",
                    what, requests, seconds, cpuSeconds, peakRssMb, liveHeapMb, stream().get("in_zendesk").asLong(),
                    stream().get("in_bucket").asLong(), stream().get("missing").asLong(), stream().get("duplicated").asLong(), load);
        }
    }

    private static final Pattern GC_AFTER = Pattern.compile("->(\\d+)M\\(");

    private static Run run(Path dir, String name, Map<String, String> env, String resource, GeneratedZendesk zendesk,
                           Instant since, Instant until) throws Exception {
        Path logs = Files.createDirectories(dir.resolve(name));
        Path gcLog = logs.resolve("gc.log");
        List<String> command = new ArrayList<>(List.of("/usr/bin/time", "-v", RunnerJar.launcher().toString(),
                "reconcile", "--since", since.toString(), "--until", until.toString()));
        ProcessBuilder pb = new ProcessBuilder(command).directory(RunnerJar.jar().getParent().toFile());
        pb.environment().clear();
        pb.environment().put("PATH", System.getenv().getOrDefault("PATH", "/usr/bin:/bin"));
        pb.environment().put("JAVA_HOME", System.getProperty("java.home"));
        pb.environment().putAll(env);
        pb.environment().put("RESOURCES", resource);
        pb.environment().put("JAVA_OPTS", "-Xlog:gc:file=" + gcLog);
        pb.redirectOutput(logs.resolve("stdout").toFile());
        pb.redirectError(logs.resolve("stderr").toFile());
        String load = Files.readString(Path.of("/proc/loadavg")).strip();
        long before = zendesk.auditRequests.get() + zendesk.ticketRequests.get();
        long t0 = System.nanoTime();
        int exit = pb.start().waitFor();
        double seconds = (System.nanoTime() - t0) / 1e9;
        String stderr = Files.readString(logs.resolve("stderr"), StandardCharsets.UTF_8);
        String stdout = Files.readString(logs.resolve("stdout"), StandardCharsets.UTF_8);
        if (exit != 0 && exit != 3) throw new AssertionError(name + " exited " + exit + ": " + stdout + stderr);
        long liveMb = 0;
        Matcher m = GC_AFTER.matcher(Files.readString(gcLog));
        while (m.find()) liveMb = Math.max(liveMb, Long.parseLong(m.group(1)));
        return new Run(JSON.readTree(stdout), name, zendesk.auditRequests.get() + zendesk.ticketRequests.get() - before, seconds,
                number(stderr, "User time \\(seconds\\): ([\\d.]+)") + number(stderr, "System time \\(seconds\\): ([\\d.]+)"),
                (long) number(stderr, "Maximum resident set size \\(kbytes\\): (\\d+)") / 1024, liveMb, load);
    }

    private static double number(String text, String regex) {
        Matcher m = Pattern.compile(regex).matcher(text);
        if (!m.find()) throw new AssertionError("no " + regex + " in " + text);
        return Double.parseDouble(m.group(1));
    }
}
