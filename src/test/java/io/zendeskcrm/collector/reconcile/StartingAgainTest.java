package io.zendeskcrm.collector.reconcile;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.zendeskcrm.collector.RunSummary;
import io.zendeskcrm.collector.StreamResult;
import io.zendeskcrm.collector.support.CollectorComponentTest;
import io.zendeskcrm.collector.support.CollectorTestResources;
import io.zendeskcrm.collector.support.ExactlyOnce;
import io.zendeskcrm.collector.support.TestClock;
import io.zendeskcrm.collector.support.TestSettings;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The README's advice for starting again (delete the checkpoint, set START_TIME, run) writes no record the
 * bucket already has: not in the first pass, nor in the passes after it that are still behind.
 */
@QuarkusTest
@QuarkusTestResource(CollectorTestResources.class)
class StartingAgainTest extends CollectorComponentTest {
    private static final String START_TIME = TestClock.START.minus(Duration.ofHours(2)).truncatedTo(java.time.temporal.ChronoUnit.SECONDS).toString();

    private RunSummary pass(String... settings) {
        return collector.run(TestSettings.with(settings));
    }

    private static StreamResult stream(RunSummary summary, String name) {
        return summary.streams().stream().filter(s -> s.stream().equals(name)).findFirst().orElseThrow();
    }

    private void collectTwoHours() {
        serveFake();
        for (int i = 0; i < 300; i++) fake.addAudit(1000 + i, TestClock.START.minusSeconds(7000 - i * 20), TestClock.START.minusSeconds(7000 - i * 20));
        for (int i = 0; i < 50; i++) fake.putTicket(500 + i, TestClock.START.minusSeconds(6000 - i * 100), "open");
        assertTrue(pass("START_TIME", START_TIME, "MAX_PAGES", "0").ok());
        assertEquals(300, bucket.records("zendesk/crm/audit_logs/").size());
        assertEquals(50, bucket.records("zendesk/crm/incremental_tickets/").size());
    }

    @Test
    void deletingTheCheckpointAndCollectingFromTheStartWritesNothingTwice() {
        collectTwoHours();
        Map<String, String> before = bucket.etags("zendesk/crm/");
        CollectorTestResources.s3().client().deleteObject(b -> b.bucket(CollectorTestResources.BUCKET).key(STATE_KEY));
        clock.advance(Duration.ofMinutes(10));

        RunSummary again = pass("START_TIME", START_TIME, "MAX_PAGES", "0");

        assertTrue(again.ok(), again::failures);
        assertEquals(0, stream(again, "audit_logs").records());
        assertEquals(300, stream(again, "audit_logs").alreadyWritten());
        assertEquals(0, stream(again, "incremental_tickets").records());
        assertEquals(50, stream(again, "incremental_tickets").alreadyWritten());
        assertEquals(before, bucket.etags("zendesk/crm/"), "no object written or replaced");
    }

    @Test
    void aBackfillSpreadOverManyPassesStaysBehindTheBucketAndWritesOnlyWhatIsNew() {
        collectTwoHours();
        CollectorTestResources.s3().client().deleteObject(b -> b.bucket(CollectorTestResources.BUCKET).key(STATE_KEY));
        fake.ticketPageSize(10);
        fake.addAudit(9000, TestClock.START.plusSeconds(60), TestClock.START.plusSeconds(60));
        fake.putTicket(900, TestClock.START.plusSeconds(60), "solved");
        clock.advance(Duration.ofMinutes(10));

        for (int i = 0; i < 8; i++) {
            RunSummary one = pass("START_TIME", START_TIME, "MAX_PAGES", "1");
            assertTrue(one.ok(), one::failures);
        }

        ExactlyOnce.assertAudits(bucket.records("zendesk/crm/audit_logs/"), fake);
        ExactlyOnce.assertTickets(bucket.records("zendesk/crm/incremental_tickets/"), fake);
    }
}
