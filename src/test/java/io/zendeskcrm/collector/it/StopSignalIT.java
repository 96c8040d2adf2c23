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
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * SIGTERM (what {@code docker stop}, systemd and Kubernetes send) during a pass of the packaged jar: the
 * pass stops at the next page boundary, prints its summary and where the next run continues, and exits
 * 143; the next run carries on with nothing lost or written twice. Regression: {@code once} exited 143
 * with no summary and no message, and the scheduled mode logged "Error Occurred After Shutdown".
 */
class StopSignalIT extends OneAccount {
    private static final ObjectMapper JSON = new ObjectMapper();
    @BeforeEach
    void emptyAccount() {
        account.wireMock.resetToDefaultMappings();
        account.wireMock.resetRequests();
        account.wireMock.stubFor(get(urlPathEqualTo("/api/v2/incremental/tickets/cursor.json")).willReturn(aResponse().withTransformers(FakeZendesk.NAME)));
        account.wireMock.stubFor(get(urlPathEqualTo("/api/v2/audit_logs.json")).willReturn(aResponse().withTransformers(FakeZendesk.NAME)));
        account.bucket.empty();
    }

    /** 2000 tickets and 1000 audit records of the last hour, served 100 a page, slowly. */
    private Map<String, String> slowAccount() {
        FakeZendesk zendesk = account.zendesk;
        zendesk.ticketPageSize(100);
        Instant now = Instant.now();
        for (int i = 0; i < 2000; i++) zendesk.putTicket(i, now.minusSeconds(3500 - i), "open");
        for (int i = 0; i < 1000; i++) zendesk.addAudit(i, now.minusSeconds(3500 - i * 3L), now.minusSeconds(3500 - i * 3L));
        zendesk.responseDelay(Duration.ofMillis(400));
        Map<String, String> env = account.env();
        env.put("LOOKBACK_SECONDS", "7200");
        env.put("MAX_PAGES", "0");
        return env;
    }

    @Test
    void onceStopsAtAPageBoundaryPrintsTheSummaryAndWhereTheNextRunContinuesAndExits143(@TempDir Path logs) throws Exception {
        Map<String, String> env = slowAccount();
        Process p = RunnerJar.start(env, logs.resolve("stopped"), "once");
        awaitRequests(6, p);
        Map<String, String> before = account.bucket.etags("zendesk/crm/");

        long signalled = System.nanoTime();
        long requestsBefore = account.wireMock.getAllServeEvents().size();
        p.destroy(); // SIGTERM
        assertTrue(p.waitFor(2, TimeUnit.MINUTES), "the pass stops");
        long stopMillis = (System.nanoTime() - signalled) / 1_000_000;
        long requestsAfter = account.wireMock.getAllServeEvents().size() - requestsBefore;

        String stdout = Files.readString(logs.resolve("stopped/stdout"), StandardCharsets.UTF_8);
        String stderr = Files.readString(logs.resolve("stopped/stderr"), StandardCharsets.UTF_8);
        assertEquals(143, p.exitValue(), stderr);
        JsonNode summary = JSON.readTree(stdout);
        assertTrue(summary.get("ok").asBoolean(), stdout);
        for (JsonNode stream : summary.get("streams")) {
            assertTrue(stream.get("more").asBoolean(), "stopped before the end: " + stream);
            assertTrue(stream.get("pages").asInt() >= 1, stream.toString());
        }
        List<String> stopped = stderr.lines().filter(l -> l.startsWith("stopped by SIGTERM")).toList();
        assertEquals(1, stopped.size(), stderr);
        assertTrue(stopped.get(0).matches("stopped by SIGTERM; what was written is committed, and the next run continues from"
                + " the checkpoint at s3://zendesk-logs/zendesk/crm-state/state\\.json: audit_logs from \\S+Z( \\(inside the window"
                + " to \\S+Z\\))?, incremental_tickets from its export cursor \\(tickets changed up to \\S+Z\\)"), stopped.get(0));
        assertFalse(stderr.contains("Exception") || stderr.contains("\tat "), stderr);
        // Stopped after the pages in flight: no stream went on reading (a request each may have been on its way to
        // Zendesk when the signal came). Counted, not timed, so that a busy machine does not fail it.
        assertTrue(requestsAfter <= 2 * summary.get("streams").size(), requestsAfter + " requests after the signal");

        account.zendesk.responseDelay(Duration.ZERO);
        RunnerJar.Result next = RunnerJar.run(env, logs.resolve("next"), "once");
        assertEquals(0, next.exitCode(), next.stderr());
        assertNothingLostOrRepeated(before);
        System.out.printf("SIGTERM during once: stopped %d ms after the signal with %s pages of tickets and %s of audit logs%n",
                stopMillis, summary.at("/streams/1/pages"), summary.at("/streams/0/pages"));
    }

    @Test
    void aRetryWaitEndsAtOnce(@TempDir Path logs) throws Exception {
        Map<String, String> env = account.env();
        env.put("RESOURCES", "incremental_tickets");
        account.wireMock.stubFor(get(urlPathEqualTo("/api/v2/incremental/tickets/cursor.json")).atPriority(1)
                .willReturn(aResponse().withStatus(429).withHeader("Retry-After", "240")));
        Process p = RunnerJar.start(env, logs, "once");
        awaitRequests(1, p);
        Thread.sleep(500); // inside the four-minute wait Zendesk asked for

        long signalled = System.nanoTime();
        p.destroy();
        assertTrue(p.waitFor(2, TimeUnit.MINUTES), "the wait ended");
        long stopMillis = (System.nanoTime() - signalled) / 1_000_000;

        String stderr = Files.readString(logs.resolve("stderr"), StandardCharsets.UTF_8);
        assertEquals(143, p.exitValue(), stderr);
        JsonNode stream = JSON.readTree(Files.readString(logs.resolve("stdout"), StandardCharsets.UTF_8)).at("/streams/0");
        assertTrue(stream.get("ok").asBoolean() && stream.get("more").asBoolean(), stream.toString());
        assertTrue(stderr.contains("stopping instead of waiting 240 s (SIGTERM); the next run carries on from the last committed page"), stderr);
        assertTrue(stopMillis < 120_000, "no four-minute wait: " + stopMillis + " ms"); // a bound for a busy machine, far below 240 s
        assertEquals(1, account.wireMock.getAllServeEvents().size(), "one request, no retry after the signal");
    }

