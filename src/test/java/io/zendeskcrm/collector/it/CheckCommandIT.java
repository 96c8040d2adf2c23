package io.zendeskcrm.collector.it;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code target/zendesk-crm-collector check}: one line per item on stdout, exit 0 when all pass, 1 otherwise. */
class CheckCommandIT extends OneAccount {
    @BeforeEach
    void emptyBucket() {
        account.bucket.empty();
    }

    @Test
    void aSetupThatWorksPassesEveryItemAndLeavesTheBucketEmpty(@TempDir Path logs) throws Exception {
        RunnerJar.Result result = RunnerJar.run(account.env(), logs, "check");

        assertEquals(0, result.exitCode(), result.stdout() + result.stderr());
        List<String> lines = result.stdout().lines().toList();
        assertEquals(10, lines.size(), result.stdout());
        lines.forEach(l -> assertTrue(l.startsWith("✔ "), l));
        assertTrue(lines.contains("✔ incremental_tickets: allowed (one request of one record answered)"), result.stdout());
        assertEquals(List.of(), account.bucket.keys(""));
    }

    @Test
    void aWrongTokenAndABadSettingExitOneWithTheirLine(@TempDir Path logs) throws Exception {
        Map<String, String> env = account.env();
        env.put("ZENDESK_API_TOKEN", "tok-wrong-0000");

        RunnerJar.Result wrongToken = RunnerJar.run(env, logs.resolve("token"), "check");

        assertEquals(1, wrongToken.exitCode(), wrongToken.stderr());
        assertTrue(wrongToken.stdout().lines().anyMatch(l -> l.startsWith("✘ credentials: audit_logs: Zendesk answered 401")
                && l.contains("check ZENDESK_EMAIL and ZENDESK_API_TOKEN")), wrongToken.stdout());
        assertFalse((wrongToken.stdout() + wrongToken.stderr()).contains("tok-wrong-0000"));

        env = account.env();
        env.put("LOOKBACK_SECONDS", "soon");
        RunnerJar.Result badSetting = RunnerJar.run(env, logs.resolve("setting"), "check");

        assertEquals(1, badSetting.exitCode(), badSetting.stderr());
        assertTrue(badSetting.stdout().startsWith("✘ settings: LOOKBACK_SECONDS"), badSetting.stdout());
        assertFalse(badSetting.stderr().contains("\tat "), badSetting.stderr());
        assertEquals(List.of(), account.bucket.keys(""));
    }
}
