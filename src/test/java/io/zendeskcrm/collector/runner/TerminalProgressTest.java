package io.zendeskcrm.collector.runner;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

class TerminalProgressTest {
    @Test
    void showsRecordsRatePositionAndTheTimeLeftFromHowFastThePositionCatchesUp() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        Instant t0 = Instant.parse("2026-11-20T12:00:00.250Z");
        TerminalProgress progress = new TerminalProgress(new PrintStream(bytes, true, StandardCharsets.UTF_8), t0.minusSeconds(2));
        progress.page("incremental_tickets", 1, 1000, Instant.parse("2026-01-01T00:00:00Z"), t0);
        // 10 s later the position moved 10 days on; 310 - 10 days remain at that speed: 5 minutes.
        progress.page("incremental_tickets", 2, 2000, Instant.parse("2026-01-11T00:00:00Z"), t0.plusSeconds(10));
        String[] lines = bytes.toString(StandardCharsets.UTF_8).split("\n");
        assertEquals("incremental_tickets: 1,000 records in 1 pages, 500 records/s, at 2026-01-01T00:00:00Z,"
                + " time left after the next page", lines[0], "the first page: a rate since the pass began, no guess of the time left");
        assertEquals("incremental_tickets: 2,000 records in 2 pages, 167 records/s, at 2026-01-11T00:00:00Z, about 5m13s left",
                lines[1]);
    }

    /** Regression: the first line read "100,000 records/s ... about ? left". */
    @Test
    void aFirstPageWithinTheFirstSecondShowsNoRateYetAndACaughtUpStreamSaysSo() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        Instant t0 = Instant.parse("2026-11-20T12:00:00.100Z");
        TerminalProgress progress = new TerminalProgress(new PrintStream(bytes, true, StandardCharsets.UTF_8), t0.minusMillis(300));
        progress.page("audit_logs", 1, 100, t0.minusSeconds(3600), t0);
        progress.page("audit_logs", 2, 150, t0.plusSeconds(2), t0.plusSeconds(2));
        String[] lines = bytes.toString(StandardCharsets.UTF_8).split("\n");
        assertEquals("audit_logs: 100 records in 1 pages, rate after the first second, at 2026-11-20T11:00:00.100Z,"
                + " time left after the next page", lines[0]);
        assertEquals("audit_logs: 150 records in 2 pages, 65 records/s, at 2026-11-20T12:00:02.100Z, caught up", lines[1]);
    }
}
