package io.zendeskcrm.collector.config;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ScheduleTest {

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "30m           | 1800",
            "1h            | 3600",
            "90s           | 90",
            "60s           | 60",
            "1m            | 60",
            "2h30m         | 9000",
            "1d12h         | 129600",
            "1h0m15s       | 3615",
            "2H30M         | 9000",
            "'  45m '      | 2700",
            "rate(1 minute)   | 60",
            "rate(5 minutes)  | 300",
            "rate(1 hour)     | 3600",
            "rate(12 hours)   | 43200",
            "rate(1 day)      | 86400",
            "rate(2 days)     | 172800",
            "rate(1 minutes)  | 60",
            "RATE( 3  Hours ) | 10800"})
    void intervalsAndRates(String value, long seconds) {
        Schedule schedule = Schedule.parse(value);

        assertEquals(Optional.of(Duration.ofSeconds(seconds)), schedule.interval());
        assertEquals(Optional.empty(), schedule.quartzCron());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "cron(0 * * * ? *)              | 0 0 * * * ? *              | at cron(0 * * * ? *) UTC",
            "cron(15 10 ? * MON-FRI *)      | 0 15 10 ? * MON-FRI *      | at cron(15 10 ? * MON-FRI *) UTC",
            "cron(0/30 8-17 ? * 2-6 *)      | 0 0/30 8-17 ? * 2-6 *      | at cron(0/30 8-17 ? * 2-6 *) UTC",
            "cron(0 12 1 * ? 2027)          | 0 0 12 1 * ? 2027          | at cron(0 12 1 * ? 2027) UTC",
            "cron(0 18 L * ? *)             | 0 0 18 L * ? *             | at cron(0 18 L * ? *) UTC",
            "cron(0 9 ? * 6#3 *)            | 0 0 9 ? * 6#3 *            | at cron(0 9 ? * 6#3 *) UTC",
            "'cron(  5   4 * * ?   * )'     | 0 5 4 * * ? *              | at cron(5 4 * * ? *) UTC"})
    void eventBridgeCronBecomesQuartzWithASecondsField(String value, String quartz, String description) {
        Schedule schedule = Schedule.parse(value);

        assertEquals(Optional.of(quartz), schedule.quartzCron());
        assertEquals(Optional.empty(), schedule.interval());
        assertEquals(description, schedule.describe());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "abc                     | is not a schedule",
            "3600                    | has no unit",
            "PT1H                    | is not a schedule",
            "30m2h                   | is not a schedule",
            "1h 30m                  | is not a schedule",
            "-5m                     | is not a schedule",
            "1.5h                    | is not a schedule",
            "at(2026-12-01T10:00:00) | is not a schedule",
            "rate(1 week)            | is not a schedule",
            "rate(minutes)           | is not a schedule",
            "rate(-1 hours)          | is not a schedule",
            "0s                      | is shorter than the minimum interval of 1 minute",
            "59s                     | is shorter than the minimum interval of 1 minute",
            "rate(0 minutes)         | is shorter than the minimum interval of 1 minute",
            "99999999999999999999d   | is too long an interval",
            "rate(99999999999999999 days) | is too long an interval",
            "rate(999999999999 days) | is too long an interval",
            "cron(0 * * * *)         | has 5 cron fields where EventBridge has 6",
            "'cron()'                | has 0 cron fields where EventBridge has 6",
            "cron(0 0 * * * ? *)     | has 7 cron fields where EventBridge has 6",
            "cron(0 12 * * * *)      | is not a valid cron expression",
            "cron(61 * ? * * *)      | is not a valid cron expression",
            "cron(0 25 ? * * *)      | is not a valid cron expression",
            "cron(0 * ? * FOO *)     | is not a valid cron expression"})
    void everyBadValueIsOneSettingsExceptionNamingScheduleTheValueAndTheForms(String value, String problem) {
        SettingsException e = assertThrows(SettingsException.class, () -> Schedule.parse(value));

        assertTrue(e.getMessage().startsWith("SCHEDULE (" + value + ") " + problem), e.getMessage());
        assertTrue(e.getMessage().endsWith("; " + Schedule.ACCEPTED), e.getMessage());
        assertTrue(e.getMessage().contains("30m, 1h, 90s or 2h30m") && e.getMessage().contains("rate(N minutes|hours|days)")
                && e.getMessage().contains("cron(minutes hours day-of-month month day-of-week year)"), e.getMessage());
        assertEquals(1, e.getMessage().lines().count(), "one line: " + e.getMessage());
    }

    @Test
    void unsetOrBlankMeansEveryFiveMinutes() {
        assertEquals(Optional.of(Duration.ofMinutes(5)), Schedule.load(name -> Optional.empty()).interval());
        assertEquals(Optional.of(Duration.ofMinutes(5)), Schedule.load(name -> Optional.of("  ")).interval());
        Map<String, String> env = Map.of("SCHEDULE", "15m");
        assertEquals(Optional.of(Duration.ofMinutes(15)), Schedule.load(name -> Optional.ofNullable(env.get(name))).interval());
    }

    @ParameterizedTest
    @ValueSource(strings = {"90s:every 1m30s", "2h30m:every 2h30m", "rate(1 day):every 1d", "1d1s:every 1d1s", "60m:every 1h"})
    void anIntervalDescribesItselfCompactly(String valueAndDescription) {
        String[] parts = valueAndDescription.split(":");

        assertEquals(parts[1], Schedule.parse(parts[0]).describe());
    }
}
