package io.zendeskcrm.collector.runner;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.quarkus.runtime.Quarkus;
import io.quarkus.runtime.QuarkusApplication;
import io.zendeskcrm.collector.RunSummary;
import io.zendeskcrm.collector.config.Schedule;
import io.zendeskcrm.collector.config.Settings;
import io.zendeskcrm.collector.config.SettingsException;
import io.zendeskcrm.collector.reconcile.ReconcileReport;
import io.zendeskcrm.collector.reconcile.ReconcileRequest;
import jakarta.inject.Inject;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import org.jboss.logging.Logger;

/** {@code once}, the schedule, or (inside Lambda) nothing but serving invocations; started by {@link Launch}. */
public class Main implements QuarkusApplication {
    static final int EXIT_FAILED = 1;
    static final int EXIT_USAGE = 2;
    static final String USAGE = """
            usage: zendesk-crm-collector [once | check | reconcile ... | --help]
              (target/zendesk-crm-collector, made by ./mvnw package; or java -jar target/*-runner.jar, which loads its
              libraries from the lib/ directory beside it)
              once    run one pass, print a JSON summary on stdout; exit 0 on success, 1 when a stream failed,
                      2 on a configuration error
              check   verify, without collecting, what a first run needs (settings, Zendesk, credentials, each stream,
                      the clock, the bucket or OUTPUT_DIR): one line per item, ✔ or ✘ with the fix; exit 0 when all
                      pass, 1 otherwise
              reconcile --since <time> [--until <time>] [--repair]
                      compare what Zendesk holds for the period with the bucket, print one JSON line; exit 0 when
                      nothing is missing (after repair) or duplicated, 3 when something is, 1 when a stream failed,
                      2 on a configuration error. <time>: ISO 8601, epoch seconds, or a span back from now (36h, 7d)
              --help  print this and exit
              (no argument) run a pass on every SCHEDULE tick (default %s) until stopped
            Settings are environment variables (ZENDESK_BASE_URL, S3_BUCKET or OUTPUT_DIR, AUTH_MODE, ...): see README.md."""
            .formatted(Schedule.DEFAULT);

    private static final Logger LOG = Logger.getLogger(Main.class);

    @Inject
    Collector collector;

    @Inject
    Clock clock;

    @Inject
    SummaryLog summaryLog;

    @Inject
    StopRequest stop;

    @Inject
    ScheduledPasses passes;

    @Inject
    ClassDataTraining classDataTraining;

    @Override
    public int run(String... args) throws Exception {
        switch (RunMode.current(args)) {
            case ONCE -> {
                stop.handleSignals(() -> { });
                RunSummary summary;
                try {
                    // Every setting is validated, SCHEDULE too although one pass does not use it: a typo found
                    // now is not found later by the long-running mode.
                    Schedule.load(Collector::config);
                    // Progress lines only for a person watching; scripts and schedulers get the summary alone.
                    summary = stderrIsTerminal() ? collector.run(new TerminalProgress(System.err, clock.instant())) : collector.run();
                } catch (SettingsException e) {
                    System.err.println("configuration error: " + e.getMessage());
                    return EXIT_USAGE;
                } catch (RuntimeException e) {
                    // Streams report their own failures in the summary; this is whatever failed around them.
                    LOG.debug("the pass failed", e);
                    System.err.println("error: " + oneLine(e));
                    return EXIT_FAILED;
                }
                summaryLog.log(summary);
                System.out.println(new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(summary));
                if (stop.requested()) {
                    System.err.println(stop.stoppedLine(summary, Collector.checkpointLocation(Settings.load(Collector::config))));
                    return stop.exitCode();
                }
                return summary.ok() ? 0 : EXIT_FAILED;
            }
            case CHECK -> {
                CheckReport report = collector.check(Optional.empty());
                report.lines().forEach(utf8(FileDescriptor.out)::println);
                return report.exitStatus();
            }
            case RECONCILE -> {
                return reconcile(List.of(args).subList(1, args.length));
            }
            case CLASS_DATA_TRAINING -> {
                classDataTraining.run();
                return 0;
            }
            case HELP -> {
                utf8(FileDescriptor.out).println(USAGE);
                return 0;
            }
            case USAGE -> {
                utf8(FileDescriptor.err).println("unknown argument '" + RunMode.unknownArgument(args) + "'\n" + USAGE);
                return EXIT_USAGE;
            }
            case SCHEDULE -> {
                // The pass in progress ends at its next page boundary; only then does Quarkus shut down.
                stop.handleSignals(() -> {
                    passes.stopScheduling();
                    Quarkus.asyncExit(stop.exitCode());
                });
                Quarkus.waitForExit();
                passes.awaitIdle();
                return stop.requested() ? stop.exitCode() : 0;
            }
            default -> {
                // LAMBDA: the runtime's poll loop serves invocations.
                Quarkus.waitForExit();
                return 0;
            }
        }
    }

    /**
     * Progress goes to stderr, so it is shown whenever stderr is a terminal, also with stdout redirected to
     * a file ({@code once > summary.json}). {@link System#console()} needs both stdin and stdout to be one.
     */
    static boolean stderrIsTerminal() {
        try {
            String target = Files.readSymbolicLink(Path.of("/proc/self/fd/2")).toString();
            return target.startsWith("/dev/pts/") || target.startsWith("/dev/tty");
        } catch (IOException | UnsupportedOperationException | SecurityException e) {
            return System.console() != null; // no /proc (macOS): the best the JDK can tell
        }
    }

    private int reconcile(List<String> args) {
        ReconcileReport report;
        try {
            report = collector.reconcile(ReconcileRequest.parse(args, clock.instant()), Optional.empty());
        } catch (SettingsException e) {
            System.err.println("configuration error: " + e.getMessage());
            return EXIT_USAGE;
        } catch (RuntimeException e) {
            LOG.debug("reconcile failed", e);
            System.err.println("error: " + oneLine(e));
            return EXIT_FAILED;
        }
        System.out.println(report.toJson());
        return report.exitStatus();
    }

    /** UTF-8 whatever the locale says: with LANG unset the JVM would print ✔ and ✘ as '?'. */
    private static PrintStream utf8(FileDescriptor fd) {
        return new PrintStream(new FileOutputStream(fd), true, StandardCharsets.UTF_8);
    }

    /** An exception's message on one line (the stack trace is logged at DEBUG). */
    static String oneLine(Throwable e) {
        String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        return message.lines().findFirst().orElse("").strip();
    }
}
