package io.zendeskcrm.collector.runner;

import io.quarkus.runtime.annotations.CommandLineArguments;
import io.quarkus.scheduler.Scheduled;
import io.quarkus.scheduler.ScheduledExecution;
import io.zendeskcrm.collector.config.SettingsException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import org.jboss.logging.Logger;

/** The long-running mode: a pass on every {@code SCHEDULE} tick, never two at once, never inside Lambda or {@code once}. */
@ApplicationScoped
public class ScheduledPasses {
    private static final Logger LOG = Logger.getLogger(ScheduledPasses.class);

    @Inject
    Collector collector;

    @Inject
    SummaryLog summaryLog;

    @Scheduled(identity = "collector-pass", every = "${SCHEDULE:1h}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP,
            skipExecutionIf = OnlyInScheduleMode.class)
    void pass() {
        try {
            summaryLog.log(collector.run());
        } catch (SettingsException e) {
            LOG.errorf("configuration error: %s", e.getMessage());
        }
    }

    /** Skips every tick unless the executable was started without arguments outside Lambda. */
    @Singleton
    public static class OnlyInScheduleMode implements Scheduled.SkipPredicate {
        @Inject
        @CommandLineArguments
        String[] args;

        @Override
        public boolean test(ScheduledExecution execution) {
            return RunMode.current(args) != RunMode.SCHEDULE;
        }
    }
}
