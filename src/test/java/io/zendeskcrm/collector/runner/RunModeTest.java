package io.zendeskcrm.collector.runner;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

class RunModeTest {
    @Test
    void insideLambdaTheBareExecutableOnlyServesInvocations() {
        // The native bootstrap starts the executable without arguments; the schedule must not fire there.
        assertEquals(RunMode.LAMBDA, RunMode.of(new String[0], "127.0.0.1:9001"));
    }

    @Test
    void outsideLambdaTheBareExecutableRunsOnTheSchedule() {
        assertEquals(RunMode.SCHEDULE, RunMode.of(new String[0], null));
        assertEquals(RunMode.SCHEDULE, RunMode.of(new String[0], " "));
    }

    @Test
    void onceIsOnePassAndAnythingElseIsAUsageError() {
        assertEquals(RunMode.ONCE, RunMode.of(new String[] {"once"}, null));
        assertEquals(RunMode.ONCE, RunMode.of(new String[] {"once"}, "127.0.0.1:9001"));
        assertEquals(RunMode.CHECK, RunMode.of(new String[] {"check"}, null));
        assertEquals(RunMode.USAGE, RunMode.of(new String[] {"check", "now"}, null));
        assertEquals("now", RunMode.unknownArgument(new String[] {"check", "now"}));
        assertEquals(RunMode.USAGE, RunMode.of(new String[] {"twice"}, null));
        assertEquals(RunMode.USAGE, RunMode.of(new String[] {"once", "more"}, null));
        assertEquals(RunMode.USAGE, RunMode.of(new String[] {"--once"}, "127.0.0.1:9001"));
    }

    @Test
    void reconcileTakesItsOwnArguments() {
        assertEquals(RunMode.RECONCILE, RunMode.of(new String[] {"reconcile", "--since", "7d", "--repair"}, null));
        assertEquals(RunMode.RECONCILE, RunMode.of(new String[] {"reconcile"}, null)); // its own usage error names --since
        assertEquals(RunMode.USAGE, RunMode.of(new String[] {"once", "reconcile"}, null));
    }

    @Test
    void helpWinsOverEverythingElse() {
        for (String help : new String[] {"--help", "-h", "help"}) {
            assertEquals(RunMode.HELP, RunMode.of(new String[] {help}, null));
            assertEquals(RunMode.HELP, RunMode.of(new String[] {"once", help}, "127.0.0.1:9001"));
        }
    }

    @Test
    void theUnknownArgumentIsTheFirstOneNotUnderstood() {
        assertEquals("twice", RunMode.unknownArgument(new String[] {"twice"}));
        assertEquals("more", RunMode.unknownArgument(new String[] {"once", "more"}));
        assertEquals("once", RunMode.unknownArgument(new String[] {"once", "once"}));
        assertEquals("", RunMode.unknownArgument(new String[] {""}));
    }

    /** Commands answer with their own lines only (see Launch); the long-running modes keep Quarkus' lines. */
    @Test
    void commandsAreTheModesRunForTheirAnswer() {
        for (RunMode mode : RunMode.values()) {
            boolean command = mode == RunMode.ONCE || mode == RunMode.CHECK || mode == RunMode.RECONCILE
                    || mode == RunMode.HELP || mode == RunMode.USAGE;
            assertEquals(command, mode.isCommand(), mode.name());
        }
    }
}
