package io.zendeskcrm.collector;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.zendeskcrm.collector.checkpoint.Checkpoint;
import io.zendeskcrm.collector.checkpoint.CheckpointConflictException;
import io.zendeskcrm.collector.checkpoint.CheckpointStore;
import io.zendeskcrm.collector.sink.NdjsonEncoder;
import io.zendeskcrm.collector.sink.ObjectKeys;
import io.zendeskcrm.collector.sink.RecordSink;
import io.zendeskcrm.collector.sink.WriteOnceObjects;
import io.zendeskcrm.collector.stream.Deadline;
import io.zendeskcrm.collector.stream.Page;
import io.zendeskcrm.collector.stream.RequestStats;
import io.zendeskcrm.collector.stream.ZendeskStream;
import io.zendeskcrm.collector.support.RacingStore;
import io.zendeskcrm.collector.support.TestClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The job's ordering, fencing and write-once rules, with an in-memory checkpoint store, an in-memory sink and a test clock. */
class CollectorJobTest {
    final TestClock clock = new TestClock();

    {
        clock.set(TestClock.START); // sub-second, as real clocks are
    }

    /**
     * A cursor stream over a list that tests may change: position {"n": k} reads the records at k, k+1, ...
     * (up to {@code pageSize}); the stream ends after the last. Like the windowed streams, it skips ids that
     * an earlier pass wrote for the same request but that this page pushed out.
     */
    static class ListStream implements ZendeskStream {
        final String name;
        final List<Integer> data = new ArrayList<>();
        final int pageSize;
        final List<Integer> fetched = new ArrayList<>();
        Runnable beforeFetch = () -> { };
        RuntimeException failAt;
        int failOn = -1;

        ListStream(String name, int size, int pageSize) {
            this.name = name;
            for (int i = 0; i < size; i++) data.add(i);
            this.pageSize = pageSize;
        }

        ListStream(String name, int size) {
            this(name, size, 1);
        }

        @Override
        public String name() {
            return name;
        }

        @Override
        public ObjectNode initialPosition(Instant now) {
            ObjectNode p = JsonNodeFactory.instance.objectNode().put("n", 0);
            p.putArray("skip");
            return p;
        }

        @Override
        public Optional<ObjectNode> nextRequest(ObjectNode position, Instant now) {
            return Optional.of(position);
        }

        @Override
        public synchronized Page fetch(ObjectNode request, Instant now) {
            beforeFetch.run();
            int n = request.get("n").asInt();
            fetched.add(n);
            if (n == failOn) throw failAt;
            Set<Integer> skip = new HashSet<>();
            request.get("skip").forEach(s -> skip.add(s.asInt()));
            List<ObjectNode> records = new ArrayList<>();
            int end = Math.min(n + pageSize, data.size());
            for (int i = n; i < end; i++) {
                if (!skip.contains(data.get(i))) records.add(JsonNodeFactory.instance.objectNode().put("id", data.get(i)));
            }
            ObjectNode next = request.deepCopy().put("n", end);
            return new Page(new NdjsonEncoder(false).encode(records), next, end >= data.size(), Instant.ofEpochSecond(1_795_000_000L + n), "n=" + n);
        }

        @Override
        public ObjectNode alreadyWritten(ObjectNode next, List<ObjectNode> records) {
            ObjectNode adjusted = next.deepCopy();
            records.forEach(r -> ((ArrayNode) adjusted.get("skip")).add(r.get("id").asInt()));
            return adjusted;
        }

        @Override
        public Instant positionTime(ObjectNode position) {
            return Instant.ofEpochSecond(1_795_000_000L + position.get("n").asInt());
        }
    }

    /** Compare-and-swap on a version counter; can be told to fail the k-th commit as a crash would. */
    static class MemoryStore implements CheckpointStore {
        byte[] content;
        int version;
        final List<String> commits = new ArrayList<>();
        int crashOnCommit = -1;
        boolean landThenReportConflict;

        @Override
        public synchronized Optional<Stored> load() {
            return content == null ? Optional.empty() : Optional.of(new Stored(content, String.valueOf(version)));
        }

