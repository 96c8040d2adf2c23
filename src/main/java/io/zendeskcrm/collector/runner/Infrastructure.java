package io.zendeskcrm.collector.runner;

import io.quarkus.arc.DefaultBean;
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

    @Produces
    @Singleton
    @DefaultBean
    Sleeper sleeper() {
        return Sleeper.REAL;
    }
}
