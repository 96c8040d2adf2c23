package io.zendeskcrm.collector.reconcile;

import io.zendeskcrm.collector.config.SettingsException;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The period and mode of one reconcile: {@code --since <time> [--until <time>] [--repair]}, where a time is
 * ISO 8601, epoch seconds, or a span back from now ({@code 36h}, {@code 7d}, {@code 90m}).
 *
 * @param until empty: each stream's own "now" (now less the time Zendesk takes to list a record)
 */
public record ReconcileRequest(Instant since, Optional<Instant> until, boolean repair) {
    private static final Pattern SPAN = Pattern.compile("(\\d+)([dhms])");
    static final String USAGE = "reconcile --since <time> [--until <time>] [--repair]; a time is ISO 8601"
            + " (2026-11-20T00:00:00Z, 2026-11-20), epoch seconds, or a span back from now (36h, 7d)";

    /** @param args the arguments after {@code reconcile} */
    public static ReconcileRequest parse(List<String> args, Instant now) {
        Instant since = null;
        Instant until = null;
        boolean repair = false;
        for (int i = 0; i < args.size(); i++) {
            String arg = args.get(i);
            switch (arg) {
                case "--repair" -> repair = true;
                case "--since", "--until" -> {
                    if (i + 1 == args.size()) throw new SettingsException(arg + " needs a time; " + USAGE);
                    Instant t = time(arg, args.get(++i), now);
                    if (arg.equals("--since")) since = t; else until = t;
                }
                default -> throw new SettingsException("reconcile does not take '" + arg + "'; " + USAGE);
            }
        }
        if (since == null) throw new SettingsException("reconcile needs --since; " + USAGE);
        if (until != null && !until.isAfter(since)) {
            throw new SettingsException("--until (" + until + ") must be after --since (" + since + ")");
        }
        if (since.isAfter(now)) throw new SettingsException("--since (" + since + ") is in the future");
        return new ReconcileRequest(since, Optional.ofNullable(until), repair);
    }

    static Instant time(String option, String raw, Instant now) {
        String v = raw.strip();
        Matcher span = SPAN.matcher(v);
        if (span.matches()) {
            long n = Long.parseLong(span.group(1));
            Duration unit = switch (span.group(2)) {
                case "d" -> Duration.ofDays(1);
                case "h" -> Duration.ofHours(1);
                case "m" -> Duration.ofMinutes(1);
                default -> Duration.ofSeconds(1);
            };
            return now.minus(unit.multipliedBy(n));
        }
        try {
            if (v.matches("\\d{12,}")) {
                throw new SettingsException(option + " (" + v + ") looks like epoch milliseconds; give epoch seconds ("
                        + Long.parseLong(v) / 1000 + ")");
            }
            if (v.matches("\\d+")) return Instant.ofEpochSecond(Long.parseLong(v));
            if (v.matches("\\d{4}-\\d{2}-\\d{2}")) return Instant.parse(v + "T00:00:00Z");
            return OffsetDateTime.parse(v).toInstant();
        } catch (DateTimeParseException | NumberFormatException e) {
            throw new SettingsException(option + " (" + v + ") is not a time: give ISO 8601 (2026-11-20T00:00:00Z),"
                    + " epoch seconds, or a span back from now (36h, 7d)");
        }
    }
}
