package io.zendeskcrm.collector.checkpoint;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.zendeskcrm.collector.support.BothBackends;
import io.zendeskcrm.collector.support.IgnoringConditionalWrites;
import io.zendeskcrm.collector.support.RacingStore;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Fencing behaves the same on both stores: against a real S3 server and on the local file system. */
class FencedCheckpointTest {
    static Stream<Supplier<CheckpointStore>> stores() {
        return Stream.of(
                () -> new S3CheckpointStore(BothBackends.s3(), BothBackends.newBucket("fence"), "zendesk/crm-state/state.json"),
                () -> new FileCheckpointStore(BothBackends.newDirectory("fence").resolve("state.json")));
    }

    static ObjectNode at(int n) {
        return JsonNodeFactory.instance.objectNode().put("n", n);
    }

    @ParameterizedTest
    @MethodSource("stores")
    void aNewerPassFencesOutTheOlderOneAtItsNextCommitWithoutWaitingForAnything(Supplier<CheckpointStore> s) {
        CheckpointStore store = s.get();
        FencedCheckpoint older = FencedCheckpoint.takeOver(store, "older");
        older.commit("s", at(1));
        // The older pass is still running (or was SIGKILLed: no difference, nothing to wait for).
        FencedCheckpoint newer = FencedCheckpoint.takeOver(store, "newer");
        assertEquals(1, newer.position("s").orElseThrow().get("n").asInt(), "the newer pass carries on from the last commit");

        SupersededException e = assertThrows(SupersededException.class, () -> older.commit("s", at(2)));
        assertTrue(e.getMessage().contains("newer"), e.getMessage());
        assertThrows(SupersededException.class, older::confirmOwner);
        newer.commit("s", at(2));
        newer.confirmOwner();
        Checkpoint stored = Checkpoint.parse(store.load().orElseThrow().content(), "x");
        assertTrue(stored.ownedBy("newer"));
        assertEquals(2, stored.epoch());
        assertEquals(2, stored.position("s").orElseThrow().get("n").asInt());
    }

    @ParameterizedTest
    @MethodSource("stores")
    void ofTwoPassesStartedTogetherExactlyOneOwnsTheCheckpoint(Supplier<CheckpointStore> s) throws Exception {
        CheckpointStore store = s.get();
        FencedCheckpoint.takeOver(store, "first").commit("s", at(5));
        // A thread for each pass: the common pool has one thread on 2 cores, and would run them one after the other.
        java.util.concurrent.ExecutorService racers = java.util.concurrent.Executors.newFixedThreadPool(2);
        try {
            for (int round = 0; round < 10; round++) {
                CountDownLatch go = new CountDownLatch(1);
                List<CompletableFuture<String>> passes = Stream.of("a" + round, "b" + round).map(name -> CompletableFuture.supplyAsync(() -> {
                    try {
                        go.await();
                        FencedCheckpoint mine = FencedCheckpoint.takeOver(store, name);
                        mine.commit("s", at(100 + name.hashCode() % 50));
                        return "owner";
                    } catch (SupersededException e) {
                        return "superseded";
                    } catch (InterruptedException e) {
                        throw new IllegalStateException(e);
                    }
                }, racers)).toList();
                go.countDown();
                List<String> outcomes = passes.stream().map(CompletableFuture::join).toList();
                // One wins the take-over and the other yields; or one ran whole before the other took over.
                // Never do both yield, and the stored owner is a pass that did not yield.
                Checkpoint stored = Checkpoint.parse(store.load().orElseThrow().content(), "x");
                int owner = stored.ownedBy("a" + round) ? 0 : stored.ownedBy("b" + round) ? 1 : -1;
                assertTrue(owner >= 0, stored.toString());
                assertEquals("owner", outcomes.get(owner), outcomes.toString());
            }
        } finally {
            racers.shutdownNow();
        }
    }

