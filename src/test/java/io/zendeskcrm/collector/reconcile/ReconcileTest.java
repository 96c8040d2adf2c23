package io.zendeskcrm.collector.reconcile;

import com.fasterxml.jackson.databind.JsonNode;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.zendeskcrm.collector.RunSummary;
import io.zendeskcrm.collector.support.Bucket;
import io.zendeskcrm.collector.support.CollectorComponentTest;
import io.zendeskcrm.collector.support.CollectorTestResources;
import io.zendeskcrm.collector.support.ExactlyOnce;
import io.zendeskcrm.collector.support.FakeZendesk;
import io.zendeskcrm.collector.support.TestClock;
import io.zendeskcrm.collector.support.TestSettings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * reconcile against S3Proxy (and OUTPUT_DIR) and the fake Zendesk: the collector runs as it would, then
 * the bucket is damaged as the README's failures describe, and reconcile must name exactly what is wrong.
 */
@QuarkusTest
@QuarkusTestResource(CollectorTestResources.class)
class ReconcileTest extends CollectorComponentTest {
    private static final String AUDIT = "zendesk/crm/audit_logs/";
    private static final String TICKETS = "zendesk/crm/incremental_tickets/";
    private static final Instant SINCE = TestClock.START.minus(Duration.ofHours(2));

    /**
     * 250 audit records and 40 tickets in the hour before START, collected by two passes 15 minutes apart,
     * and one ticket changed after START, which moves the export's position past the 40.
     */
    private void collectAnHour(String... settings) {
        serveFake();
        for (int i = 0; i < 250; i++) fake.addAudit(1000 + i, TestClock.START.minusSeconds(3500 - i * 12), TestClock.START.minusSeconds(3500 - i * 12));
        for (int i = 0; i < 40; i++) fake.putTicket(500 + i, TestClock.START.minusSeconds(3000 - i * 60), "open");
        fake.putTicket(999, TestClock.START.plusSeconds(300), "open");
        assertTrue(pass(settings).ok());
        clock.advance(Duration.ofMinutes(15));
        assertTrue(pass(settings).ok());
    }

    private RunSummary pass(String... settings) {
        return collector.run(TestSettings.with(concat(settings, "MAX_PAGES", "0")));
    }

    private ReconcileReport reconcile(boolean repair, String... settings) {
        return collector.reconcile(TestSettings.with(settings), new ReconcileRequest(SINCE, Optional.empty(), repair),
                Optional.empty());
    }

    private static String[] concat(String[] a, String... b) {
        return Stream.concat(Stream.of(a), Stream.of(b)).toArray(String[]::new);
    }

    private static StreamReport stream(ReconcileReport report, String name) {
        return report.streams().stream().filter(s -> s.stream().equals(name)).findFirst().orElseThrow();
    }

    /**
     * Ticket 501 changed after the first pass and the object with its newest version was deleted: the older
     * version the bucket still holds does not make up for it. Zendesk lists 502 and 503 at versions older
     * than those the bucket holds (502's later version inside the period, 503's in the last second the
     * period leaves to the collector): neither is missing.
     */
    @Test
    void aTicketVersionIsMissingUnlessTheBucketHoldsItOrALaterVersionOfTheTicket() {
        serveFake();
        fake.ticketPageSize(1); // one version an object
        fake.putTicket(501, TestClock.START.minusSeconds(3000), "open");
        fake.putTicket(502, TestClock.START.minusSeconds(2900), "open");
        fake.putTicket(503, TestClock.START.minusSeconds(2800), "open");
        assertTrue(pass("RESOURCES", "incremental_tickets").ok());
        clock.advance(Duration.ofMinutes(10));
        fake.putTicket(501, TestClock.START.plusSeconds(100), "solved");
        fake.putTicket(502, TestClock.START.plusSeconds(200), "solved");
        fake.putTicket(503, TestClock.START.plusSeconds(300), "solved");
        fake.putTicket(999, TestClock.START.plusSeconds(300), "open");
        assertTrue(pass("RESOURCES", "incremental_tickets").ok());
        long newest501 = TestClock.START.plusSeconds(100).getEpochSecond();
        String lostObject = bucket.keys(TICKETS).stream()
                .filter(k -> Bucket.decode(k, bucket.bytes(k)).get(0).get("generated_timestamp").asLong() == newest501)
                .findFirst().orElseThrow();
        CollectorTestResources.s3().client().deleteObject(b -> b.bucket(CollectorTestResources.BUCKET).key(lostObject));
        fake.putTicket(502, TestClock.START.minusSeconds(2000), "solved"); // Zendesk lists older versions than the bucket holds
        fake.putTicket(503, TestClock.START.minusSeconds(1000), "solved");

        StreamReport tickets = stream(reconcile(false, "RESOURCES", "incremental_tickets"), "incremental_tickets");

        assertEquals(TestClock.START.plusSeconds(299).truncatedTo(java.time.temporal.ChronoUnit.SECONDS).toString(), tickets.to());
        assertEquals(3, tickets.inZendesk(), tickets.toString());
        assertEquals(4, tickets.inBucket(), "501, 502 and 503 of the first pass, 502 of the second: " + tickets);
        assertEquals(1, tickets.missing(), tickets.toString());
        assertEquals(List.of("501@" + newest501), tickets.missingIds());
        assertEquals(0, tickets.duplicated());

        StreamReport repaired = stream(reconcile(true, "RESOURCES", "incremental_tickets"), "incremental_tickets");

        assertEquals(1, repaired.repaired(), repaired.toString());
        StreamReport again = stream(reconcile(false, "RESOURCES", "incremental_tickets"), "incremental_tickets");
        assertEquals(0, again.missing(), again.toString());
        assertEquals(5, again.inBucket(), again.toString());
    }