        @Override
        public synchronized String commit(byte[] next, String expectedVersion) {
            String current = content == null ? null : String.valueOf(version);
            if (!Objects.equals(current, expectedVersion)) throw new CheckpointConflictException("memory");
            if (commits.size() == crashOnCommit) {
                crashOnCommit = -1;
                throw new IllegalStateException("killed");
            }
            content = next;
            version++;
            commits.add(new String(next));
            if (landThenReportConflict) {
                // As an SDK retry after a first attempt that landed: the write is there, the answer says 412.
                landThenReportConflict = false;
                throw new CheckpointConflictException("memory");
            }
            return String.valueOf(version);
        }

        @Override
        public String location() {
            return "memory";
        }

        Checkpoint checkpoint() {
            return Checkpoint.parse(content, "memory");
        }

        int position(String stream) {
            return checkpoint().position(stream).orElseThrow().get("n").asInt();
        }
    }

    /** Write-once objects in memory; every create is recorded, and a key is never replaced. */
    static final class MemorySink implements RecordSink {
        final Map<String, byte[]> objects = new LinkedHashMap<>();
        final List<String> creates = new ArrayList<>();
        int failOnCreate = -1;

        @Override
        public synchronized boolean create(String key, byte[] content) {
            if (creates.size() == failOnCreate) {
                creates.add("FAILED " + key);
                throw new IllegalStateException("disk full");
            }
            creates.add(key);
            return objects.putIfAbsent(key, content) == null;
        }

        @Override
        public synchronized Optional<byte[]> read(String key) {
            return Optional.ofNullable(objects.get(key));
        }

        @Override
        public synchronized List<String> list(String folder) {
            return objects.keySet().stream().filter(k -> k.startsWith(folder))
                    .map(k -> k.indexOf('/', folder.length()) < 0 ? k : k.substring(0, k.indexOf('/', folder.length()) + 1))
                    .distinct().sorted().toList();
        }

        List<Integer> ids() {
            NdjsonEncoder encoder = new NdjsonEncoder(false);
            List<Integer> out = new ArrayList<>();
            for (byte[] o : objects.values()) {
                encoder.unpack(o).forEach(l -> out.add(NdjsonEncoder.record(l).get("id").asInt()));
            }
            return out;
        }
    }

    CollectorJob job(MemoryStore store, MemorySink sink, int maxPages, ZendeskStream... streams) {
        return new CollectorJob(List.of(streams), new WriteOnceObjects(sink, new ObjectKeys("p", ".ndjson"),
                new NdjsonEncoder(false)), store, maxPages, clock, new RequestStats(), "memory", Optional.empty());
    }

    @Test
    void theCheckpointDoesNotAdvanceWhenTheSinkFails() {
        MemoryStore store = new MemoryStore();
        MemorySink sink = new MemorySink();
        sink.failOnCreate = 2;

        RunSummary summary = job(store, sink, 0, new ListStream("s", 6)).run();

        assertFalse(summary.ok());
        assertTrue(summary.failures().contains("disk full"), summary.failures());
        assertEquals(2, store.position("s"), "pages 0 and 1 are durable, page 2 is not");
        assertEquals(2, summary.streams().get(0).pages());
    }

    @Test
    void aRerunFromAnOlderCheckpointWritesNothingTwiceAndChangesNoObject() {
        MemoryStore store = new MemoryStore();
        MemorySink sink = new MemorySink();
        job(store, sink, 2, new ListStream("s", 6)).run();
        byte[] saved = store.content;
        job(store, sink, 0, new ListStream("s", 6)).run();
        Map<String, byte[]> before = new LinkedHashMap<>(sink.objects);

        store.content = saved; // as if the second run's commits were lost
        store.version += 100;
        int replayStart = store.commits.size();
        RunSummary replay = job(store, sink, 0, new ListStream("s", 6)).run();

        assertTrue(replay.ok(), replay::failures);
        assertEquals(before.keySet(), sink.objects.keySet(), "no new object");
        before.forEach((k, v) -> assertEquals(new String(v), new String(sink.objects.get(k)), "object " + k + " unchanged"));
        assertEquals(4, replay.streams().get(0).alreadyWritten());
        assertEquals(0, replay.streams().get(0).records());
        List<Integer> replayed = store.commits.subList(replayStart + 1, store.commits.size()).stream()
                .map(c -> Checkpoint.parse(c.getBytes(), "m").position("s").orElseThrow().get("n").asInt()).toList();
        assertEquals(List.of(3, 4, 5, 6), replayed, "after the take-over, one commit per page, always forwards");
    }

