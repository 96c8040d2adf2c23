package io.zendeskcrm.collector.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.zendeskcrm.collector.support.Bucket;
import io.zendeskcrm.collector.support.ExactlyOnce;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code java -jar target/*-runner.jar reconcile ...}: audit records listed 30 minutes after they were
 * created, an audit object deleted and a ticket object copied; the report, the repair and the exit statuses.
 */
class ReconcileCommandIT extends OneAccount {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String AUDIT = "zendesk/crm/audit_logs/";
    private static final String TICKETS = "zendesk/crm/incremental_tickets/";

    @BeforeEach
    void emptyAccount() {
        account.bucket.empty();
    }

    private static JsonNode stream(JsonNode report, String name) {
        for (JsonNode s : report.get("streams")) if (s.get("stream").asText().equals(name)) return s;
        throw new AssertionError("no " + name + " in " + report);
    }

    @Test
    void findsTheLateTheDeletedAndTheCopiedRecordsAndRepairsTheMissingOnesOnce(@TempDir Path logs) throws Exception {
        Instant now = Instant.now();
        for (int i = 0; i < 150; i++) account.zendesk.addAudit(1000 + i, now.minusSeconds(3000 - i * 10), now.minusSeconds(3000 - i * 10));
        for (int i = 0; i < 30; i++) account.zendesk.putTicket(100 + i, now.minusSeconds(3000 - i * 30), "open");
        account.zendesk.putTicket(999, now.minusSeconds(120), "open"); // moves the export's position past the 30

        assertEquals(0, RunnerJar.run(account.env(), logs.resolve("once"), "once").exitCode());
        // Five records appear only now, 30 minutes after they were created: long after the pass read their window.
        Instant appeared = Instant.now();
        for (int i = 0; i < 5; i++) account.zendesk.addAudit(5000 + i, appeared.minus(Duration.ofMinutes(30)), appeared);
        List<String> auditKeys = account.bucket.keys(AUDIT);
        assertEquals(2, auditKeys.size(), auditKeys.toString());
        String deleted = auditKeys.get(1);
        long lost = Bucket.decode(deleted, account.bucket.bytes(deleted)).size();
        account.s3.client().deleteObject(b -> b.bucket("zendesk-logs").key(deleted));
        String ticketObject = account.bucket.keys(TICKETS).get(0);
        String copy = ticketObject.replace(".ndjson.gz", "-copy.ndjson.gz");
        account.bucket.put(copy, account.bucket.bytes(ticketObject));
        Map<String, String> before = account.bucket.etags("zendesk/crm/");

        RunnerJar.Result report = RunnerJar.run(account.env(), logs.resolve("report"), "reconcile", "--since", "2h");

        assertEquals(3, report.exitCode(), report.stderr());
        assertEquals(1, report.stdout().strip().lines().count(), "one JSON line: " + report.stdout());
        JsonNode found = JSON.readTree(report.stdout());
        assertFalse(found.get("ok").asBoolean());
        JsonNode audit = stream(found, "audit_logs");
        assertEquals(155, audit.get("in_zendesk").asLong());
        assertEquals(150 - lost, audit.get("in_bucket").asLong());
        assertEquals(lost + 5, audit.get("missing").asLong());
        assertEquals(0, audit.get("repaired").asLong());
        JsonNode tickets = stream(found, "incremental_tickets");
        assertEquals(30, tickets.get("in_zendesk").asLong());
        assertEquals(30, tickets.get("duplicated").asLong());
        assertEquals(0, tickets.get("missing").asLong());
        assertEquals(List.of(copy, ticketObject), texts(tickets.get("duplicated_keys")));
        assertEquals(before, account.bucket.etags("zendesk/crm/"), "a report writes nothing");

        RunnerJar.Result repair = RunnerJar.run(account.env(), logs.resolve("repair"), "reconcile", "--since", "2h", "--repair");

        assertEquals(3, repair.exitCode(), "the copied tickets are still there twice: " + repair.stderr());
        JsonNode repaired = stream(JSON.readTree(repair.stdout()), "audit_logs");
        assertEquals(lost + 5, repaired.get("missing").asLong());
        assertEquals(lost + 5, repaired.get("repaired").asLong());
        Map<String, String> after = account.bucket.etags("zendesk/crm/");
        before.forEach((key, etag) -> assertEquals(etag, after.get(key), "replaced: " + key));
        ExactlyOnce.assertAudits(account.bucket.records(AUDIT), account.zendesk);

        RunnerJar.Result again = RunnerJar.run(account.env(), logs.resolve("again"), "reconcile", "--since", "2h", "--repair");

        JsonNode second = JSON.readTree(again.stdout());
        assertEquals(0, stream(second, "audit_logs").get("missing").asLong());
        assertEquals(0, stream(second, "audit_logs").get("repaired").asLong());
        assertEquals(30, stream(second, "incremental_tickets").get("duplicated").asLong());
        assertEquals(after, account.bucket.etags("zendesk/crm/"), "nothing written twice");
        assertFalse(report.stderr().contains("\tat "), report.stderr());
    }

