package io.zendeskcrm.collector.runner;

import java.util.List;
import java.util.Set;

/** What the executable does, from its arguments and whether it runs inside Lambda. */
public enum RunMode {
    /** {@code once}: one pass, a summary on stdout, the exit status says whether it succeeded. */
    ONCE,
    /** {@code reconcile --since ...}: what Zendesk holds against the bucket, one JSON line on stdout. */
    RECONCILE,
    /** {@code check}: what a first run needs, verified without collecting; one line per item. */
    CHECK,
    /** No argument outside Lambda: a pass on every {@code SCHEDULE} tick until stopped. */
    SCHEDULE,
    /** Inside Lambda (the native bootstrap starts with no argument): only serve invocations. */
    LAMBDA,
    /** The build's training run for the class-data archive ({@code -Dcollector.class-data-training=true}). */
    CLASS_DATA_TRAINING,
    /** {@code --help} (or {@code -h}, {@code help}): the usage on stdout, status 0. */
    HELP,
    /** Anything else: the argument named, then the usage, status 2. */
    USAGE;

    static final Set<String> HELP_ARGUMENTS = Set.of("--help", "-h", "help");

    /** @param lambdaRuntimeApi the value of {@code AWS_LAMBDA_RUNTIME_API}, set only inside Lambda */
    public static RunMode of(String[] args, String lambdaRuntimeApi) {
        if (List.of(args).stream().anyMatch(HELP_ARGUMENTS::contains)) return HELP;
        if (args.length == 1 && args[0].equals("once")) return ONCE;
        if (args.length > 0 && args[0].equals("reconcile")) return RECONCILE;
        if (args.length == 1 && args[0].equals("check")) return CHECK;
        if (args.length > 0) return USAGE;
        return lambdaRuntimeApi != null && !lambdaRuntimeApi.isBlank() ? LAMBDA : SCHEDULE;
    }

    /** Run from a shell for its answer, rather than serving passes until stopped. */
    public boolean isCommand() {
        return this == ONCE || this == RECONCILE || this == CHECK || this == HELP || this == USAGE;
    }

    public static RunMode current(String[] args) {
        if (ClassDataTraining.requested()) return CLASS_DATA_TRAINING;
        return of(args, Collector.config("AWS_LAMBDA_RUNTIME_API").orElse(null));
    }

    /** The first argument that is not understood (a second {@code once} or {@code check} is one), for the usage error. */
    static String unknownArgument(String[] args) {
        for (int i = 0; i < args.length; i++) {
            if (!(i == 0 && (args[i].equals("once") || args[i].equals("check")))) return args[i];
        }
        throw new IllegalArgumentException("every argument is understood");
    }
}
