package io.zendeskcrm.collector.zendesk;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.jboss.logging.Logger;

/**
 * Zendesk's present, as its answers show it: the newest HTTP {@code Date} header seen in this pass.
 * Record windows end by this time, not by the local clock, which may run minutes ahead (a laptop, WSL,
 * a container with drift) and would then close windows past records Zendesk has not created yet.
 *
 * <p>The newest {@code Date} is never ahead of Zendesk (it has whole seconds and is older than the
 * answer that carried it), whatever the local clock does. It is not moved on by the local clock between
 * answers: a window that ends a few seconds early costs nothing, the next one reads from there. Before
 * the first answer of a pass the local clock is all there is ({@link #now(Instant)}); each answer also
 * says how far off the local clock is ({@link #localClockOff()}), logged once per pass when that is
 * more than {@link #TOLERANCE}.
 */
public final class ZendeskTime {
    private static final Logger LOG = Logger.getLogger(ZendeskTime.class);
    /** How far the local clock may be off: the Date's whole seconds and the answer's way back are about one. */
    static final Duration TOLERANCE = Duration.ofSeconds(5);

    private final Clock local;
    private final AtomicReference<Instant> newest = new AtomicReference<>();
    /** Zendesk's time less the local time, as the latest answer showed it. */
    private final AtomicReference<Duration> offset = new AtomicReference<>();
    private final AtomicBoolean warned = new AtomicBoolean();

    public ZendeskTime(Clock local) {
        this.local = local;
    }

    /** Takes the {@code Date} header of one answer (any status); a missing or unreadable one is ignored. */
    public void observe(String dateHeader) {
        if (dateHeader == null) return;
        Instant date;
        try {
            date = ZonedDateTime.parse(dateHeader.strip(), DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
        } catch (DateTimeParseException e) {
            return;
        }
        Instant here = local.instant();
        newest.accumulateAndGet(date, (a, b) -> a == null || b.isAfter(a) ? b : a);
        Duration off = Duration.between(here, date);
        offset.set(off);
        if (off.abs().compareTo(TOLERANCE) > 0 && warned.compareAndSet(false, true)) {
            LOG.warnf("The local clock is %d s %s Zendesk's (local %s, Zendesk %s): record windows follow Zendesk's"
                    + " clock; set this machine's clock right (NTP)", off.abs().toSeconds(),
                    off.isNegative() ? "ahead of" : "behind", here, date);
        }
    }

    /** The newest time Zendesk has shown in this pass, if it has answered with a {@code Date} yet. */
    public Optional<Instant> shown() {
        return Optional.ofNullable(newest.get());
    }

    /** Zendesk's present: the newest time it has shown, or before its first answer {@code localNow}. */
    public Instant now(Instant localNow) {
        return shown().orElse(localNow);
    }

    /** Zendesk's time less the local time, when an answer has shown them more than {@link #TOLERANCE} apart. */
    public Optional<Duration> localClockOff() {
        return Optional.ofNullable(offset.get()).filter(off -> off.abs().compareTo(TOLERANCE) > 0);
    }
}
