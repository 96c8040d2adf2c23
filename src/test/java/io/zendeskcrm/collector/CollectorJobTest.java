package io.zendeskcrm.collector;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.zendeskcrm.collector.checkpoint.Checkpoint;
import io.zendeskcrm.collector.checkpoint.CheckpointConflictException;
import io.zendeskcrm.collector.checkpoint.CheckpointStore;
import io.zendeskcrm.collector.sink.NdjsonEncoder;
import io.zendeskcrm.collector.sink.ObjectKeys;
import io.zendeskcrm.collector.sink.RecordSink;
import io.zendeskcrm.collector.zendesk.Page;
import io.zendeskcrm.collector.zendesk.RequestStats;
import io.zendeskcrm.collector.zendesk.ZendeskStream;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The job's ordering rules, with an in-memory checkpoint store, a recording sink and a fixed clock. */
class CollectorJobTest {
    static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-20T12:00:00Z"), ZoneOffset.UTC);

    /** Positions are {"n": k}; page k holds record k and leads to k+1; the stream ends after {@code last}. */
    static class CountingStream implements ZendeskStream {
        final String name;
        final int last;
        final List<Integer> fetched = new ArrayList<>();
        RuntimeException failAt;
        int failOn = -1;

        CountingStream(String name, int last) {
            this.name = name;
            this.last = last;
        }

        @Override
        public String name() {
            return name;
        }

        @Override
        public ObjectNode initialPosition(Instant now) {
            return JsonNodeFactory.instance.objectNode().put("n", 0);
        }

        @Override
        public Optional<ObjectNode> nextRequest(ObjectNode position, Instant now) {
            return Optional.of(position);
        }

        @Override
        public Page fetch(ObjectNode request, Instant now) {
            int n = request.get("n").asInt();
            fetched.add(n);
            if (n == failOn) throw failAt;
            ObjectNode record = JsonNodeFactory.instance.objectNode().put("id", n);
            return new Page(List.of(record), JsonNodeFactory.instance.objectNode().put("n", n + 1), n + 1 > last,
                    Instant.ofEpochSecond(1_795_000_000L + n), "n=" + n);
        }

        @Override
        public Instant positionTime(ObjectNode position) {
            return Instant.ofEpochSecond(1_795_000_000L + position.get("n").asInt());
        }
    }

    static final class MemoryStore implements CheckpointStore {
        byte[] content;
        int version;
        final List<String> commits = new ArrayList<>();

        @Override
        public Optional<Stored> load() {
            return content == null ? Optional.empty() : Optional.of(new Stored(content, String.valueOf(version)));
        }

        @Override
        public String commit(byte[] next, String expectedVersion) {
            String current = content == null ? null : String.valueOf(version);
            if (!Objects.equals(current, expectedVersion)) throw new CheckpointConflictException("memory");
            content = next;
            version++;
            commits.add(new String(next));
            return String.valueOf(version);
        }

        @Override
        public String location() {
            return "memory";
        }

        int position(String stream) {
            return Checkpoint.parse(content, "memory").position(stream).orElseThrow().get("n").asInt();
        }
    }

    static final class RecordingSink implements RecordSink {
        final Map<String, byte[]> objects = new LinkedHashMap<>();
        final List<String> writes = new ArrayList<>();
        int failOnWrite = -1;

        @Override
        public void write(String key, byte[] content) {
            if (writes.size() == failOnWrite) {
                writes.add("FAILED " + key);
                throw new IllegalStateException("disk full");
            }
            writes.add(key);
            objects.put(key, content);
        }
    }

    static CollectorJob job(MemoryStore store, RecordingSink sink, int maxPages, ZendeskStream... streams) {
        return new CollectorJob(List.of(streams), sink, store, new ObjectKeys("p", ".ndjson"), new NdjsonEncoder(false),
                maxPages, CLOCK, new RequestStats(), "memory");
    }

    @Test
    void theCheckpointDoesNotAdvanceWhenTheSinkFails() {
        MemoryStore store = new MemoryStore();
        RecordingSink sink = new RecordingSink();
        sink.failOnWrite = 2;
        CountingStream stream = new CountingStream("s", 5);

        RunSummary summary = job(store, sink, 0, stream).run();

        assertFalse(summary.ok());
        assertTrue(summary.failures().contains("disk full"), summary.failures());
        assertEquals(2, store.position("s"), "pages 0 and 1 are durable, page 2 is not");
        assertEquals(2, summary.streams().get(0).pages());
    }

