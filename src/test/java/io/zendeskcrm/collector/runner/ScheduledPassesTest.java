package io.zendeskcrm.collector.runner;

import io.zendeskcrm.collector.config.Schedule;
import io.zendeskcrm.collector.config.SettingsException;
import java.time.Duration;
import java.util.Optional;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Which run mode schedules passes, and when SCHEDULE is read. */
class ScheduledPassesTest {
    private static final Function<String, Optional<String>> BAD = name -> name.equals("SCHEDULE") ? Optional.of("abc") : Optional.empty();

    @Test
    void theLongRunningModeSchedulesFromSchedule() {
        Optional<Schedule> schedule = ScheduledPasses.scheduleFor(RunMode.SCHEDULE, name -> Optional.of("rate(30 minutes)"));

        assertEquals(Optional.of(Duration.ofMinutes(30)), schedule.orElseThrow().interval());
    }

    @Test
    void aBadScheduleStopsTheLongRunningMode() {
        SettingsException e = assertThrows(SettingsException.class, () -> ScheduledPasses.scheduleFor(RunMode.SCHEDULE, BAD));

        assertTrue(e.getMessage().startsWith("SCHEDULE (abc) is not a schedule"), e.getMessage());
    }

    /** Inside Lambda no pass may run on a timer besides the invocations, and SCHEDULE is not even read. */
    @Test
    void lambdaOnceAndUsageScheduleNothingAndIgnoreSchedule() {
        assertEquals(Optional.empty(), ScheduledPasses.scheduleFor(RunMode.LAMBDA, BAD));
        assertEquals(Optional.empty(), ScheduledPasses.scheduleFor(RunMode.ONCE, BAD));
        assertEquals(Optional.empty(), ScheduledPasses.scheduleFor(RunMode.USAGE, BAD));
        assertEquals(Optional.empty(), ScheduledPasses.scheduleFor(RunMode.HELP, BAD));
    }
}
