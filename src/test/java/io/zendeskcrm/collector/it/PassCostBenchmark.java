package io.zendeskcrm.collector.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import io.zendeskcrm.collector.support.FakeZendesk;
import io.zendeskcrm.collector.support.RecordingS3Proxy;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * What one scheduled pass costs in steady state, counted rather than guessed: Zendesk requests and S3
 * requests by kind (PUT, GET, HEAD, LIST, DELETE) of one {@code once} run of the packaged jar, with the
 * default settings (audit logs and tickets, 5-minute interval, 300 s overlap), for a quiet account (nothing
 * new since the last pass) and a busy one ({@code bench.audits.per.day}, default 100,000 audit records, and
 * {@code bench.tickets.per.day}, default 10,000 ticket changes, of which one 5-minute interval's share is
 * new, and the previous interval's share is read again in the overlap). Before each measured pass, one pass
 * has run from the same state, as the schedule's previous one would have. Prints figures; asserts only that
 * the busy pass wrote every new record.
 * Run: {@code ./mvnw -Pbench verify -Dit.test=PassCostBenchmark}.
 */
class PassCostBenchmark {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void quietAndBusyPasses(@TempDir Path logs) throws Exception {
        int auditsPerDay = Integer.getInteger("bench.audits.per.day", 100_000);
        int ticketsPerDay = Integer.getInteger("bench.tickets.per.day", 10_000);
        int audits = Math.round(auditsPerDay / 288f); // one 5-minute interval's share
        int tickets = Math.round(ticketsPerDay / 288f);
        for (boolean busy : new boolean[] {false, true}) {
            try (Account account = new Account(); RecordingS3Proxy s3 = new RecordingS3Proxy(account.s3)) {
                FakeZendesk zendesk = account.zendesk;
                Map<String, String> env = account.env();
                env.put("AWS_ENDPOINT_URL_S3", s3.url());
                Instant t = Instant.now();
                long id = 1;
                if (busy) {
                    // The previous interval: records the pass before wrote, which the overlap reads again.
                    for (int i = 0; i < audits; i++, id++) zendesk.addAudit(id, t.minusSeconds(200 - i * 190L / audits), t.minusSeconds(400));
                    for (int i = 0; i < tickets; i++, id++) zendesk.putTicket(id, t.minusSeconds(700 - i * 290L / tickets), "open");
                }
                RunnerJar.Result previous = RunnerJar.run(env, logs.resolve(busy + "-previous"), "once");
                assertEquals(0, previous.exitCode(), previous.stderr());
                if (busy) {
                    // This interval: as many records again in the same stretch, listed only now (so that the measured
                    // pass meets new and already written records in its window as a pass every 5 minutes does).
                    Instant now = Instant.now();
                    for (int i = 0; i < audits; i++, id++) zendesk.addAudit(id, t.minusSeconds(199 - i * 190L / audits), now);
                    for (int i = 0; i < tickets; i++, id++) zendesk.putTicket(id, t.minusSeconds(400 - i * 290L / tickets), "open");
                }
                s3.forget();
                long zendeskBefore = zendesk.requests();
                long t0 = System.nanoTime();
                RunnerJar.Result pass = RunnerJar.run(env, logs.resolve(busy + "-measured"), "once");
                double processSeconds = (System.nanoTime() - t0) / 1e9;
                assertEquals(0, pass.exitCode(), pass.stderr());
                JsonNode summary = JSON.readTree(pass.stdout());
                long records = 0;
                long reread = 0;
                double passSeconds = 0;
                for (JsonNode s : summary.get("streams")) {
                    records += s.get("records").asLong();
                    reread += s.get("reread_records").asLong();
                    passSeconds = Math.max(passSeconds, s.get("seconds").asDouble());
                }
                Map<String, Integer> kinds = new TreeMap<>();
                for (LoggedRequest r : s3.requests()) kinds.merge(kind(r), 1, Integer::sum);
                System.out.printf("pass cost (%s): %d records written, %d read again; Zendesk requests %d; S3 %s; streams' longest %.2f s,"
                                + " whole process %.2f s, peak RSS %d MB%n", busy ? String.format("busy: %d audit records and %d"
                                + " ticket changes new, %d audit records read again", audits, tickets, audits) : "quiet: nothing new",
                        records, reread, zendesk.requests() - zendeskBefore, kinds, passSeconds, processSeconds, pass.peakRssMb());
                System.out.printf("pass cost (%s) per day at 288 passes: Zendesk requests %d; S3 %s%n", busy ? "busy" : "quiet",
                        (zendesk.requests() - zendeskBefore) * 288, perDay(kinds));
                assertEquals(busy ? audits + tickets : 0, records, pass.stdout());
            }
        }
    }

    private static String kind(LoggedRequest r) {
        String method = r.getMethod().getName();
        if (method.equals("GET") && r.getUrl().contains("list-type=")) return "LIST";
        return method;
    }

    private static Map<String, Integer> perDay(Map<String, Integer> kinds) {
        Map<String, Integer> out = new TreeMap<>();
        kinds.forEach((k, v) -> out.put(k, v * 288));
        return out;
    }
}
