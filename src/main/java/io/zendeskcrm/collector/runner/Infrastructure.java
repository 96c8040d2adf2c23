package io.zendeskcrm.collector.runner;

import io.quarkus.arc.DefaultBean;
import io.zendeskcrm.collector.stream.OutOfTimeException;
import io.zendeskcrm.collector.zendesk.Sleeper;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.time.Clock;

/** Time and waiting, as beans so tests can replace them (tests never sleep or read the wall clock). */
public class Infrastructure {

    @Produces
    @Singleton
    @DefaultBean
    Clock clock() {
        return Clock.systemUTC();
    }

    /** Sleeps, unless the process is asked to stop: then the wait ends at once and the stream stops there. */
    @Produces
    @Singleton
    @DefaultBean
    Sleeper sleeper(StopRequest stop) {
        return wait -> {
            if (stop.await(wait)) {
                throw new OutOfTimeException("stopping instead of waiting " + wait.toSeconds() + " s (" + stop.signal() + ")");
            }
        };
    }
}
