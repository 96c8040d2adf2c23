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
        TerminalProgress progress = new TerminalProgress(new PrintStream(bytes, true, StandardCharsets.UTF_8));
        Instant t0 = Instant.parse("2026-11-20T12:00:00Z");
        progress.page("incremental_tickets", 1, 1000, Instant.parse("2026-01-01T00:00:00Z"), t0);
        // 10 s later the position moved 10 days on; 310 - 10 days remain at that speed: 5 minutes.
        progress.page("incremental_tickets", 2, 2000, Instant.parse("2026-01-11T00:00:00Z"), t0.plusSeconds(10));
        String[] lines = bytes.toString(StandardCharsets.UTF_8).split("\n");
        assertEquals("incremental_tickets: 2,000 records in 2 pages, 200 records/s, at 2026-01-11T00:00:00Z, about 5m13s left",
                lines[1]);
    }
}