    /** The pass dies between write and commit; by the next pass Zendesk has a late record inside that page. */
    @Test
    void aPageThatChangedAfterAPassDiedBetweenWriteAndCommitIsCompletedUnderANewKeyWithEveryRecordOnce() {
        MemoryStore store = new MemoryStore();
        MemorySink sink = new MemorySink();
        ListStream first = new ListStream("s", 9, 3);
        // Commits: take-over, start position, then page 1's position (the 3rd) is where it dies.
        store.crashOnCommit = 3;
        RunSummary died = job(store, sink, 0, first).run();
        assertFalse(died.ok());
        assertEquals(2, sink.objects.size(), "pages at 0 and 3 written, the second never committed");
        Map<String, byte[]> before = new LinkedHashMap<>(sink.objects);

        ListStream changed = new ListStream("s", 9, 3);
        changed.data.add(4, 100); // a late record inside the page at 3: that page is now 3, 100, 4; 5 is pushed out
        RunSummary next = job(store, sink, 0, changed).run();

        assertTrue(next.ok(), next::failures);
        before.forEach((k, v) -> assertEquals(new String(v), new String(sink.objects.get(k)), "object " + k + " unchanged"));
        List<Integer> ids = sink.ids().stream().sorted().toList();
        assertEquals(List.of(0, 1, 2, 3, 4, 5, 6, 7, 8, 100), ids, "every record exactly once");
        assertTrue(sink.objects.keySet().stream().anyMatch(k -> k.endsWith("-2.ndjson")), sink.objects.keySet().toString());
    }

    /** Regression: a 412 whose stored bytes equalled the writer's own counted as the writer's write, for either of two passes. */
    @Test
    void aPasssOwnWriteThatLandedBeforeA412IsRecognisedByItsOwnerAndItCarriesOn() {
        MemoryStore store = new MemoryStore();
        MemorySink sink = new MemorySink();
        store.landThenReportConflict = true;
        RunSummary summary = job(store, sink, 0, new ListStream("s", 3)).run();
        assertTrue(summary.ok(), summary::failures);
        assertFalse(summary.superseded());
        assertEquals(3, store.position("s"));
    }

    @Test
    void aNewerPassFencesOutTheOlderOneWhichWritesNothingMoreAndReportsSupersededNotFailure() {
        MemoryStore store = new MemoryStore();
        MemorySink sink = new MemorySink();
        ListStream older = new ListStream("s", 6);
        ListStream newer = new ListStream("s", 6);
        RunSummary[] newerResult = new RunSummary[1];
        older.beforeFetch = () -> {
            if (older.fetched.size() == 2) { // while the older pass fetches its third page, a newer pass runs whole
                older.beforeFetch = () -> { };
                newerResult[0] = job(store, sink, 0, newer).run();
            }
        };

        RunSummary olderResult = job(store, sink, 0, older).run();

        assertTrue(newerResult[0].ok(), newerResult[0]::failures);
        assertFalse(newerResult[0].superseded());
        assertTrue(olderResult.ok(), "fenced out is not a failure: " + olderResult.failures());
        assertTrue(olderResult.superseded());
        assertTrue(olderResult.streams().get(0).superseded());
        assertTrue(olderResult.streams().get(0).error().contains("took over"), olderResult.streams().get(0).error());
        assertEquals(List.of(0, 1, 2, 3, 4, 5), sink.ids().stream().sorted().toList(), "every record once");
        assertEquals(6, store.position("s"));
    }

    @Test
    void twoPassesThatReadTheSameCheckpointDoNotBothTakeOver() {
        MemoryStore store = new MemoryStore();
        MemorySink sink = new MemorySink();
        job(store, sink, 1, new ListStream("s", 6)).run();
        // Another pass takes over between this pass's read and its write: this one yields without a request.
        CheckpointStore racing = new RacingStore(store, () -> job(store, sink, 0, new ListStream("s", 6)).run());
        ListStream late = new ListStream("s", 6);
        RunSummary summary = new CollectorJob(List.of(late), new WriteOnceObjects(sink, new ObjectKeys("p", ".ndjson"),
                new NdjsonEncoder(false)), racing, 0, clock, new RequestStats(), "memory", Optional.empty()).run();

        assertTrue(summary.superseded());
        assertTrue(summary.ok());
        assertTrue(late.fetched.isEmpty(), "no request after losing the take-over");
        assertEquals(List.of(0, 1, 2, 3, 4, 5), sink.ids().stream().sorted().toList());
    }

