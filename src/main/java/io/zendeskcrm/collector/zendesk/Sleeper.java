package io.zendeskcrm.collector.zendesk;

import java.time.Duration;

/** Waits between retries. Tests substitute one that records the waits instead of sleeping. */
@FunctionalInterface
public interface Sleeper {
    void sleep(Duration duration) throws InterruptedException;

    Sleeper REAL = d -> Thread.sleep(d.toMillis());
}
