package io.zendeskcrm.collector.runner;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.zendeskcrm.collector.Progress;
import io.zendeskcrm.collector.stream.OutOfTimeException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A stop request ends streams at their next page boundary or wait, and says where the next run continues. */
class StopRequestTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void whereTheNextRunContinuesIsReadFromEachStreamsPosition() throws Exception {
        assertEquals("from 2026-11-20T11:30:00Z (inside the window to 2026-11-20T11:59:00Z)", StopRequest.from(JSON.readTree(
                "{\"watermark\":\"2026-11-20T11:00:00Z\",\"window_start\":\"2026-11-20T10:55:00Z\",\"window_end\":\"2026-11-20T11:59:00Z\","
                        + "\"after_cursor\":\"c\",\"last_time\":\"2026-11-20T11:30:00Z\"}")));
        assertEquals("from 2026-11-20T11:59:00Z", StopRequest.from(JSON.readTree("{\"watermark\":\"2026-11-20T11:59:00Z\",\"recent_ids\":3}")));
        assertEquals("from its export cursor (tickets changed up to 2026-11-20T10:00:00Z)",
                StopRequest.from(JSON.readTree("{\"cursor\":\"MTc5\",\"generated_timestamp\":1795168800}")));
        assertEquals("from 2026-11-20T10:00:00Z", StopRequest.from(JSON.readTree("{\"start_time\":1795168800}")));
        assertEquals("from its start (nothing committed yet)", StopRequest.from(null));
    }

    @Test
    void afterTheRequestTheNextPageBoundaryEndsTheStream() {
        StopRequest stop = new StopRequest();
        List<String> told = new ArrayList<>();
        Progress progress = new StopAtPageBoundary(stop, (stream, pages, records, position, now) -> told.add(stream + " " + pages));

        progress.page("audit_logs", 1, 100, Instant.EPOCH, Instant.EPOCH);
        stop.request("SIGTERM", 143);
        OutOfTimeException e = assertThrows(OutOfTimeException.class,
                () -> progress.page("audit_logs", 2, 200, Instant.EPOCH, Instant.EPOCH));

        assertEquals("audit_logs: stopping after page 2 of this run (SIGTERM)", e.getMessage());
        assertEquals(List.of("audit_logs 1", "audit_logs 2"), told, "the page was reported before the stream stopped");
        assertEquals(143, stop.exitCode());
    }

    @Test
    void aWaitEndsWhenTheStopIsRequested() throws Exception {
        StopRequest stop = new StopRequest();
        assertFalse(stop.await(Duration.ofMillis(10)));
        Thread requester = new Thread(() -> stop.request("SIGINT", 130));
        long start = System.nanoTime();
        requester.start();
        assertTrue(stop.await(Duration.ofMinutes(5)));
        assertTrue(System.nanoTime() - start < Duration.ofSeconds(30).toNanos(), "not the five minutes");
        assertEquals("SIGINT", stop.signal());
    }
}