    @Test
    void aRerunFromTheSameCheckpointWritesTheSameKeysAndTheCursorNeverMovesBackwards() {
        MemoryStore store = new MemoryStore();
        RecordingSink first = new RecordingSink();
        job(store, first, 2, new CountingStream("s", 5)).run();
        byte[] saved = store.content;
        int savedVersion = store.version;
        RecordingSink second = new RecordingSink();
        job(store, second, 0, new CountingStream("s", 5)).run();

        store.content = saved; // as if the second run's commits were lost
        store.version = savedVersion;
        int replayStart = store.commits.size();
        RecordingSink replay = new RecordingSink();
        job(store, replay, 0, new CountingStream("s", 5)).run();

        assertEquals(second.writes, replay.writes);
        for (String key : second.objects.keySet()) assertTrue(java.util.Arrays.equals(second.objects.get(key), replay.objects.get(key)));
        List<Integer> replayed = store.commits.subList(replayStart, store.commits.size()).stream()
                .map(c -> Checkpoint.parse(c.getBytes(), "m").position("s").orElseThrow().get("n").asInt()).toList();
        assertEquals(List.of(3, 4, 5, 6), replayed, "one commit per page, always forwards");
    }

    @Test
    void maxPagesStopsARunWithMoreToDoAndTheNextRunContinues() {
        MemoryStore store = new MemoryStore();
        RecordingSink sink = new RecordingSink();
        RunSummary first = job(store, sink, 3, new CountingStream("s", 5)).run();
        assertTrue(first.streams().get(0).more());
        assertEquals(3, store.position("s"));
        RunSummary second = job(store, sink, 3, new CountingStream("s", 5)).run();
        assertFalse(second.streams().get(0).more());
        assertEquals(6, sink.objects.size(), "six different keys: " + sink.writes);
        List<Integer> ids = sink.objects.values().stream().map(b -> Integer.parseInt(new String(b).replaceAll("\\D", ""))).toList();
        assertEquals(List.of(0, 1, 2, 3, 4, 5), ids);
    }

    @Test
    void aPassedDeadlineStopsStartingPagesAndReportsMoreToDo() {
        MemoryStore store = new MemoryStore();
        RecordingSink sink = new RecordingSink();
        CountingStream stream = new CountingStream("s", 5);
        // The fixed clock is past this deadline from the start: no page is started, nothing is lost.
        RunSummary summary = job(store, sink, 0, stream).run(new Deadline(CLOCK.instant()), Progress.NONE);
        assertTrue(summary.ok());
        assertTrue(summary.streams().get(0).more());
        assertEquals(0, summary.streams().get(0).pages());
        assertTrue(stream.fetched.isEmpty());
        assertEquals(0, store.position("s"), "the start position is committed, nothing else");
    }

    @Test
    void aFailingStreamDoesNotStopTheOthers() {
        MemoryStore store = new MemoryStore();
        RecordingSink sink = new RecordingSink();
        CountingStream broken = new CountingStream("a", 3);
        broken.failOn = 1;
        broken.failAt = new IllegalStateException("boom");
        CountingStream healthy = new CountingStream("b", 2);

        RunSummary summary = job(store, sink, 0, broken, healthy).run();

        assertFalse(summary.ok());
        assertEquals("a: boom", summary.streams().get(0).error());
        assertTrue(summary.streams().get(1).ok());
        assertEquals(3, summary.streams().get(1).records());
        assertEquals(1, store.position("a"));
        assertEquals(3, store.position("b"));
    }

    @Test
    void aCheckpointConflictStopsEveryStream() {
        MemoryStore store = new MemoryStore();
        RecordingSink sink = new RecordingSink();
        CountingStream a = new CountingStream("a", 3) {
            @Override
            public Page fetch(ObjectNode request, Instant now) {
                store.version += 10; // another run commits in the meantime
                return super.fetch(request, now);
            }
        };
        CountingStream b = new CountingStream("b", 3);
        RunSummary summary = job(store, sink, 0, a, b).run();
        assertFalse(summary.streams().get(0).ok());
        assertFalse(summary.streams().get(1).ok());
        assertTrue(b.fetched.isEmpty(), "no request after a conflict");
        assertTrue(summary.streams().get(1).error().contains("changed by another run"));
    }

    @Test
    void lagIsHowFarTheCommittedPositionIsBehindTheRunsStartUnlessTheStreamReachedItsEnd() {
        RunSummary stopped = job(new MemoryStore(), new RecordingSink(), 1, new CountingStream("s", 5)).run();
        long expected = CLOCK.instant().getEpochSecond() - (1_795_000_000L + 1);
        assertEquals(expected, stopped.streams().get(0).lagSeconds());
        RunSummary caughtUp = job(new MemoryStore(), new RecordingSink(), 0, new CountingStream("s", 1)).run();
        assertEquals(0, caughtUp.streams().get(0).lagSeconds(), "a quiet account is not behind");
    }
}
