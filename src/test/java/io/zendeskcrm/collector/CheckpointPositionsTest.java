package io.zendeskcrm.collector;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.zendeskcrm.collector.support.CollectorComponentTest;
import io.zendeskcrm.collector.support.CollectorTestResources;
import io.zendeskcrm.collector.support.TestClock;
import io.zendeskcrm.collector.support.TestSettings;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What a pass makes of the stream positions it finds in the checkpoint, on S3 and in OUTPUT_DIR. */
@QuarkusTest
@QuarkusTestResource(CollectorTestResources.class)
class CheckpointPositionsTest extends CollectorComponentTest {
    static final String OWNER = "{\"pass\":\"earlier\",\"epoch\":3}";

    /** Regression: a position with a number for a cursor was sent to Zendesk as the cursor, and the checkpoint rewritten. */
    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "incremental_tickets | {\"cursor\":123,\"generated_timestamp\":1795000000} | has \"cursor\" 123, where the export's after_cursor (a text) belongs",
            "incremental_tickets | {\"generated_timestamp\":1795000000} | has neither \"cursor\" nor \"start_time\"",
            "audit_logs | {\"watermark\":\"2026-11-20T11:00:00Z\",\"window_start\":\"2026-11-20T10:50:00Z\",\"window_end\":\"2026-11-20T11:59:00Z\",\"last_time\":\"2026-11-20T10:50:00Z\",\"after_cursor\":7} | has \"after_cursor\" 7, where Zendesk's after_cursor (a text) belongs",
            "audit_logs | {\"recent\":{}} | has no \"watermark\""})
    void aMalformedPositionStopsThePassBeforeAnyRequestOrWriteAndIsLeftByteForByte(String stream, String position, String problem,
                                                                                   @TempDir Path dir) throws Exception {
        serveFake();
        fake.putTicket(1, TestClock.START.minusSeconds(600), "open");
        String good = stream.equals("audit_logs") ? "\"incremental_tickets\":{\"cursor\":\"c1\",\"generated_timestamp\":1795000000}"
                : "\"audit_logs\":{\"watermark\":\"2026-11-20T11:00:00Z\",\"recent\":{}}";
        byte[] checkpoint = ("{\"version\":2,\"owner\":" + OWNER + ",\"streams\":{\"" + stream + "\":" + position + "," + good + "}}")
                .getBytes(StandardCharsets.UTF_8);
        String named = "the position of stream " + stream + " " + problem;

        bucket.put(STATE_KEY, checkpoint);
        RunSummary onS3 = collector.run(TestSettings.with());
        assertFalse(onS3.ok());
        assertTrue(onS3.failures().contains("the checkpoint at s3://zendesk-logs/" + STATE_KEY + " is unreadable: " + named),
                onS3.failures());
        assertArrayEquals(checkpoint, bucket.bytes(STATE_KEY), "the checkpoint is left byte for byte");
        assertEquals(List.of(STATE_KEY), bucket.keys(""), "nothing else is written");

        Path file = dir.resolve(STATE_KEY);
        Files.createDirectories(file.getParent());
        Files.write(file, checkpoint);
        RunSummary local = collector.run(TestSettings.with("OUTPUT_DIR", dir.toString()));
        assertFalse(local.ok());
        assertTrue(local.failures().contains("the checkpoint at " + file + " is unreadable: " + named), local.failures());
        assertArrayEquals(checkpoint, Files.readAllBytes(file), "the checkpoint is left byte for byte");
        try (Stream<Path> files = Files.walk(dir)) {
            assertEquals(List.of(file), files.filter(Files::isRegularFile).toList(), "nothing else is written");
        }
        assertEquals(0, fake.requests(), "no request reaches Zendesk");
    }

    /** Regression: a first run that failed before reading anything pinned the start, and START_TIME was then ignored. */
    @Test
    void aPositionNeverCollectedFromTakesTheStartTimeOfTheNextRun() {
        serveFake();
        Instant twoDaysAgo = TestClock.START.minus(Duration.ofDays(2));
        fake.putTicket(1, twoDaysAgo, "open");
        fake.addAudit(11, twoDaysAgo, twoDaysAgo);

        RunSummary refused = collector.run(TestSettings.with("ZENDESK_API_TOKEN", "not-the-token"));
        assertFalse(refused.ok());
        assertTrue(bucket.json(STATE_KEY).path("streams").has("incremental_tickets"), "the failed run left its positions");
        assertTrue(bucket.keys("zendesk/crm/").isEmpty());

        RunSummary summary = collector.run(TestSettings.with("START_TIME", TestClock.START.minus(Duration.ofDays(3)).toString(),
                "MAX_PAGES", "0"));
        assertTrue(summary.ok(), summary::failures);
        assertEquals(List.of(1L), bucket.records("zendesk/crm/incremental_tickets/").stream().map(r -> r.get("id").asLong()).toList());
        assertEquals(List.of(11L), bucket.records("zendesk/crm/audit_logs/").stream().map(r -> r.get("id").asLong()).toList());

        // Once a stream has collected, a later START_TIME is ignored (and the run says so): nothing is read twice.
        RunSummary again = collector.run(TestSettings.with("START_TIME", TestClock.START.minus(Duration.ofDays(3)).toString()));
        assertTrue(again.ok(), again::failures);
        assertEquals(1, bucket.records("zendesk/crm/incremental_tickets/").size());
        assertEquals(1, bucket.records("zendesk/crm/audit_logs/").size());
    }
}
