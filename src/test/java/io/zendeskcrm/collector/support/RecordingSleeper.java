package io.zendeskcrm.collector.support;

import io.zendeskcrm.collector.zendesk.Sleeper;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** Records the waits between retries instead of sleeping. Replaces the real sleeper in {@code @QuarkusTest}s. */
@jakarta.inject.Singleton
public class RecordingSleeper implements Sleeper {
    private final List<Duration> waits = new CopyOnWriteArrayList<>();

    @Override
    public void sleep(Duration duration) {
        waits.add(duration);
    }

    public List<Duration> waits() {
        return List.copyOf(waits);
    }

    public void clear() {
        waits.clear();
    }
}