    @ParameterizedTest
    @MethodSource("stores")
    void aPassCommittingAfterTheOwnerMerelyCommittedTakesOverAgainOnTheNewVersion(Supplier<CheckpointStore> s) {
        CheckpointStore store = s.get();
        FencedCheckpoint running = FencedCheckpoint.takeOver(store, "running");
        // The next pass reads, then the running owner commits before the take-over write: same epoch, so it retries.
        CheckpointStore racing = new RacingStore(store, () -> running.commit("s", at(9)));
        FencedCheckpoint next = FencedCheckpoint.takeOver(racing, "next");
        assertEquals(9, next.position("s").orElseThrow().get("n").asInt());
        assertThrows(SupersededException.class, () -> running.commit("s", at(10)));
    }

    /** A take-over that loses every attempt to an owner busy committing yields, as to a newer pass; it does not fail. */
    @ParameterizedTest
    @MethodSource("stores")
    void aTakeOverThatKeepsLosingToABusyOwnerYields(Supplier<CheckpointStore> s) {
        CheckpointStore store = s.get();
        FencedCheckpoint busy = FencedCheckpoint.takeOver(store, "busy");
        int[] n = {0};
        CheckpointStore everyRead = new CheckpointStore() {
            @Override
            public java.util.Optional<Stored> load() {
                java.util.Optional<Stored> read = store.load();
                busy.commit("s", at(++n[0])); // the owner commits a page between each read and the take-over's write
                return read;
            }

            @Override
            public String commit(byte[] content, String expectedVersion) {
                return store.commit(content, expectedVersion);
            }

            @Override
            public String location() {
                return store.location();
            }
        };
        SupersededException e = assertThrows(SupersededException.class, () -> FencedCheckpoint.takeOver(everyRead, "next"));
        assertTrue(e.getMessage().contains("(busy, epoch 1)") && e.getMessage().contains("committed progress"), e.getMessage());
        assertEquals(5, n[0], "five attempts");
        busy.commit("s", at(100)); // the busy owner was never fenced out
        assertTrue(Checkpoint.parse(store.load().orElseThrow().content(), "x").ownedBy("busy"));
    }

    /** A position whose overlap holds {@code pages} pages of 1000 ids, one second per page. */
    static ObjectNode window(int pages) {
        ObjectNode p = JsonNodeFactory.instance.objectNode().put("watermark", "2026-11-20T11:00:00Z");
        ObjectNode recent = p.putObject("recent");
        for (int page = 0; page < pages; page++) {
            var ids = recent.putArray(java.time.Instant.parse("2026-11-20T11:55:00Z").plusSeconds(page).toString());
            for (int i = 0; i < 1000; i++) ids.add(String.valueOf(10_000_000 + page * 1000 + i));
        }
        return p;
    }

    /**
     * The overlap's ids live in segments beside the document: each commit adds one segment with the ids its
     * page added; a commit that drops ids compacts what is left into one segment and deletes the others,
     * after the document stopped listing them; another pass reads the same ids back.
     */
    @ParameterizedTest
    @MethodSource("stores")
    void theOverlapsIdsAreKeptInSegmentsThatAPageOnlyAddsTo(Supplier<CheckpointStore> s) {
        CheckpointStore store = s.get();
        CheckpointParts parts = store.parts().orElseThrow();
        FencedCheckpoint mine = FencedCheckpoint.takeOver(store, "mine");
        for (int pages = 1; pages <= 3; pages++) mine.commit("audit_logs", window(pages));
        List<String> listed = listed(store);
        assertEquals(3, listed.size(), listed.toString());
        assertTrue(parts.read(listed.get(2)).orElseThrow().length < 20_000, "the third segment holds the third page's ids only");
        assertTrue(store.load().orElseThrow().content().length < 1_000, "the document lists segments, no ids");

        // The window closes: only the last page's second is left.
        ObjectNode closed = window(3);
        ((ObjectNode) closed.get("recent")).remove(List.of("2026-11-20T11:55:00Z", "2026-11-20T11:55:01Z"));
        mine.commit("audit_logs", closed);
        List<String> compacted = listed(store);
        assertEquals(1, compacted.size());
        for (String old : listed) assertTrue(parts.read(old).isEmpty(), old + " is deleted once no longer listed");

        FencedCheckpoint next = FencedCheckpoint.takeOver(store, "next");
        assertEquals(closed, next.position("audit_logs").orElseThrow());
        next.commit("audit_logs", closed);
        assertEquals(compacted, listed(store), "an unchanged position writes nothing");
    }

