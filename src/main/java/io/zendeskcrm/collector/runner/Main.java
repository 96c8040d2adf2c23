package io.zendeskcrm.collector.runner;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.quarkus.runtime.Quarkus;
import io.quarkus.runtime.QuarkusApplication;
import io.quarkus.runtime.annotations.QuarkusMain;
import io.zendeskcrm.collector.RunSummary;
import io.zendeskcrm.collector.config.SettingsException;
import jakarta.inject.Inject;

/** {@code once}, the schedule, or (inside Lambda) nothing but serving invocations. */
@QuarkusMain
public class Main implements QuarkusApplication {
    static final int EXIT_FAILED = 1;
    static final int EXIT_USAGE = 2;

    @Inject
    Collector collector;

    @Inject
    SummaryLog summaryLog;

    @Inject
    ClassDataTraining classDataTraining;

    @Override
    public int run(String... args) throws Exception {
        switch (RunMode.current(args)) {
            case ONCE -> {
                RunSummary summary;
                try {
                    // Progress lines only for a person watching; scripts and schedulers get the summary alone.
                    summary = System.console() != null ? collector.run(new TerminalProgress(System.err)) : collector.run();
                } catch (SettingsException e) {
                    System.err.println("configuration error: " + e.getMessage());
                    return EXIT_USAGE;
                }
                summaryLog.log(summary);
                System.out.println(new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(summary));
                return summary.ok() ? 0 : EXIT_FAILED;
            }
            case CLASS_DATA_TRAINING -> {
                classDataTraining.run();
                return 0;
            }
            case USAGE -> {
                System.err.println("usage: java -jar zendesk-crm-collector-runner.jar [once]\n"
                        + "  once  run one pass, print a JSON summary, exit 0 on success\n"
                        + "  (no argument) run a pass on every SCHEDULE tick (default 1h) until stopped");
                return EXIT_USAGE;
            }
            default -> {
                // SCHEDULE: ScheduledPasses fires; LAMBDA: the runtime's poll loop serves invocations.
                Quarkus.waitForExit();
                return 0;
            }
        }
    }
}
