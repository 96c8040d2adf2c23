package io.zendeskcrm.collector;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.zendeskcrm.collector.checkpoint.Checkpoint;
import io.zendeskcrm.collector.checkpoint.CheckpointStore;
import io.zendeskcrm.collector.checkpoint.CorruptCheckpointException;
import io.zendeskcrm.collector.checkpoint.FencedCheckpoint;
import io.zendeskcrm.collector.checkpoint.SupersededException;
import io.zendeskcrm.collector.deliver.Delivery;
import io.zendeskcrm.collector.reconcile.AlreadyStored;
import io.zendeskcrm.collector.sink.EncodedRecords;
import io.zendeskcrm.collector.sink.WriteOnceObjects;
import io.zendeskcrm.collector.stream.Deadline;
import io.zendeskcrm.collector.stream.OutOfTimeException;
import io.zendeskcrm.collector.stream.Page;
import io.zendeskcrm.collector.stream.RequestStats;
import io.zendeskcrm.collector.stream.ZendeskStream;
import io.zendeskcrm.collector.zendesk.StuckCursorException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.UnaryOperator;
import org.jboss.logging.Logger;

/**
 * One pass over every configured stream. The pass first takes over the checkpoint (fencing out any
 * older pass still running); then the streams run side by side, and per stream and page: commit the request's position, fetch, confirm
 * the pass still owns the checkpoint, write the page's object (write-once), commit the position after
 * it. A failure anywhere repeats at most the page in hand, and its records are not written twice.
 */
public final class CollectorJob {
    private static final Logger LOG = Logger.getLogger(CollectorJob.class);
    /** In every stream's position: the time of the stream's newest record in the bucket (for its age, also when idle). */
    static final String NEWEST_RECORD = "newest_record";

    private final List<ZendeskStream> streams;
    private final WriteOnceObjects objects;
    private final CheckpointStore store;
    private final int maxPages;
    private final Clock clock;
    private final RequestStats stats;
    private final String destination;
    private final Optional<Instant> startTime;
    private AlreadyStored.Finder alreadyStored = AlreadyStored.Finder.NONE;
    /** Zendesk's present from the local clock's, for the freshness figures; the local clock until set. */
    private UnaryOperator<Instant> zendeskNow = UnaryOperator.identity();
    private Delivery delivery = Delivery.OFF;

    /**
     * @param maxPages  pages per stream per run; 0 means no limit
     * @param startTime {@code START_TIME}, which applies only to a stream without a checkpoint position
     */
    public CollectorJob(List<ZendeskStream> streams, WriteOnceObjects objects, CheckpointStore store, int maxPages,
                        Clock clock, RequestStats stats, String destination, Optional<Instant> startTime) {
        this.streams = List.copyOf(streams);
        this.objects = objects;
        this.store = store;
        this.maxPages = maxPages;
        this.clock = clock;
        this.stats = stats;
        this.destination = destination;
        this.startTime = startTime;
    }

    /** Finds what a stream collecting again (no position, or one behind its newest object) must not write twice. */
    public CollectorJob knowing(AlreadyStored.Finder finder) {
        this.alreadyStored = finder;
        return this;
    }

    /** Measures the freshness figures by Zendesk's clock ({@code ZendeskTime::now}) rather than the local one. */
    public CollectorJob measuringBy(UnaryOperator<Instant> zendeskNow) {
        this.zendeskNow = zendeskNow;
        return this;
    }

    /** Also imports every object, once durable, into SecOps (see {@link Delivery}). */
    public CollectorJob delivering(Delivery delivery) {
        this.delivery = delivery;
        return this;
    }

    /** Runs one pass with no time limit. */
    public RunSummary run() {
        return run(Deadline.NONE, Progress.NONE);
    }

    /**
     * Runs one pass: the streams side by side, each on its own thread, so that one stream's waits for
     * its rate limit never stall another. Each stream starts no new page once {@code deadline} has
     * passed. A job object may run several passes; each takes over the checkpoint anew.
     */
    public RunSummary run(Deadline deadline, Progress progress) {
        String pass = UUID.randomUUID().toString();
        FencedCheckpoint checkpoint;
        try {
            checkpoint = FencedCheckpoint.takeOver(store, pass, this::checkPositions);
        } catch (SupersededException e) {
            LOG.warnf("%s", e.getMessage());
            return RunSummary.of(destination, streams.stream().map(s -> superseded(s, new Counts(), null, e.getMessage())).toList());
        } catch (RuntimeException e) {
            String reason = message(e);
            LOG.errorf("%s", reason);
            return RunSummary.of(destination, streams.stream().map(s -> failed(s, new Counts(), null, reason)).toList());
        }
        if (streams.size() == 1) {
            return RunSummary.of(destination, List.of(runStream(streams.get(0), checkpoint, deadline, progress)));
        }
        ExecutorService threads = Executors.newFixedThreadPool(streams.size(), r -> {
            Thread t = new Thread(r);
            t.setDaemon(true);
            return t;
        });
        try {
            List<Future<StreamResult>> running = new ArrayList<>();
            for (ZendeskStream stream : streams) {
                running.add(threads.submit(() -> {
                    Thread.currentThread().setName("stream-" + stream.name());
                    return runStream(stream, checkpoint, deadline, progress);
                }));
            }
            List<StreamResult> results = new ArrayList<>();
            for (int i = 0; i < streams.size(); i++) results.add(outcome(streams.get(i), running.get(i)));
            return RunSummary.of(destination, results);
        } finally {
            threads.shutdownNow();
        }
    }

