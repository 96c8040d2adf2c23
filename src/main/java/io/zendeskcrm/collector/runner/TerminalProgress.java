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
    private final Instant passStarted;
    private final Map<String, Start> firstPages = new HashMap<>();

    /** @param passStarted when the pass began: the rate counts from there, start-up and first request included */
    TerminalProgress(PrintStream out, Instant passStarted) {
        this.out = out;
        this.passStarted = passStarted;
    }

    @Override
    public synchronized void page(String stream, int pages, long records, Instant position, Instant now) {
        // Where a stream began is known only after its first page: the time left is measured from there on.
        Start first = firstPages.computeIfAbsent(stream, s -> new Start(now, position));
        double seconds = Duration.between(passStarted, now).toMillis() / 1000.0;
        String rate = seconds >= 1 ? String.format("%,.0f records/s", records / seconds) : "rate after the first second";
        double since = Duration.between(first.wall(), now).toMillis() / 1000.0;
        long covered = Duration.between(first.position(), position).getSeconds();
        long behind = Math.max(0, Duration.between(position, now).getSeconds());
        String left = behind == 0 ? "caught up"
                : covered > 0 && since > 0 ? "about " + format(Duration.ofSeconds((long) (behind * since / covered))) + " left"
                : "time left after the next page";
        out.printf("%s: %,d records in %d pages, %s, at %s, %s%n", stream, records, pages, rate, position, left);
    }

    static String format(Duration d) {
        if (d.toHours() > 0) return d.toHours() + "h" + d.toMinutesPart() + "m";
        if (d.toMinutes() > 0) return d.toMinutes() + "m" + d.toSecondsPart() + "s";
        return d.toSeconds() + "s";
    }
}
