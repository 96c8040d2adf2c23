package io.zendeskcrm.collector.reconcile;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.zendeskcrm.collector.sink.NdjsonEncoder;
import io.zendeskcrm.collector.stream.Deadline;
import io.zendeskcrm.collector.stream.OutOfTimeException;
import io.zendeskcrm.collector.stream.Page;
import io.zendeskcrm.collector.stream.ZendeskStream;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * What Zendesk holds now for one stream, read with the collector's own requests and page handling, so
 * that each line is exactly what the collector would have written.
 */
interface ZendeskRecords {

    /** Hands on every record dated in {@code [from, to]} (whole seconds, both included), oldest first. */
    void read(Instant from, Instant to, Consumer<String> line);

    /**
     * Audit and access logs: one window {@code [from, to]} per call, read to its end with cursor pages.
     *
     * @param windowFrom a stream that opens its first window at the given instant, ending {@code delay}
     *                   before the {@code now} it is given: reconcile passes {@code now = to} and no delay
     */
    static ZendeskRecords windowed(Function<Instant, ZendeskStream> windowFrom, NdjsonEncoder encoder, Clock clock,
                                   Deadline deadline) {
        return (from, to, line) -> {
            ZendeskStream stream = windowFrom.apply(from);
            Optional<ObjectNode> window = stream.nextRequest(stream.initialPosition(to), to);
            if (window.isEmpty()) return;
            ObjectNode position = window.get();
            while (true) {
                checkTime(stream.name(), deadline, clock);
                Page page = stream.fetch(position, clock.instant());
                encoder.unpack(page.records().content()).forEach(line);
                if (page.endOfStream()) return;
                position = page.next();
            }
        };
    }

    /**
     * The ticket export: one cursor export from the first {@code from} on, read on as later days are asked
     * for; a page that reaches past {@code to} is kept for the next call.
     */
    static ZendeskRecords export(ZendeskStream stream, StreamIdentity identity, NdjsonEncoder encoder, Clock clock,
                                 Deadline deadline) {
        return new ZendeskRecords() {
            private ObjectNode position;
            private boolean ended;
            private final Deque<String> pending = new ArrayDeque<>();

            @Override
            public void read(Instant from, Instant to, Consumer<String> line) {
                if (position == null) position = stream.initialPosition(clock.instant()).deepCopy();
                while (true) {
                    while (!pending.isEmpty()) {
                        StreamIdentity.Seen seen = identity.of(pending.peek());
                        if (seen != null && seen.time().isAfter(to)) return;
                        String next = pending.poll();
                        if (seen == null || !seen.time().isBefore(from)) line.accept(next);
                    }
                    if (ended) return;
                    checkTime(stream.name(), deadline, clock);
                    Page page = stream.fetch(position, clock.instant());
                    pending.addAll(encoder.unpack(page.records().content()));
                    position = page.next();
                    ended = page.endOfStream();
                }
            }
        };
    }

    private static void checkTime(String stream, Deadline deadline, Clock clock) {
        if (deadline.passed(clock.instant())) throw new OutOfTimeException(stream + ": out of time");
    }
}