    /** A position a stream cannot resume stops the pass before the take-over writes anything: the checkpoint is left as it is. */
    private void checkPositions(Checkpoint stored, String location) {
        for (ZendeskStream stream : streams) {
            stored.position(stream.name()).flatMap(stream::positionProblem).ifPresent(problem -> {
                throw new CorruptCheckpointException(location, "the position of stream " + stream.name() + " " + problem);
            });
        }
    }

    private StreamResult outcome(ZendeskStream stream, Future<StreamResult> running) {
        try {
            return running.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return failed(stream, new Counts(), null, stream.name() + ": interrupted");
        } catch (ExecutionException e) {
            // runStream catches every RuntimeException; an Error (out of memory) ends up here.
            return failed(stream, new Counts(), null, stream.name() + ": " + e.getCause());
        }
    }

    private StreamResult runStream(ZendeskStream stream, FencedCheckpoint checkpoint, Deadline deadline, Progress progress) {
        String name = stream.name();
        Instant started = clock.instant();
        Counts counts = new Counts();
        ObjectNode position = null;
        try {
            Optional<ObjectNode> saved = checkpoint.position(name);
            if (saved.isPresent() && startTime.isPresent() && stream.collectedNothing(saved.get())) {
                // An earlier first run failed before its first page: nothing pins the start yet.
                LOG.infof("%s: START_TIME applies: the stream's checkpoint position was never collected from", name);
                saved = Optional.empty();
            } else if (saved.isPresent() && startTime.isPresent()) {
                LOG.infof("%s: START_TIME is ignored: the checkpoint already holds this stream's position, and"
                        + " START_TIME applies only to a stream's first run (remove the stream's position to start again)", name);
            }
            position = saved.orElseGet(() -> stream.initialPosition(started));
            if (position.path(NEWEST_RECORD).isTextual()) counts.newest = Instant.parse(position.get(NEWEST_RECORD).asText());
            Optional<AlreadyStored> stored = alreadyStored.find(name, saved.map(stream::positionTime).orElse(null));
            stored.ifPresent(s -> LOG.infof("%s: the bucket already holds records ahead of this stream's position;"
                    + " they are not written again", name));
            checkpoint.commit(name, position);
            // What an earlier pass wrote and did not import goes first.
            counts.delivered(delivery.deliverPending(checkpoint, name));
            boolean more = false;
            boolean reachedEnd = false;
            while (true) {
                if ((maxPages > 0 && counts.pages >= maxPages) || deadline.passed(clock.instant())) {
                    more = true;
                    break;
                }
                Optional<ObjectNode> request = stream.nextRequest(position, clock.instant());
                if (request.isEmpty()) {
                    reachedEnd = true;
                    break;
                }
                boolean opened = !request.get().equals(position);
                // A request read again keeps the object layout it was first read with; a new one records today's.
                ObjectNode pending = opened ? withNewest(objects.laidOut(request.get()), counts.newest) : position;
                checkpoint.commit(name, pending);
                // Counted once its request is committed: the next pass resumes it without counting again.
                if (opened) counts.gapSeconds += stream.gapSeconds(pending);
                position = pending;
                Page page = stream.fetch(position, clock.instant());
                ObjectNode next = objects.laidOut(page.next());
                EncodedRecords records = stored.map(s -> s.withoutStored(page.records())).orElse(page.records());
                // Once the page's object is written, every record of the page is in the bucket (or already was).
                Instant newest = page.newest() != null && (counts.newest == null || page.newest().isAfter(counts.newest))
                        ? page.newest() : counts.newest;
                counts.alreadyWritten += page.records().count() - records.count();
                if (!records.isEmpty()) {
                    // A pass fenced out while it fetched (or while it wrote) writes nothing more.
                    WriteOnceObjects.Result written = objects.write(name, page.keyTime(), page.request(), records,
                            position, key -> {
                                checkpoint.confirmOwner();
                                delivery.intend(checkpoint, name, key);
                            });
                    next = stream.alreadyWritten(next, written.elsewhere());
                    counts.records += written.written();
                    counts.alreadyWritten += written.alreadyThere();
                }
                counts.newest = newest;
                next = withNewest(next, newest);
                checkpoint.commit(name, next);
                position = next;
                counts.delivered(delivery.deliverPending(checkpoint, name));
                counts.page(page);
                progress.page(name, counts.pages, counts.records, stream.positionTime(position), clock.instant());
                if (page.endOfStream()) {
                    reachedEnd = true;
                    break;
                }
            }
            return succeeded(stream, started, position, counts, more, reachedEnd);
        } catch (OutOfTimeException e) {
            LOG.warnf("%s; the next run carries on from the last committed page", e.getMessage());
            return succeeded(stream, started, position, counts, true, false);
        } catch (SupersededException e) {
            LOG.warnf("%s: %s", name, e.getMessage());
            return superseded(stream, counts, position, e.getMessage());
        } catch (RuntimeException e) {
            String message = message(e);
            if (!message.startsWith(name)) message = name + ": " + message;
            LOG.errorf("%s (after %d pages this run; the checkpoint holds the last written page)", message, counts.pages);
            counts.stuckCursor = e instanceof StuckCursorException;
            // The counts go with the failure: a gap this pass found is reported even though it failed.
            return failed(stream, counts, position, message);
        }
    }

