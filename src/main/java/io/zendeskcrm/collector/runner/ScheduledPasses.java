package io.zendeskcrm.collector.runner;

import io.quarkus.runtime.Quarkus;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.runtime.annotations.CommandLineArguments;
import io.quarkus.scheduler.Scheduled;
import io.quarkus.scheduler.Scheduler;
import io.zendeskcrm.collector.RunSummary;
import io.zendeskcrm.collector.config.Schedule;
import io.zendeskcrm.collector.config.Settings;
import io.zendeskcrm.collector.config.SettingsException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.util.Optional;
import java.util.function.Function;
import org.jboss.logging.Logger;

/**
 * The long-running mode: a pass on every {@code SCHEDULE} tick, never two at once (a tick while a pass runs
 * is skipped), none once the process is stopping, never inside Lambda or {@code once}. The job is scheduled at start-up only in that mode, from the parsed {@link Schedule}, so a
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

    @Inject
    StopRequest stop;

    private boolean running;
    private boolean stopping;

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
        // Overlapping ticks are skipped by pass() itself: the scheduler's own SKIP fires a SkippedExecution
        // event, which can fail while the application stops and log a spurious error.
        Scheduler.JobDefinition<?> job = scheduler.newJob(IDENTITY)
                .setConcurrentExecution(Scheduled.ConcurrentExecution.PROCEED)
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

    /** One pass, unless one is still running or the process is stopping. */
    void pass() {
        synchronized (this) {
            if (stopping || stop.requested()) return;
            if (running) {
                LOG.info("the previous pass is still running: this tick is skipped");
                return;
            }
            running = true;
        }
        try {
            RunSummary summary = collector.run();
            summaryLog.log(summary);
            if (stop.requested()) LOG.info(stop.stoppedLine(summary, Collector.checkpointLocation(Settings.load(Collector::config))));
        } catch (SettingsException e) {
            LOG.errorf("configuration error: %s", e.getMessage());
        } catch (RuntimeException e) {
            LOG.debug("the pass failed", e);
            LOG.errorf("the pass failed: %s", Main.oneLine(e));
        } finally {
            synchronized (this) {
                running = false;
                notifyAll();
            }
        }
    }

    /** No pass starts from now on (the process is stopping); one in progress carries on to its next page boundary. */
    void stopScheduling() {
        synchronized (this) {
            stopping = true;
        }
        if (scheduler.isStarted()) scheduler.pause();
    }

    /** Returns once no pass is running. */
    void awaitIdle() throws InterruptedException {
        synchronized (this) {
            while (running) wait();
        }
    }
}
