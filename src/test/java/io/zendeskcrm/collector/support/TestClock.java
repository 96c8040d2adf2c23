package io.zendeskcrm.collector.support;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

/** A clock that moves only when a test says so. Replaces the system clock in {@code @QuarkusTest}s. */
@jakarta.inject.Singleton
public class TestClock extends Clock {
    /** Sub-second, as real clocks are: whatever reaches Zendesk must be whole seconds all the same. */
    public static final Instant START = Instant.parse("2026-11-20T12:00:00.437218Z");
    // Static so the fake Zendesk, started before the application, shares the same time.
    private static volatile Instant now = START;

    public static Instant current() {
        return now;
    }

    public void set(Instant instant) {
        now = instant;
    }

    public void advance(Duration d) {
        advanceShared(d);
    }

    static synchronized void advanceShared(Duration d) {
        now = now.plus(d);
    }

    @Override
    public Instant instant() {
        return now;
    }

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
        return this;
    }
}
