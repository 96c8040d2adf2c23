package io.zendeskcrm.collector.runner;

import io.quarkus.runtime.Quarkus;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.runtime.annotations.CommandLineArguments;
import io.quarkus.scheduler.Scheduled;
import io.quarkus.scheduler.Scheduler;
import io.zendeskcrm.collector.config.Schedule;
import io.zendeskcrm.collector.config.SettingsException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.util.Optional;
import java.util.function.Function;
import org.jboss.logging.Logger;

/**
 * The long-running mode: a pass on every {@code SCHEDULE} tick, never two at once, never inside Lambda or
 * {@code once}. The job is scheduled at start-up only in that mode, from the parsed {@link Schedule}, so a
 * bad {@code SCHEDULE} ends the process with one line and status 2 instead of a scheduler stack trace.
 */
@ApplicationScoped
public class ScheduledPasses {
    private static final Logger LOG = Logger.getLogger(ScheduledPasses.class);
    static final String IDENTITY = "collector-pass";

    @Inject
    Collector collector;

    @Inject
    SummaryLog summaryLog;

    @Inject
    Scheduler scheduler;

    @Inject
    @CommandLineArguments
    String[] args;

    void start(@Observes StartupEvent event) {
        Optional<Schedule> schedule;
        try {
            schedule = scheduleFor(RunMode.current(args), Collector::config);
        } catch (SettingsException e) {
            System.err.println("configuration error: " + e.getMessage());
            Quarkus.asyncExit(Main.EXIT_USAGE);
            return;
        }
        if (schedule.isEmpty()) return;
        if (!scheduler.isStarted()) {
            LOG.warn("the scheduler is disabled (quarkus.scheduler.enabled=false): no pass will run");
            return;
        }
        Scheduler.JobDefinition<?> job = scheduler.newJob(IDENTITY)
                .setConcurrentExecution(Scheduled.ConcurrentExecution.SKIP)
                .setTask(execution -> pass());
        schedule.get().interval().ifPresent(interval -> job.setInterval(interval.toSeconds() + "s"));
        schedule.get().quartzCron().ifPresent(cron -> job.setCron(cron).setTimeZone("UTC"));
        job.schedule();
        LOG.infof("a pass %s", schedule.get().describe());
    }

    /**
     * The schedule of the passes: only in the long-running mode, where {@code SCHEDULE} is read and must be valid.
     *
     * @throws SettingsException when SCHEDULE is invalid in that mode
     */
    static Optional<Schedule> scheduleFor(RunMode mode, Function<String, Optional<String>> lookup) {
        return mode == RunMode.SCHEDULE ? Optional.of(Schedule.load(lookup)) : Optional.empty();
    }

    void pass() {
        try {
            summaryLog.log(collector.run());
        } catch (SettingsException e) {
            LOG.errorf("configuration error: %s", e.getMessage());
        } catch (RuntimeException e) {
            LOG.debug("the pass failed", e);
            LOG.errorf("the pass failed: %s", Main.oneLine(e));
        }
    }
}
