package io.zendeskcrm.collector.runner;

import io.quarkus.runtime.Quarkus;
import io.quarkus.runtime.annotations.QuarkusMain;

/** The executable's entry point: what happens before Quarkus starts, then {@link Main}. */
@QuarkusMain
public final class Launch {
    private Launch() {}

    public static void main(String... args) {
        // Nothing here may log: Quarkus.run first sets the log manager that every logger must use.
        // A command answers with its own lines only: Quarkus' started, profile, features and stopped lines would
        // surround a configuration error's one line. Quarkus' warnings and errors still show, and everything
        // does when QUARKUS_LOG_LEVEL asks for more.
        if (RunMode.of(args, System.getenv("AWS_LAMBDA_RUNTIME_API")).isCommand() && System.getenv("QUARKUS_LOG_LEVEL") == null) {
            System.setProperty("quarkus.log.category.\"io.quarkus\".level", "WARN");
        }
        Quarkus.run(Main.class, args);
    }
}