    /**
     * 12 one-ticket export pages against the export's 10 requests a minute: reconcile uses at most half of each
     * window (the rest is the collecting passes'), waits out the window instead of running into a 429, and a
     * pass in the middle of it still finds its requests.
     */
    @Test
    void reconcileLeavesHalfOfTheExportsRequestsOfEachMinuteToTheCollectingPasses() {
        serveFake();
        fake.ticketPageSize(1);
        for (int i = 0; i < 12; i++) fake.putTicket(600 + i, TestClock.START.minusSeconds(3000 - i * 60L), "open");
        fake.exportRateLimit(10, Duration.ofMinutes(1));
        List<Instant> asked = new java.util.concurrent.CopyOnWriteArrayList<>();
        fake.onRequest(() -> asked.add(clock.instant()));

        StreamReport tickets = stream(reconcile(false, "RESOURCES", "incremental_tickets"), "incremental_tickets");

        assertEquals(12, tickets.inZendesk(), tickets.toString());
        assertEquals(0, fake.throttled(), "no 429");
        // The fake's windows: fixed, from the first request of each.
        List<Integer> perWindow = new ArrayList<>();
        Instant windowStart = null;
        for (Instant t : asked) {
            if (windowStart == null || !t.isBefore(windowStart.plus(Duration.ofMinutes(1)))) {
                windowStart = t;
                perWindow.add(0);
            }
            perWindow.set(perWindow.size() - 1, perWindow.get(perWindow.size() - 1) + 1);
        }
        assertEquals(List.of(5, 5, 2), perWindow, asked.toString());
        assertTrue(sleeper.waits().stream().allMatch(w -> w.compareTo(Duration.ofMinutes(1)) <= 0), sleeper.waits().toString());
    }

    /**
     * Time runs out in the middle of the second day's pages: the report counts the first day only, whose
     * records it repaired, and nothing of the day it did not finish (its 200 records read so far included).
     */
    @Test
    void outOfTimeInTheMiddleOfADayCountsAndRepairsOnlyTheDaysItFinished() {
        serveFake();
        Instant since = TestClock.START.minus(Duration.ofDays(3));
        for (int i = 0; i < 10; i++) fake.addAudit(1 + i, since.plusSeconds(3600 + i), since.plusSeconds(3600 + i));
        Instant day2 = since.plus(Duration.ofDays(1));
        for (int i = 0; i < 250; i++) fake.addAudit(100 + i, day2.plusSeconds(3600 + i), day2.plusSeconds(3600 + i));
        fake.onRequest(() -> clock.advance(Duration.ofSeconds(12))); // the budget is 120 s less the 90 s margin: 30 s

        ReconcileReport report = collector.reconcile(TestSettings.with("RESOURCES", "audit_logs"),
                new ReconcileRequest(since, Optional.empty(), true), Optional.of(Duration.ofSeconds(120)));

        StreamReport audit = stream(report, "audit_logs");
        assertEquals(1, report.exitStatus(), report.toJson());
        assertEquals(false, audit.complete());
        assertEquals("2026-11-17T23:59:59Z", audit.to());
        assertEquals(10, audit.inZendesk(), audit.toString());
        assertEquals(10, audit.missing());
        assertEquals(10, audit.repaired());
        assertEquals("audit_logs: ran out of time after checking up to 2026-11-17T23:59:59Z; run again with --since"
                + " 2026-11-18T00:00:00Z", audit.error());
        assertEquals(10, bucket.records(AUDIT).size());
    }