    /** A segment written by a pass that died before its commit is listed by nothing; a listed one that is missing is named. */
    @ParameterizedTest
    @MethodSource("stores")
    void anUnlistedSegmentIsHarmlessAndAMissingListedOneIsNamed(Supplier<CheckpointStore> s) {
        CheckpointStore store = s.get();
        CheckpointParts parts = store.parts().orElseThrow();
        FencedCheckpoint.takeOver(store, "first").commit("audit_logs", window(1));
        parts.create("recent/audit_logs/99-1.json", "{\"2026-11-20T11:55:00Z\":[\"666\"]}".getBytes());
        assertEquals(window(1), FencedCheckpoint.takeOver(store, "second").position("audit_logs").orElseThrow());

        String listed = listed(store).get(0);
        parts.delete(listed);
        CorruptCheckpointException e = assertThrows(CorruptCheckpointException.class,
                () -> FencedCheckpoint.takeOver(store, "third").position("audit_logs"));
        assertTrue(e.getMessage().contains(parts.location(listed)) && e.getMessage().contains("missing"), e.getMessage());
    }

    static List<String> listed(CheckpointStore store) {
        List<String> out = new java.util.ArrayList<>();
        Checkpoint.parse(store.load().orElseThrow().content(), "x").position("audit_logs").orElseThrow()
                .get("recent_segments").forEach(n -> out.add(n.asText()));
        return out;
    }

    /** A store that accepts If-None-Match and ignores it is refused at its first use, in one line naming where; nothing is left. */
    @org.junit.jupiter.api.Test
    void aStoreThatIgnoresConditionalWritesIsRefusedAtItsFirstUse() {
        String bucket = BothBackends.newBucket("ignoring");
        CheckpointStore store = new S3CheckpointStore(new IgnoringConditionalWrites(BothBackends.s3()), bucket, "zendesk/crm-state/state.json");
        ConditionalWritesIgnoredException e = assertThrows(ConditionalWritesIgnoredException.class, () -> FencedCheckpoint.takeOver(store, "p"));
        assertTrue(e.getMessage().startsWith("the store at s3://" + bucket + "/zendesk/crm-state/state.json.d/conditional-write-check/p"
                + " (endpoint http://127.0.0.1:") && e.getMessage().contains("ignores conditional writes"), e.getMessage());
        assertEquals(List.of(), new io.zendeskcrm.collector.support.Bucket(BothBackends.s3(), bucket).keys(""), "no checkpoint, no probe left");
    }

    /** A store that enforces them passes, leaves only the checkpoint, and is not checked again once it has one. */
    @org.junit.jupiter.api.Test
    void aStoreThatEnforcesConditionalWritesIsCheckedOnceAndKeepsNoProbe() {
        String bucket = BothBackends.newBucket("enforcing");
        CheckpointStore store = new S3CheckpointStore(BothBackends.s3(), bucket, "zendesk/crm-state/state.json");
        FencedCheckpoint.takeOver(store, "first");
        assertEquals(List.of("zendesk/crm-state/state.json"), new io.zendeskcrm.collector.support.Bucket(BothBackends.s3(), bucket).keys(""));
        // Once the checkpoint exists the store is trusted: even one that would now ignore the headers is not probed.
        FencedCheckpoint.takeOver(new S3CheckpointStore(new IgnoringConditionalWrites(BothBackends.s3()), bucket,
                "zendesk/crm-state/state.json"), "second");
    }
}
