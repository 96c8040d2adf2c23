package io.zendeskcrm.collector.it;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code java -jar target/*-runner.jar} without arguments: passes on the SCHEDULE, or one line and status 2. */
class ScheduleModeIT extends OneAccount {
    @BeforeEach
    void emptyAccount() {
        account.bucket.empty();
    }

    @Test
    void aBadScheduleIsOneLineAndStatusTwo(@TempDir Path logs) throws Exception {
        Map<String, String> env = account.env();
        env.put("SCHEDULE", "rate(1 week)");

        Process p = RunnerJar.start(env, logs);

        assertTrue(p.waitFor(5, TimeUnit.MINUTES), "the collector exits");
        String stderr = Files.readString(logs.resolve("stderr"), StandardCharsets.UTF_8);
        assertEquals(2, p.exitValue(), stderr);
        List<String> about = stderr.lines().filter(l -> l.contains("SCHEDULE") || l.contains("Exception") || l.startsWith("\tat ")).toList();
        assertEquals(1, about.size(), stderr);
        assertTrue(about.get(0).startsWith("configuration error: SCHEDULE (rate(1 week)) is not a schedule; accepted: "), about.get(0));
        assertEquals("", Files.readString(logs.resolve("stdout"), StandardCharsets.UTF_8));
        assertEquals(0, account.zendesk.requests(), "no pass ran");
    }

    /** Regression: SCHEDULE=abc with once exited 0 without a word, although every setting is validated. */
    @Test
    void aBadScheduleIsRefusedByOnceToo(@TempDir Path logs) throws Exception {
        Map<String, String> env = account.env();
        env.put("SCHEDULE", "abc");

        Process p = RunnerJar.start(env, logs, "once");

        assertTrue(p.waitFor(5, TimeUnit.MINUTES), "the collector exits");
        String stderr = Files.readString(logs.resolve("stderr"), StandardCharsets.UTF_8);
        assertEquals(2, p.exitValue(), stderr);
        assertTrue(stderr.contains("configuration error: SCHEDULE (abc) is not a schedule; accepted: "), stderr);
        assertEquals(0, account.zendesk.requests(), "no pass ran");
    }

    @Test
    void aPassRunsAtStartAndTheProcessKeepsRunning(@TempDir Path logs) throws Exception {
        account.zendesk.putTicket(1, Instant.now().minusSeconds(300), "open");
        Map<String, String> env = account.env();
        env.put("SCHEDULE", "rate(1 hour)");
        env.put("RESOURCES", "incremental_tickets");

        Process p = RunnerJar.start(env, logs);
        try {
            String stderr = waitFor(logs, "\"ok\":true", p);
            assertTrue(stderr.contains("a pass every 1h"), stderr);
            assertEquals(1, account.bucket.records("zendesk/crm/").size());
            assertTrue(p.isAlive(), "the long-running mode keeps running after the pass");
        } finally {
            p.destroy();
            p.waitFor(30, TimeUnit.SECONDS);
        }
    }

    /** Inside Lambda (AWS_LAMBDA_RUNTIME_API set) only invocations run passes: nothing on a timer. */
    @Test
    void insideLambdaNoPassRunsOnATimer(@TempDir Path logs) throws Exception {
        account.zendesk.putTicket(1, Instant.now().minusSeconds(300), "open");
        Map<String, String> env = account.env();
        env.put("AWS_LAMBDA_RUNTIME_API", "127.0.0.1:9");
        env.put("SCHEDULE", "1m");

        Process p = RunnerJar.start(env, logs);
        try {
            waitFor(logs, "started in", p);
            Thread.sleep(3000); // a job on an interval fires within a second of start-up
            assertTrue(p.isAlive(), "the process waits for invocations");
            assertEquals(0, account.zendesk.requests(), "no pass ran");
        } finally {
            p.destroy();
            p.waitFor(30, TimeUnit.SECONDS);
        }
    }

    private static String waitFor(Path logs, String text, Process p) throws Exception {
        // A bound that only catches a hang: on a busy machine the JVM alone can take half a minute to start.
        for (int i = 0; i < 3000; i++) {
            String stderr = Files.readString(logs.resolve("stderr"), StandardCharsets.UTF_8);
            if (stderr.contains(text)) return stderr;
            if (!p.isAlive()) throw new AssertionError("the collector exited with " + p.exitValue() + ":\n" + stderr);
            Thread.sleep(100);
        }
        throw new AssertionError("no '" + text + "' within 5 minutes:\n" + Files.readString(logs.resolve("stderr"), StandardCharsets.UTF_8));
    }
}
