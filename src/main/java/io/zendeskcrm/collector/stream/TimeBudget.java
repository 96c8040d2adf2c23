package io.zendeskcrm.collector.stream;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * How a pass's time is shared between its streams, so that every stream advances every run: a
 * stream starting when {@code n} streams are left gets a {@code 1/n} share of what remains, and
 * what a stream leaves unused goes to those after it. Requests of a stream wait only within its share.
 */
public final class TimeBudget {
    public static final TimeBudget NONE = new TimeBudget(Deadline.NONE);

    private final Deadline pass;
    private final Map<String, Deadline> streams = new ConcurrentHashMap<>();

    public TimeBudget(Deadline pass) {
        this.pass = pass;
    }

    /** Gives {@code stream} its share of the time left at {@code now}, with {@code streamsLeft} streams (itself included) to run. */
    public Deadline start(String stream, Instant now, int streamsLeft) {
        Deadline share = pass.at().equals(Instant.MAX) || !now.isBefore(pass.at())
                ? pass
                : new Deadline(now.plus(Duration.between(now, pass.at()).dividedBy(Math.max(1, streamsLeft))));
        streams.put(stream, share);
        return share;
    }

    /** The deadline of {@code stream}'s share, or the pass's own for requests outside any stream (tokens). */
    public Deadline of(String stream) {
        return streams.getOrDefault(stream, pass);
    }

    public Deadline pass() {
        return pass;
    }
}
