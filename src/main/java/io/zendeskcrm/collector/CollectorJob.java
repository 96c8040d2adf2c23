package io.zendeskcrm.collector;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.zendeskcrm.collector.checkpoint.Checkpoint;
import io.zendeskcrm.collector.checkpoint.CheckpointConflictException;
import io.zendeskcrm.collector.checkpoint.CheckpointStore;
import io.zendeskcrm.collector.sink.NdjsonEncoder;
import io.zendeskcrm.collector.sink.ObjectKeys;
import io.zendeskcrm.collector.sink.RecordSink;
import io.zendeskcrm.collector.zendesk.OutOfTimeException;
import io.zendeskcrm.collector.zendesk.Page;
import io.zendeskcrm.collector.zendesk.RequestStats;
import io.zendeskcrm.collector.zendesk.ZendeskStream;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * One pass over every configured stream: per stream, load the checkpoint, fetch a page, write it,
 * then commit the position after it. The position is committed only after the page is durable, so a
 * failure anywhere repeats at most the page in hand, under the same object key.
 */
public final class CollectorJob {
    private static final Logger LOG = Logger.getLogger(CollectorJob.class);

    private final List<ZendeskStream> streams;
    private final RecordSink sink;
    private final CheckpointStore store;
    private final ObjectKeys keys;
    private final NdjsonEncoder encoder;
    private final int maxPages;
    private final Clock clock;
    private final RequestStats stats;
    private final String destination;

    // The checkpoint document and its stored version, shared by the streams of one pass.
    private Checkpoint checkpoint;
    private String version;
    private boolean conflict;

    /** @param maxPages pages per stream per run; 0 means no limit */
    public CollectorJob(List<ZendeskStream> streams, RecordSink sink, CheckpointStore store, ObjectKeys keys,
                        NdjsonEncoder encoder, int maxPages, Clock clock, RequestStats stats, String destination) {
        this.streams = List.copyOf(streams);
        this.sink = sink;
        this.store = store;
        this.keys = keys;
        this.encoder = encoder;
        this.maxPages = maxPages;
        this.clock = clock;
        this.stats = stats;
        this.destination = destination;
    }

    /** Runs one pass with no time limit. */
    public RunSummary run() {
        return run(Deadline.NONE, Progress.NONE);
    }

    /**
     * Runs one pass, starting no new page once {@code deadline} has passed. A job object is made for
     * one pass: it holds that pass's checkpoint.
     */
    public RunSummary run(Deadline deadline, Progress progress) {
        List<StreamResult> results = new ArrayList<>();
        boolean stopAll = false;
        String stopReason = null;
        try {
            Optional<CheckpointStore.Stored> stored = store.load();
            checkpoint = stored.map(s -> Checkpoint.parse(s.content(), store.location())).orElse(Checkpoint.empty());
            version = stored.map(CheckpointStore.Stored::version).orElse(null);
        } catch (RuntimeException e) {
            stopAll = true;
            stopReason = e.getMessage();
        }
        for (ZendeskStream stream : streams) {
            if (stopAll) {
                results.add(failed(stream, 0, 0, null, stopReason));
                continue;
            }
            StreamResult result = runStream(stream, deadline, progress);
            results.add(result);
            if (!result.ok() && conflict) {
                // Another pass owns the checkpoint now; writing on would fight it.
                stopAll = true;
                stopReason = result.error();
            }
        }
        return RunSummary.of(destination, results);
    }

    private StreamResult runStream(ZendeskStream stream, Deadline deadline, Progress progress) {
        String name = stream.name();
        Instant started = clock.instant();
        ObjectNode position = null;
        int pages = 0;
        long records = 0;
        try {
            position = checkpoint.position(name).orElseGet(() -> stream.initialPosition(started));
            commit(name, position);
            boolean more = false;
            boolean reachedEnd = false;
            while (true) {
                if ((maxPages > 0 && pages >= maxPages) || deadline.passed(clock.instant())) {
                    more = true;
                    break;
                }
                Optional<ObjectNode> request = stream.nextRequest(position, clock.instant());
                if (request.isEmpty()) {
                    reachedEnd = true;
                    break;
                }
                commit(name, request.get());
                position = request.get();
                Page page = stream.fetch(position, clock.instant());
                if (!page.records().isEmpty()) {
                    sink.write(keys.of(name, page.keyTime(), page.request()), encoder.encode(page.records()));
                }
                commit(name, page.next());
                position = page.next();
                pages++;
                records += page.records().size();
                progress.page(name, pages, records, stream.positionTime(position), clock.instant());
                if (page.endOfStream()) {
                    reachedEnd = true;
                    break;
                }
            }
            return succeeded(stream, started, position, pages, records, more, reachedEnd);
        } catch (OutOfTimeException e) {
            LOG.warnf("%s; the next run carries on from the last committed page", e.getMessage());
            return succeeded(stream, started, position, pages, records, true, false);
        } catch (CheckpointConflictException e) {
            conflict = true;
            return failed(stream, pages, records, position, e.getMessage());
        } catch (RuntimeException e) {
            String message = e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
            if (!message.startsWith(name)) message = name + ": " + message;
            LOG.errorf("%s (after %d pages this run; the checkpoint holds the last written page)", message, pages);
            return failed(stream, pages, records, position, message);
        }
    }

    private StreamResult succeeded(ZendeskStream stream, Instant started, ObjectNode position, int pages, long records,
                                   boolean more, boolean reachedEnd) {
        String name = stream.name();
        RequestStats.Counts c = stats.of(name);
        // A stream that reached its end is current; otherwise it is as far behind as its position.
        long lag = reachedEnd ? 0 : Math.max(0, Duration.between(stream.positionTime(position), started).toSeconds());
        LOG.infof("%s: %d pages, %d records, %s", name, pages, records, more ? "more to do" : "caught up");
        return new StreamResult(name, true, pages, records, more, c.requests(), c.retries(), c.throttledWaits(),
                c.pacedMillis() / 1000, secondsSince(started), position, lag, null);
    }

    /** Saves {@code position} for {@code stream} unless it is already what the checkpoint holds. */
    private void commit(String stream, ObjectNode position) {
        // Compared as text: a number read back from JSON may be an int node where the page built a long one.
        if (checkpoint.position(stream).filter(p -> p.toString().equals(position.toString())).isPresent()) return;
        Checkpoint next = checkpoint.with(stream, position);
        version = store.commit(next.toJson(), version);
        checkpoint = next;
    }

    private StreamResult failed(ZendeskStream stream, int pages, long records, ObjectNode position, String error) {
        RequestStats.Counts c = stats.of(stream.name());
        return new StreamResult(stream.name(), false, pages, records, false, c.requests(), c.retries(),
                c.throttledWaits(), c.pacedMillis() / 1000, 0, position, null, error);
    }

    private double secondsSince(Instant start) {
        return Duration.between(start, clock.instant()).toMillis() / 1000.0;
    }
}
