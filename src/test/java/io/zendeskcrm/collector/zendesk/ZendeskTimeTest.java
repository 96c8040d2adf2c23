package io.zendeskcrm.collector.zendesk;

import io.zendeskcrm.collector.support.TestClock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Zendesk's clock from the Date headers of its answers, against a local clock that may be off. */
class ZendeskTimeTest {
    final TestClock local = new TestClock();

    {
        local.set(TestClock.START); // 12:00:00.437218, sub-second as real clocks are
    }

    static String date(Instant t) {
        return DateTimeFormatter.RFC_1123_DATE_TIME.format(t.atOffset(ZoneOffset.UTC));
    }

    @Test
    void theNewestDateIsZendesksTimeAndBeforeAnyAnswerTheLocalClockStandsIn() {
        ZendeskTime time = new ZendeskTime(local);
        assertEquals(TestClock.START, time.now(TestClock.START), "no answer yet");
        assertEquals(Optional.empty(), time.shown());

        time.observe("Fri, 20 Nov 2026 11:50:00 GMT");
        time.observe("Fri, 20 Nov 2026 11:49:58 GMT"); // an older answer arriving late does not move time back
        time.observe("not a date");
        time.observe(null);

        assertEquals(Instant.parse("2026-11-20T11:50:00Z"), time.now(TestClock.START));
        assertEquals(Optional.of(Instant.parse("2026-11-20T11:50:00Z")), time.shown());
    }

    @Test
    void aLocalClockWithinAFewSecondsIsNotOffAndOneMinutesAwayIsLoggedOnceWithBothTimes() {
        List<String> warnings = new CopyOnWriteArrayList<>();
        Handler handler = new Handler() {
            @Override
            public void publish(LogRecord record) {
                warnings.add(String.format(record.getMessage(), record.getParameters() == null ? new Object[0] : record.getParameters()));
            }

            @Override
            public void flush() {}

            @Override
            public void close() {}
        };
        Logger logger = Logger.getLogger(ZendeskTime.class.getName());
        logger.addHandler(handler);
        try {
            ZendeskTime time = new ZendeskTime(local);
            time.observe(date(TestClock.START.minusSeconds(2))); // a second of whole-second Date and a slow answer
            assertEquals(Optional.empty(), time.localClockOff());
            assertTrue(warnings.isEmpty(), warnings.toString());

            time.observe(date(TestClock.START.minus(Duration.ofMinutes(10))));
            time.observe(date(TestClock.START.minus(Duration.ofMinutes(10)).plusSeconds(1)));
            assertEquals(Optional.of(Duration.between(TestClock.START, Instant.parse("2026-11-20T11:50:01Z"))), time.localClockOff(),
                    "Zendesk's time less ours, from the latest answer");
            assertEquals(List.of("The local clock is 600 s ahead of Zendesk's (local 2026-11-20T12:00:00.437218Z, Zendesk"
                    + " 2026-11-20T11:50:00Z): record windows follow Zendesk's clock; set this machine's clock right (NTP)"), warnings,
                    "one line for the pass, at the first answer that shows it");
        } finally {
            logger.removeHandler(handler);
        }
    }
}