    @Test
    void nothingWrongExitsZero(@TempDir Path logs) throws Exception {
        Instant now = Instant.now();
        for (int i = 0; i < 20; i++) account.zendesk.addAudit(1 + i, now.minusSeconds(1800 + i), now.minusSeconds(1800 + i));
        assertEquals(0, RunnerJar.run(account.env(), logs.resolve("once"), "once").exitCode());

        RunnerJar.Result result = RunnerJar.run(account.env(), logs.resolve("reconcile"), "reconcile", "--since", "1d");

        assertEquals(0, result.exitCode(), result.stderr());
        JsonNode audit = stream(JSON.readTree(result.stdout()), "audit_logs");
        assertEquals(20, audit.get("in_zendesk").asLong());
        assertEquals(20, audit.get("in_bucket").asLong());
    }

    @Test
    void aConfigurationErrorIsOneLineAndExitsTwo(@TempDir Path logs) throws Exception {
        RunnerJar.Result noSince = RunnerJar.run(account.env(), logs.resolve("a"), "reconcile", "--until", "1h");
        assertEquals(2, noSince.exitCode());
        assertEquals("", noSince.stdout());
        assertTrue(noSince.stderr().lines().anyMatch(l -> l.equals("configuration error: reconcile needs --since; reconcile"
                + " --since <time> [--until <time>] [--repair]; a time is ISO 8601 (2026-11-20T00:00:00Z, 2026-11-20), epoch"
                + " seconds, or a span back from now (36h, 7d)")), noSince.stderr());
        assertFalse(noSince.stderr().contains("\tat "), noSince.stderr());

        Map<String, String> env = account.env();
        env.put("RESOURCES", "audit_logs,tickets");
        RunnerJar.Result badSetting = RunnerJar.run(env, logs.resolve("b"), "reconcile", "--since", "1d");
        assertEquals(2, badSetting.exitCode());
        assertTrue(badSetting.stderr().contains("configuration error: RESOURCES (audit_logs,tickets) names an unknown stream"
                + " 'tickets'"), badSetting.stderr());
        assertEquals(0, account.zendesk.requests(), "no request before the settings are right");
    }

    @Test
    void aZendeskFailureExitsOne(@TempDir Path logs) throws Exception {
        Map<String, String> env = account.env();
        env.put("ZENDESK_API_TOKEN", "not-the-token");

        RunnerJar.Result result = RunnerJar.run(env, logs, "reconcile", "--since", "1d");

        assertEquals(1, result.exitCode(), result.stderr());
        JsonNode audit = stream(JSON.readTree(result.stdout()), "audit_logs");
        assertTrue(audit.get("error").asText().startsWith("audit_logs: Zendesk answered 401 at window "), audit.toString());
        assertFalse(result.stdout().contains("not-the-token"));
        assertFalse(result.stderr().contains("not-the-token"));
    }

    @Test
    void deletingTheCheckpointThenABackfillFromTheStartOfTheDataWritesNothingTwice(@TempDir Path logs) throws Exception {
        Instant now = Instant.now();
        Instant start = now.minusSeconds(3000);
        for (int i = 0; i < 30; i++) account.zendesk.addAudit(1 + i, start.plusSeconds(60L * i), start.plusSeconds(60L * i));
        for (int i = 0; i < 50; i++) account.zendesk.putTicket(100 + i, start.plusSeconds(30L * i), "open");
        Map<String, String> env = account.env();
        env.put("START_TIME", String.valueOf(start.getEpochSecond()));
        assertEquals(0, RunnerJar.run(env, logs.resolve("first"), "once").exitCode());
        Map<String, String> before = account.bucket.etags("zendesk/crm/");
        account.s3.client().deleteObject(b -> b.bucket("zendesk-logs").key("zendesk/crm-state/state.json"));

        RunnerJar.Result again = RunnerJar.run(env, logs.resolve("again"), "once");

        assertEquals(0, again.exitCode(), again.stderr());
        JsonNode summary = JSON.readTree(again.stdout());
        for (JsonNode s : summary.get("streams")) assertEquals(0, s.get("records").asLong(), s.toString());
        assertEquals(before, account.bucket.etags("zendesk/crm/"), "no object written or replaced");
        ExactlyOnce.assertAudits(account.bucket.records(AUDIT), account.zendesk);
        ExactlyOnce.assertTickets(account.bucket.records(TICKETS), account.zendesk);
    }

    private static List<String> texts(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.asText()));
        return out;
    }
}