    @Test
    void maxPagesStopsARunWithMoreToDoAndTheNextRunContinues() {
        MemoryStore store = new MemoryStore();
        MemorySink sink = new MemorySink();
        RunSummary first = job(store, sink, 3, new ListStream("s", 6)).run();
        assertTrue(first.streams().get(0).more());
        assertEquals(3, store.position("s"));
        RunSummary second = job(store, sink, 3, new ListStream("s", 6)).run();
        assertFalse(second.streams().get(0).more());
        assertEquals(6, sink.objects.size(), "six different keys: " + sink.creates);
        assertEquals(List.of(0, 1, 2, 3, 4, 5), sink.ids());
    }

    @Test
    void aPassedDeadlineStopsStartingPagesAndReportsMoreToDo() {
        MemoryStore store = new MemoryStore();
        ListStream stream = new ListStream("s", 6);
        // The clock is past this deadline from the start: no page is started, nothing is lost.
        RunSummary summary = job(store, new MemorySink(), 0, stream).run(new Deadline(clock.instant()), Progress.NONE);
        assertTrue(summary.ok());
        assertTrue(summary.streams().get(0).more());
        assertEquals(0, summary.streams().get(0).pages());
        assertTrue(stream.fetched.isEmpty());
        assertEquals(0, store.position("s"), "the start position is committed, nothing else");
    }

    /** Regression: streams ran one after the other, so one stream's waits stalled the rest (and with a time budget, starved them). */
    @Test
    void streamsRunSideBySideSoThatAWaitingStreamDoesNotStallAnother() {
        MemoryStore store = new MemoryStore();
        java.util.concurrent.CountDownLatch otherDone = new java.util.concurrent.CountDownLatch(1);
        ListStream waiting = new ListStream("a", 3);
        ListStream other = new ListStream("b", 3) {
            @Override
            public synchronized Page fetch(ObjectNode request, Instant now) {
                Page page = super.fetch(request, now);
                if (page.endOfStream()) otherDone.countDown();
                return page;
            }
        };
        waiting.beforeFetch = () -> {
            try {
                // Stream a waits (as for a rate limit) until stream b has finished: only side by side can both end.
                assertTrue(otherDone.await(10, java.util.concurrent.TimeUnit.SECONDS), "stream b never ran while a waited");
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        };

        RunSummary summary = job(store, new MemorySink(), 0, waiting, other).run();

        assertTrue(summary.ok(), summary::failures);
        assertEquals(3, store.position("a"));
        assertEquals(3, store.position("b"));
    }

    @Test
    void aFailingStreamDoesNotStopTheOthers() {
        MemoryStore store = new MemoryStore();
        MemorySink sink = new MemorySink();
        ListStream broken = new ListStream("a", 4);
        broken.failOn = 1;
        broken.failAt = new IllegalStateException("boom");
        ListStream healthy = new ListStream("b", 3);

        RunSummary summary = job(store, sink, 0, broken, healthy).run();

        assertFalse(summary.ok());
        assertEquals("a: boom", summary.streams().get(0).error());
        assertTrue(summary.streams().get(1).ok());
        assertEquals(3, summary.streams().get(1).records());
        assertEquals(1, store.position("a"));
        assertEquals(3, store.position("b"));
    }

    @Test
    void lagIsHowFarTheCommittedPositionIsBehindTheRunsStartUnlessTheStreamReachedItsEnd() {
        RunSummary stopped = job(new MemoryStore(), new MemorySink(), 1, new ListStream("s", 6)).run();
        long expected = clock.instant().getEpochSecond() - (1_795_000_000L + 1);
        assertEquals(expected, stopped.streams().get(0).lagSeconds());
        RunSummary caughtUp = job(new MemoryStore(), new MemorySink(), 0, new ListStream("s", 2)).run();
        assertEquals(0, caughtUp.streams().get(0).lagSeconds(), "a quiet account is not behind");
    }
}