    /** What one stream did in this pass, page by page. */
    private static final class Counts {
        int pages;
        long records;
        long reread;
        long rereadRequests;
        long withoutId;
        long alreadyWritten;
        long gapSeconds;
        boolean stuckCursor;
        /** The time of the newest record the stream has in the bucket, this pass or before; null until one is. */
        Instant newest;
        long delivered;
        long reimported;

        void delivered(Delivery.Sent sent) {
            delivered += sent.records();
            reimported += sent.reimported();
        }

        void page(Page page) {
            pages++;
            reread += page.reread();
            withoutId += page.withoutId();
            if (page.reread() > 0 && page.records().isEmpty()) rereadRequests++;
        }
    }

    private StreamResult succeeded(ZendeskStream stream, Instant started, ObjectNode position, Counts counts,
                                   boolean more, boolean reachedEnd) {
        String name = stream.name();
        // A stream that reached its end is current; otherwise it is as far behind as its position.
        long lag = reachedEnd ? 0 : Math.max(0, Duration.between(stream.positionTime(position), started).toSeconds());
        LOG.infof("%s: %d pages, %d records, %s", name, counts.pages, counts.records, more ? "more to do" : "caught up");
        Instant now = zendeskNow.apply(clock.instant());
        Freshness freshness = new Freshness(counts.newest == null ? null : ageSeconds(counts.newest, now),
                ageSeconds(stream.readUpTo(position, reachedEnd, now), now));
        return result(stream, StreamResult.Outcome.OK, counts.pages, counts.records, more, secondsSince(started), position,
                lag, freshness, null, counts);
    }

    /** How old the newest record in the bucket is, and the watermark, by Zendesk's clock at the end of the stream's pass. */
    private record Freshness(Long newestRecordAgeSeconds, Long watermarkAgeSeconds) {
        static final Freshness NONE = new Freshness(null, null);
    }

    private static long ageSeconds(Instant time, Instant now) {
        return Math.max(0, Duration.between(time, now).toSeconds());
    }

    /** The position with the time of the stream's newest record in the bucket, which the streams themselves do not keep. */
    private static ObjectNode withNewest(ObjectNode position, Instant newest) {
        if (newest == null || newest.toString().equals(position.path(NEWEST_RECORD).asText(null))) return position;
        ObjectNode p = position.deepCopy();
        p.put(NEWEST_RECORD, newest.toString());
        return p;
    }

    private StreamResult failed(ZendeskStream stream, Counts counts, ObjectNode position, String error) {
        return result(stream, StreamResult.Outcome.FAILED, counts.pages, counts.records, false, 0, position, null, Freshness.NONE,
                error, counts);
    }

    private StreamResult superseded(ZendeskStream stream, Counts counts, ObjectNode position, String why) {
        return result(stream, StreamResult.Outcome.SUPERSEDED, counts.pages, counts.records, false, 0, position, null, Freshness.NONE,
                why, counts);
    }

    private StreamResult result(ZendeskStream stream, StreamResult.Outcome outcome, int pages, long records, boolean more,
                                double seconds, ObjectNode position, Long lag, Freshness freshness, String error, Counts counts) {
        RequestStats.Counts c = stats.of(stream.name());
        return new StreamResult(stream.name(), outcome, pages, records, more, c.requests(), c.retries(), c.throttledWaits(),
                c.pacedMillis() / 1000, seconds, position == null ? null : stream.describe(position), lag,
                freshness.newestRecordAgeSeconds(), freshness.watermarkAgeSeconds(),
                counts.reread, counts.rereadRequests, counts.withoutId, counts.alreadyWritten, counts.gapSeconds,
                counts.stuckCursor, error, delivery.on() ? counts.delivered : null, delivery.on() ? counts.reimported : null);
    }

    private static String message(RuntimeException e) {
        return e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
    }

    private double secondsSince(Instant start) {
        return Duration.between(start, clock.instant()).toMillis() / 1000.0;
    }
}
