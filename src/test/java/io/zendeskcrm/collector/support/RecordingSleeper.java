package io.zendeskcrm.collector.support;

import io.zendeskcrm.collector.zendesk.Sleeper;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Records the waits instead of sleeping, and moves the {@link TestClock} on by each: time passes as
 * if the collector had slept. Replaces the real sleeper in {@code @QuarkusTest}s.
 */
@jakarta.inject.Singleton
public class RecordingSleeper implements Sleeper {
    private final List<Duration> waits = new CopyOnWriteArrayList<>();
    private volatile Runnable onSleep = () -> { };

    @Override
    public void sleep(Duration duration) {
        waits.add(duration);
        TestClock.advanceShared(duration);
        onSleep.run();
    }

    /** Runs during every wait: what happens elsewhere while the collector sleeps. */
    public void onSleep(Runnable action) {
        this.onSleep = action;
    }

    public List<Duration> waits() {
        return List.copyOf(waits);
    }

    public void clear() {
        waits.clear();
        onSleep = () -> { };
    }
}
