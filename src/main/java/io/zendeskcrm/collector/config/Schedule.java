package io.zendeskcrm.collector.config;

import com.cronutils.model.CronType;
import com.cronutils.model.definition.CronDefinitionBuilder;
import com.cronutils.parser.CronParser;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * When the long-running mode runs a pass ({@code SCHEDULE}, default {@code 1h}). Accepted forms:
 * <ul>
 *   <li>an interval: whole numbers with the units {@code d}, {@code h}, {@code m}, {@code s}, largest
 *       first, each at most once, no spaces: {@code 30m}, {@code 1h}, {@code 90s}, {@code 2h30m},
 *       {@code 1d12h}. The first pass runs at start-up;</li>
 *   <li>{@code rate(N minute|minutes|hour|hours|day|days)}, as EventBridge writes it (singular or
 *       plural either way): the same as that interval;</li>
 *   <li>{@code cron(minutes hours day-of-month month day-of-week year)}, EventBridge's six fields, in
 *       UTC as EventBridge Scheduler evaluates them by default: a pass at each time it names, none at
 *       start-up. It becomes the Quartz expression of the Quarkus scheduler with a seconds field of 0.</li>
 * </ul>
 * Passes are at least a minute apart. A bare number is refused (seconds or minutes?), as is an ISO
 * 8601 duration ({@code PT1H}). Units and keywords are case-insensitive.
 */
public final class Schedule {
    public static final String VARIABLE = "SCHEDULE";
    public static final String DEFAULT = "5m";
    public static final Duration MINIMUM = Duration.ofMinutes(1);
    static final String ACCEPTED = "accepted: an interval such as 30m, 1h, 90s or 2h30m (units d, h, m, s, largest first),"
            + " rate(N minutes|hours|days), or cron(minutes hours day-of-month month day-of-week year) in UTC;"
            + " at least 1 minute apart";

    private static final List<Duration> UNITS = List.of(Duration.ofDays(1), Duration.ofHours(1), Duration.ofMinutes(1),
            Duration.ofSeconds(1));
    private static final Pattern INTERVAL = Pattern.compile("(?i)(?:(\\d+)d)?(?:(\\d+)h)?(?:(\\d+)m)?(?:(\\d+)s)?");
    private static final Pattern RATE = Pattern.compile("(?i)rate\\(\\s*(\\d+)\\s+(minutes?|hours?|days?)\\s*\\)");
    private static final Pattern CRON = Pattern.compile("(?i)cron\\((.*)\\)");
    private static final CronParser QUARTZ = new CronParser(CronDefinitionBuilder.instanceDefinitionFor(CronType.QUARTZ));

    private final Duration interval;
    private final String cron;
    private final String quartz;

    private Schedule(Duration interval, String cron, String quartz) {
        this.interval = interval;
        this.cron = cron;
        this.quartz = quartz;
    }

    /** Reads {@code SCHEDULE} through {@code lookup}; unset or blank means {@value #DEFAULT}. */
    public static Schedule load(Function<String, Optional<String>> lookup) {
        return parse(lookup.apply(VARIABLE).map(String::strip).filter(v -> !v.isEmpty()).orElse(DEFAULT));
    }

    /** @throws SettingsException naming SCHEDULE, the value and the accepted forms */
    public static Schedule parse(String raw) {
        String value = raw.strip();
        try {
            Matcher interval = INTERVAL.matcher(value);
            if (!value.isEmpty() && interval.matches()) {
                Duration d = Duration.ZERO;
                for (int unit = 0; unit < UNITS.size(); unit++) {
                    String n = interval.group(unit + 1);
                    if (n != null) d = d.plus(UNITS.get(unit).multipliedBy(Long.parseLong(n)));
                }
                return every(raw, d);
            }
            Matcher rate = RATE.matcher(value);
            if (rate.matches()) {
                String unit = rate.group(2).toLowerCase(Locale.ROOT);
                Duration one = unit.startsWith("minute") ? Duration.ofMinutes(1)
                        : unit.startsWith("hour") ? Duration.ofHours(1) : Duration.ofDays(1);
                return every(raw, one.multipliedBy(Long.parseLong(rate.group(1))));
            }
        } catch (ArithmeticException | NumberFormatException e) {
            throw invalid(raw, "is too long an interval");
        }
        Matcher cron = CRON.matcher(value);
        if (cron.matches()) return cron(raw, cron.group(1).strip());
        if (value.matches("\\d+")) throw invalid(raw, "has no unit");
        throw invalid(raw, "is not a schedule");
    }

    /** The interval between passes, the first at start-up; empty for a cron schedule. */
    public Optional<Duration> interval() {
        return Optional.ofNullable(interval);
    }

    /** The cron schedule in the Quartz syntax of the Quarkus scheduler, to be evaluated in UTC; empty for an interval. */
    public Optional<String> quartzCron() {
        return Optional.ofNullable(quartz);
    }

    /** For the log: {@code every 2h30m} or {@code at cron(0 * * * ? *) UTC}. */
    public String describe() {
        return interval != null ? "every " + compact(interval) : "at " + cron + " UTC";
    }

    @Override
    public String toString() {
        return describe();
    }

    private static Schedule every(String raw, Duration interval) {
        if (interval.compareTo(MINIMUM) < 0) throw invalid(raw, "is shorter than the minimum interval of 1 minute");
        interval.toMillis(); // the scheduler counts in milliseconds: ArithmeticException beyond about 292 million years
        return new Schedule(interval, null, null);
    }

    private static Schedule cron(String raw, String fields) {
        String[] parts = fields.isEmpty() ? new String[0] : fields.split("\\s+");
        if (parts.length != 6) {
            throw invalid(raw, "has " + parts.length
                    + " cron fields where EventBridge has 6 (minutes hours day-of-month month day-of-week year)");
        }
        String quartz = "0 " + String.join(" ", parts);
        try {
            QUARTZ.parse(quartz).validate();
        } catch (IllegalArgumentException e) {
            // The parser's reason, without its preamble and without the Quartz form the user did not write.
            String reason = String.valueOf(e.getMessage()).replace("Failed to parse cron expression. ", "")
                    .replace("Invalid cron expression: " + quartz + ". ", "");
            throw invalid(raw, "is not a valid cron expression (" + reason + ")");
        }
        return new Schedule(null, "cron(" + String.join(" ", parts) + ")", quartz);
    }

    private static SettingsException invalid(String raw, String problem) {
        return new SettingsException(VARIABLE + " (" + raw + ") " + problem + "; " + ACCEPTED);
    }

    /** {@code 2h30m}, {@code 1d}; 90 seconds become {@code 1m30s}. */
    static String compact(Duration d) {
        StringBuilder out = new StringBuilder();
        if (d.toDays() > 0) out.append(d.toDays()).append('d');
        if (d.toHoursPart() > 0) out.append(d.toHoursPart()).append('h');
        if (d.toMinutesPart() > 0) out.append(d.toMinutesPart()).append('m');
        if (d.toSecondsPart() > 0 || out.length() == 0) out.append(d.toSecondsPart()).append('s');
        return out.toString();
    }
}