    /** Regression: a pass interrupted by SIGTERM logged "Error Occurred After Shutdown". */
    @Test
    void theScheduledModeFinishesThePagesInHandThenExits143WithoutErrors(@TempDir Path logs) throws Exception {
        Map<String, String> env = slowAccount();
        env.put("SCHEDULE", "1m");
        Process p = RunnerJar.start(env, logs.resolve("schedule"));
        awaitRequests(6, p);
        Map<String, String> before = account.bucket.etags("zendesk/crm/");

        p.destroy();
        assertTrue(p.waitFor(2, TimeUnit.MINUTES), "the process stops");

        String stderr = Files.readString(logs.resolve("schedule/stderr"), StandardCharsets.UTF_8);
        assertEquals(143, p.exitValue(), stderr);
        assertTrue(stderr.contains("stopped by SIGTERM; what was written is committed, and the next run continues from"), stderr);
        for (String never : List.of("Error Occurred After Shutdown", "SkippedExecution", "ERROR", "Exception", "\tat ")) {
            assertFalse(stderr.contains(never), never + " in:\n" + stderr);
        }
        account.zendesk.responseDelay(Duration.ZERO);
        RunnerJar.Result next = RunnerJar.run(env, logs.resolve("next"), "once");
        assertEquals(0, next.exitCode(), next.stderr());
        assertNothingLostOrRepeated(before);
    }

    /** Regression: Ctrl-C pressed twice printed about 100 lines of a Vert.x NullPointerException trace. */
    @Test
    void aSecondCtrlCStopsAtOnceWithOneLineAndExit130(@TempDir Path logs) throws Exception {
        Map<String, String> env = slowAccount();
        env.put("HTTP_TIMEOUT", "600");
        Process p = RunnerJar.start(env, logs.resolve("twice"), "once");
        awaitRequests(6, p);
        // The pages in flight at the first Ctrl-C are answered only minutes later: a pass that stops at its page
        // boundary cannot have ended before the second Ctrl-C, however slow the machine.
        long asked = account.zendesk.requests();
        account.zendesk.responseDelay(Duration.ofMinutes(5));
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(2);
        while (account.zendesk.requests() == asked && System.nanoTime() < deadline) {
            assertTrue(p.isAlive(), "the collector exited early");
            Thread.sleep(20);
        }
        assertTrue(account.zendesk.requests() > asked, "a page is on its way");
        Map<String, String> before = account.bucket.etags("zendesk/crm/");

        signal(p, "INT");
        awaitLine(logs.resolve("twice/stderr"), "SIGINT received", p);
        signal(p, "INT");
        assertTrue(p.waitFor(2, TimeUnit.MINUTES), "the second Ctrl-C stops the process");

        String stderr = Files.readString(logs.resolve("twice/stderr"), StandardCharsets.UTF_8);
        assertEquals(130, p.exitValue(), stderr);
        assertTrue(stderr.contains("stopped at once by a second SIGINT"), stderr);
        for (String never : List.of("Exception", "\tat ", "ERROR")) {
            assertFalse(stderr.contains(never), never + " in:\n" + stderr);
        }
        account.zendesk.responseDelay(Duration.ZERO);
        RunnerJar.Result next = RunnerJar.run(env, logs.resolve("next"), "once");
        assertEquals(0, next.exitCode(), next.stderr());
        assertNothingLostOrRepeated(before);
    }

    private static void signal(Process p, String signal) throws Exception {
        assertEquals(0, new ProcessBuilder("kill", "-" + signal, String.valueOf(p.pid())).start().waitFor());
    }

    private static void awaitLine(Path file, String text, Process p) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(2);
        while (System.nanoTime() < deadline) {
            if (Files.exists(file) && Files.readString(file, StandardCharsets.UTF_8).contains(text)) return;
            assertTrue(p.isAlive(), "the collector exited early");
            Thread.sleep(20);
        }
        throw new AssertionError("no '" + text + "' in " + file);
    }

    /** Waits until Zendesk has had {@code n} requests. */
    private static void awaitRequests(int n, Process p) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(2);
        while (account.wireMock.getAllServeEvents().size() < n && System.nanoTime() < deadline) {
            assertTrue(p.isAlive(), "the collector exited early with " + (p.isAlive() ? "" : p.exitValue()));
            Thread.sleep(20);
        }
        assertTrue(account.wireMock.getAllServeEvents().size() >= n, "the pass started");
    }

    /** Every record exactly once, and no object written before the signal was rewritten. */
    private static void assertNothingLostOrRepeated(Map<String, String> before) {
        ExactlyOnce.assertAudits(account.bucket.records("zendesk/crm/audit_logs/"), account.zendesk);
        ExactlyOnce.assertTickets(account.bucket.records("zendesk/crm/incremental_tickets/"), account.zendesk);
        Map<String, String> after = account.bucket.etags("zendesk/crm/");
        before.forEach((key, etag) -> assertEquals(etag, after.get(key), "rewritten: " + key));
    }
}
