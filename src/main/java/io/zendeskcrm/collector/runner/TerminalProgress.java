package io.zendeskcrm.collector.runner;

import io.zendeskcrm.collector.Progress;
import java.io.PrintStream;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

/**
 * Progress of {@code once} on a terminal: records so far, rate, position and an estimate of the time
 * left, from how fast the position has been catching up with now. One line per page, on stderr.
 */
final class TerminalProgress implements Progress {
    private record Start(Instant wall, Instant position) {}

    private final PrintStream out;
    private final Map<String, Start> starts = new HashMap<>();

    TerminalProgress(PrintStream out) {
        this.out = out;
    }

    @Override
    public synchronized void page(String stream, int pages, long records, Instant position, Instant now) {
        Start start = starts.computeIfAbsent(stream, s -> new Start(now, position));
        double seconds = Math.max(0.001, Duration.between(start.wall(), now).toMillis() / 1000.0);
        long covered = Duration.between(start.position(), position).getSeconds();
        long behind = Math.max(0, Duration.between(position, now).getSeconds());
        String eta = covered > 0 ? format(Duration.ofSeconds((long) (behind * seconds / covered))) : "?";
        out.printf("%s: %,d records in %d pages, %,.0f records/s, at %s, about %s left%n",
                stream, records, pages, records / seconds, position, eta);
    }

    static String format(Duration d) {
        if (d.toHours() > 0) return d.toHours() + "h" + d.toMinutesPart() + "m";
        if (d.toMinutes() > 0) return d.toMinutes() + "m" + d.toSecondsPart() + "s";
        return d.toSeconds() + "s";
    }
}