    @Test
    void aCompleteBucketIsReportedCompleteWithExitZero() {
        collectAnHour();

        ReconcileReport report = reconcile(false);

        assertEquals(0, report.exitStatus(), report.toJson());
        assertTrue(report.ok());
        StreamReport audit = stream(report, "audit_logs");
        assertEquals(250, audit.inZendesk());
        assertEquals(250, audit.inBucket());
        assertEquals(0, audit.missing());
        assertEquals(0, audit.duplicated());
        assertEquals(SINCE.plusSeconds(1).truncatedTo(java.time.temporal.ChronoUnit.SECONDS).toString(), audit.from());
        StreamReport tickets = stream(report, "incremental_tickets");
        assertEquals(40, tickets.inZendesk());
        assertEquals(40, tickets.inBucket());
        assertEquals(List.of(), tickets.missingIds());
    }

    @Test
    void aDeletedObjectsRecordsAreMissingThenRepairedOnceAndNothingIsReplaced() {
        collectAnHour();
        String deleted = bucket.keys(AUDIT).get(1);
        List<String> lost = Bucket.decode(deleted, bucket.bytes(deleted)).stream().map(r -> r.get("id").asText()).toList();
        CollectorTestResources.s3().client().deleteObject(b -> b.bucket(CollectorTestResources.BUCKET).key(deleted));
        Map<String, String> before = bucket.etags("zendesk/");

        ReconcileReport found = reconcile(false);

        assertEquals(3, found.exitStatus(), found.toJson());
        StreamReport audit = stream(found, "audit_logs");
        assertEquals(250, audit.inZendesk());
        assertEquals(250 - lost.size(), audit.inBucket());
        assertEquals(lost.size(), audit.missing());
        assertEquals(lost.subList(0, Math.min(20, lost.size())), audit.missingIds());
        assertEquals(0, audit.repaired());
        assertEquals(before, bucket.etags("zendesk/"), "a report writes nothing");

        ReconcileReport repaired = reconcile(true);

        assertEquals(0, repaired.exitStatus(), repaired.toJson());
        assertEquals(lost.size(), stream(repaired, "audit_logs").missing());
        assertEquals(lost.size(), stream(repaired, "audit_logs").repaired());
        Map<String, String> after = bucket.etags("zendesk/");
        before.forEach((key, etag) -> assertEquals(etag, after.get(key), "replaced: " + key));
        List<String> added = after.keySet().stream().filter(k -> !before.containsKey(k)).toList();
        assertEquals(1, added.size(), added.toString());
        assertTrue(added.get(0).matches(AUDIT + "2026/11/20/20261120T\\d{6}Z-repair-[0-9a-f]{16}\\.ndjson\\.gz"), added.get(0));
        ExactlyOnce.assertAudits(bucket.records(AUDIT), fake);

        ReconcileReport again = reconcile(true);

        assertEquals(0, again.exitStatus(), again.toJson());
        assertEquals(0, stream(again, "audit_logs").missing());
        assertEquals(0, stream(again, "audit_logs").repaired());
        assertEquals(after, bucket.etags("zendesk/"), "a second repair writes nothing");
    }

    @Test
    void aCopiedObjectIsReportedDuplicatedWithBothKeys() {
        collectAnHour();
        String original = bucket.keys(TICKETS).get(0);
        String copy = original.replace(".ndjson.gz", "-copy.ndjson.gz");
        bucket.put(copy, bucket.bytes(original));
        int copied = Bucket.decode(original, bucket.bytes(original)).size();

        ReconcileReport report = reconcile(true);

        assertEquals(3, report.exitStatus(), report.toJson());
        StreamReport tickets = stream(report, "incremental_tickets");
        assertEquals(copied, tickets.duplicated());
        assertEquals(40, tickets.inBucket());
        assertEquals(0, tickets.missing());
        assertEquals(0, tickets.repaired(), "a duplicate cannot be undone, and nothing is written for it");
        assertEquals(java.util.Set.of(original, copy), java.util.Set.copyOf(tickets.duplicatedKeys()));
        assertEquals(2, tickets.duplicatedKeys().size());
        assertEquals("500@" + TestClock.START.minusSeconds(3000).getEpochSecond(), tickets.duplicatedIds().get(0));
        assertFalse(report.ok());
    }

