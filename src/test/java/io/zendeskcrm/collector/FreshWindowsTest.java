package io.zendeskcrm.collector;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.zendeskcrm.collector.support.CollectorComponentTest;
import io.zendeskcrm.collector.support.CollectorTestResources;
import io.zendeskcrm.collector.support.TestSettings;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Audit- and access-log windows end a few seconds before Zendesk's present; the overlap catches what appears late;
 * each pass says how fresh the bucket is.
 */
@QuarkusTest
@QuarkusTestResource(CollectorTestResources.class)
class FreshWindowsTest extends CollectorComponentTest {

    private RunSummary run() {
        return collector.run(TestSettings.with("RESOURCES", "audit_logs,access_logs"));
    }

    private List<String> ids(String stream) {
        return bucket.records("zendesk/crm/" + stream + "/").stream().map(r -> r.get("id").asText()).sorted().toList();
    }

    private long records(RunSummary summary, String stream) {
        return summary.streams().stream().filter(s -> s.stream().equals(stream)).findFirst().orElseThrow().records();
    }

    /** Regression: windows ended 60 s before now, so a record made 10 s ago waited a whole schedule interval more. */
    @Test
    void aRecordMadeTenSecondsBeforeZendesksNowIsCollectedInTheSamePass() {
        serveFake();
        fake.clockOffset(Duration.ofMillis(-2_700)); // Zendesk's clock, shown in each answer's Date, is its own
        Instant tenSecondsAgo = fake.now().minusSeconds(10);
        fake.addAudit(41, tenSecondsAgo, tenSecondsAgo);
        fake.addAccessLog(41, tenSecondsAgo, tenSecondsAgo);

        RunSummary summary = run();

        assertTrue(summary.ok(), summary::failures);
        assertEquals(List.of("41"), ids("audit_logs"));
        assertEquals(fake.accessLogIds(), ids("access_logs"));
        assertEquals(1, records(summary, "audit_logs"));
        assertEquals(1, records(summary, "access_logs"));
    }

    /** A record Zendesk lists a minute after its time, after the pass that read its second: the next pass's overlap collects it, once. */
    @Test
    void aRecordListedLateWithinTheOverlapIsCollectedOnce() {
        serveFake();
        Instant now = fake.now();
        fake.addAudit(1, now.minusSeconds(100), now.minusSeconds(100));
        fake.addAccessLog(1, now.minusSeconds(100), now.minusSeconds(100));
        Instant late = now.minusSeconds(8); // inside the first window, listed only a minute later
        fake.addAudit(2, late, late.plusSeconds(60));
        fake.addAccessLog(2, late, late.plusSeconds(60));

        RunSummary first = run();
        clock.advance(Duration.ofMinutes(5));
        RunSummary second = run();
        clock.advance(Duration.ofMinutes(5));
        RunSummary third = run();

        for (RunSummary s : List.of(first, second, third)) assertTrue(s.ok(), s::failures);
        assertEquals(1, records(first, "audit_logs"), "the first pass writes the record it could see");
        assertEquals(1, records(first, "access_logs"), "the first pass writes the record it could see");
        assertEquals(1, records(second, "audit_logs"), "the second pass writes the late one");
        assertEquals(1, records(second, "access_logs"), "the second pass writes the late one");
        assertEquals(0, records(third, "audit_logs"));
        assertEquals(0, records(third, "access_logs"));
        assertEquals(List.of("1", "2"), ids("audit_logs"));
        assertEquals(fake.accessLogIds().stream().sorted().toList(), ids("access_logs"));
    }

    private StreamResult stream(RunSummary summary, String name) {
        return summary.streams().stream().filter(s -> s.stream().equals(name)).findFirst().orElseThrow();
    }

    /** The newest record's age keeps growing in a quiet account; the watermark's stays seconds behind Zendesk's clock. */
    @Test
    void eachPassReportsTheNewestRecordsAgeAndTheWatermarksAlsoWhenNothingIsNew() {
        serveFake();
        Instant zendeskNow = fake.now().truncatedTo(java.time.temporal.ChronoUnit.SECONDS); // as its Date header shows it
        fake.addAudit(7, zendeskNow.minusSeconds(30), zendeskNow.minusSeconds(30));
        fake.putTicket(8, zendeskNow.minusSeconds(120), "open");

        RunSummary busy = collector.run(TestSettings.with());
        clock.advance(Duration.ofMinutes(5));
        RunSummary quiet = collector.run(TestSettings.with());

        assertTrue(busy.ok(), busy::failures);
        assertTrue(quiet.ok(), quiet::failures);
        assertEquals(30, stream(busy, "audit_logs").newestRecordAgeSeconds());
        assertEquals(5, stream(busy, "audit_logs").watermarkAgeSeconds(), "the window ended 5 s before Zendesk's present");
        assertEquals(120, stream(busy, "incremental_tickets").newestRecordAgeSeconds());
        assertEquals(60, stream(busy, "incremental_tickets").watermarkAgeSeconds(), "the export leaves out the last minute");
        assertEquals(0, stream(quiet, "audit_logs").records());
        assertEquals(0, stream(quiet, "incremental_tickets").records());
        assertEquals(330, stream(quiet, "audit_logs").newestRecordAgeSeconds(), "the newest record known, not zero");
        assertEquals(420, stream(quiet, "incremental_tickets").newestRecordAgeSeconds(), "the newest record known, not zero");
        assertEquals(5, stream(quiet, "audit_logs").watermarkAgeSeconds(), "a quiet account's watermark moves on");
        assertEquals(60, stream(quiet, "incremental_tickets").watermarkAgeSeconds(), "a quiet account's watermark moves on");
        assertEquals(zendeskNow.minusSeconds(30).toString(),
                bucket.json(STATE_KEY).at("/streams/audit_logs/newest_record").asText(), "kept in the checkpoint");
    }
}