    @Test
    void recordsVisibleLaterThanTheOverlapAreFoundAndRepaired() {
        serveFake();
        for (int i = 0; i < 100; i++) fake.addAudit(1000 + i, TestClock.START.minusSeconds(3000 - i * 20), TestClock.START.minusSeconds(3000 - i * 20));
        // Created 20 minutes before the first pass, listed only 30 minutes after they were created: past the 5-minute overlap.
        for (int i = 0; i < 7; i++) fake.addAudit(5000 + i, TestClock.START.minusSeconds(1200 + i), TestClock.START.plusSeconds(600 - i));
        assertTrue(pass().ok());
        clock.advance(Duration.ofMinutes(15));
        assertTrue(pass().ok());
        assertEquals(100, bucket.records(AUDIT).size(), "the collector missed the late records");

        ReconcileReport report = reconcile(true, "RESOURCES", "audit_logs");

        StreamReport audit = stream(report, "audit_logs");
        assertEquals(7, audit.missing(), report.toJson());
        assertEquals(List.of("5006", "5005", "5004", "5003", "5002", "5001", "5000"), audit.missingIds());
        assertEquals(7, audit.repaired());
        assertEquals(0, report.exitStatus());
        ExactlyOnce.assertAudits(bucket.records(AUDIT), fake);
    }

    @Test
    void theCollectorsNextPassDoesNotRewriteWhatRepairWrote() {
        collectAnHour();
        String deleted = bucket.keys(AUDIT).get(2);
        CollectorTestResources.s3().client().deleteObject(b -> b.bucket(CollectorTestResources.BUCKET).key(deleted));
        assertEquals(0, reconcile(true).exitStatus());

        clock.advance(Duration.ofMinutes(15));
        assertTrue(pass().ok());

        ExactlyOnce.assertAudits(bucket.records(AUDIT), fake);
        ExactlyOnce.assertTickets(bucket.records(TICKETS), fake);
    }

    @Test
    void aZendeskFailureFailsTheStreamWithExitOneAndTheOthersAreStillChecked() {
        collectAnHour();
        fake.failNext(FakeZendesk.Fault.HTTP_500, FakeZendesk.Fault.HTTP_500);

        ReconcileReport report = reconcile(false, "HTTP_RETRIES", "1");

        assertEquals(1, report.exitStatus(), report.toJson());
        StreamReport audit = stream(report, "audit_logs");
        assertTrue(audit.error().startsWith("audit_logs: Zendesk request at window "), audit.error());
        assertTrue(audit.error().endsWith("failed after 2 attempts; last failure: HTTP 500 (HTTP_RETRIES=1)"), audit.error());
        StreamReport tickets = stream(report, "incremental_tickets");
        assertNull(tickets.error());
        assertEquals(40, tickets.inBucket());
    }

    @Test
    void aDeletedFileInOutputDirIsFoundAndRepaired(@TempDir Path dir) throws Exception {
        collectAnHour("OUTPUT_DIR", dir.toString());
        Path folder = dir.resolve(TICKETS);
        List<Path> files;
        try (Stream<Path> walk = Files.walk(folder)) {
            files = walk.filter(Files::isRegularFile).sorted().toList();
        }
        Files.delete(files.get(0));

        ReconcileReport found = reconcile(false, "OUTPUT_DIR", dir.toString());
        StreamReport tickets = stream(found, "incremental_tickets");
        assertEquals(3, found.exitStatus(), found.toJson());
        long lost = tickets.missing();
        assertEquals(40, lost, "the first pass's one object held the 40 tickets of the period");
        assertEquals(0, tickets.inBucket());

        ReconcileReport repaired = reconcile(true, "OUTPUT_DIR", dir.toString());

        assertEquals(0, repaired.exitStatus(), repaired.toJson());
        assertEquals(lost, stream(repaired, "incremental_tickets").repaired());
        List<JsonNode> records = new ArrayList<>();
        try (Stream<Path> walk = Files.walk(folder)) {
            for (Path f : walk.filter(Files::isRegularFile).toList()) records.addAll(Bucket.decode(f.toString(), Files.readAllBytes(f)));
        }
        ExactlyOnce.assertTickets(records, fake);
    }
}
