package io.zendeskcrm.collector.sink;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.zendeskcrm.collector.support.BothBackends;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Write-once objects against a real S3 server and on the local file system. */
class WriteOnceObjectsTest {
    static final Instant KEY_TIME = Instant.parse("2026-11-20T11:00:00Z");
    static final ObjectKeys KEYS = new ObjectKeys("zendesk/crm", ".ndjson.gz");
    static final NdjsonEncoder ENCODER = new NdjsonEncoder(true);
    static Stream<Supplier<RecordSink>> sinks() {
        return Stream.of(
                () -> new S3Sink(BothBackends.s3(), BothBackends.newBucket("once"), true),
                () -> new LocalDirectorySink(BothBackends.newDirectory("once")));
    }

    static List<ObjectNode> records(int... ids) {
        List<ObjectNode> out = new ArrayList<>();
        for (int id : ids) out.add(JsonNodeFactory.instance.objectNode().put("id", id));
        return out;
    }

    static List<Integer> ids(RecordSink sink, String key) {
        return ENCODER.unpack(sink.read(key).orElseThrow()).stream().map(l -> NdjsonEncoder.record(l).get("id").asInt()).toList();
    }

    @ParameterizedTest
    @MethodSource("sinks")
    void anObjectOnceWrittenIsNeverReplaced(Supplier<RecordSink> s) {
        RecordSink sink = s.get();
        assertTrue(sink.create("a/b.ndjson.gz", ENCODER.encode(records(1)).content()));
        assertFalse(sink.create("a/b.ndjson.gz", ENCODER.encode(records(2)).content()));
        assertEquals(List.of(1), ids(sink, "a/b.ndjson.gz"));
        assertTrue(sink.read("a/none.ndjson.gz").isEmpty());
    }

    @ParameterizedTest
    @MethodSource("sinks")
    void aRequestReadAgainWritesOnlyWhatIsNewUnderTheNextKeyAndHandsBackWhatItNoLongerHas(Supplier<RecordSink> s) {
        RecordSink sink = s.get();
        WriteOnceObjects objects = new WriteOnceObjects(sink, KEYS, ENCODER);
        String first = KEYS.of("audit_logs", KEY_TIME, "window=w;after=", 1);
        String second = KEYS.of("audit_logs", KEY_TIME, "window=w;after=", 2);

        WriteOnceObjects.Result initial = objects.write("audit_logs", KEY_TIME, "window=w;after=", ENCODER.encode(records(1, 2, 3)), () -> { });
        assertEquals(3, initial.written());
        byte[] original = sink.read(first).orElseThrow();

        // Read again after a late record (9) pushed record 3 onto the next page.
        WriteOnceObjects.Result again = objects.write("audit_logs", KEY_TIME, "window=w;after=", ENCODER.encode(records(1, 9, 2)), () -> { });
        assertEquals(1, again.written());
        assertEquals(2, again.alreadyThere());
        assertEquals(List.of(3), again.elsewhere().stream().map(r -> r.get("id").asInt()).toList());
        assertArrayEquals(original, sink.read(first).orElseThrow(), "the first object is unchanged");
        assertEquals(List.of(9), ids(sink, second));

        // A third reading with nothing new writes nothing.
        WriteOnceObjects.Result third = objects.write("audit_logs", KEY_TIME, "window=w;after=", ENCODER.encode(records(1, 9, 2)), () -> { });
        assertEquals(0, third.written());
        assertEquals(3, third.alreadyThere());
        assertTrue(sink.read(KEYS.of("audit_logs", KEY_TIME, "window=w;after=", 3)).isEmpty());
    }

    @ParameterizedTest
    @MethodSource("sinks")
    void aWriterThatMayNoLongerWriteCreatesNothing(Supplier<RecordSink> s) {
        RecordSink sink = s.get();
        WriteOnceObjects objects = new WriteOnceObjects(sink, KEYS, ENCODER);
        assertThrows(IllegalStateException.class, () -> objects.write("audit_logs", KEY_TIME, "r", ENCODER.encode(records(1)), () -> {
            throw new IllegalStateException("fenced out");
        }));
        assertTrue(sink.read(KEYS.of("audit_logs", KEY_TIME, "r", 1)).isEmpty());
    }

    /**
     * A re-read page is compared with the chain by identity, each stored object read as a stream and never
     * whole, and what is handed back is each record's head (id and times), not its body: a page of large
     * records re-read after a crash costs its ids, not the chain unpacked into memory.
     */
    @ParameterizedTest
    @MethodSource("sinks")
    void aReReadPageIsComparedByIdentityReadingTheChainAsAStream(Supplier<RecordSink> s) {
        RecordSink stored = s.get();
        RecordSink streamingOnly = new RecordSink() {
            @Override
            public boolean create(String key, byte[] content) {
                return stored.create(key, content);
            }

            @Override
            public java.util.Optional<byte[]> read(String key) {
                throw new AssertionError("the object " + key + " was read whole");
            }

            @Override
            public java.util.Optional<java.io.InputStream> open(String key) {
                return stored.open(key);
            }

            @Override
            public List<String> list(String folder) {
                return stored.list(folder);
            }
        };
        WriteOnceObjects objects = new WriteOnceObjects(streamingOnly, KEYS, ENCODER);
        String body = "x".repeat(10_000);
        List<ObjectNode> firstReading = new ArrayList<>();
        for (int id : new int[] {1, 2, 3}) {
            ObjectNode r = JsonNodeFactory.instance.objectNode().put("id", id).put("created_at", "2026-11-20T11:00:0" + id + "Z")
                    .put("description", body);
            r.putObject("via").put("channel", "email");
            firstReading.add(r);
        }
        objects.write("audit_logs", KEY_TIME, "r", ENCODER.encode(firstReading), () -> { });

        // Read again: record 3 moved to the next page, 9 is new.
        List<ObjectNode> secondReading = List.of(firstReading.get(0), firstReading.get(1),
                JsonNodeFactory.instance.objectNode().put("id", 9).put("created_at", "2026-11-20T11:00:09Z"));
        WriteOnceObjects.Result again = objects.write("audit_logs", KEY_TIME, "r", ENCODER.encode(secondReading), () -> { });

        assertEquals(1, again.written());
        assertEquals(2, again.alreadyThere());
        assertEquals(List.of("{\"id\":3,\"created_at\":\"2026-11-20T11:00:03Z\"}"),
                again.elsewhere().stream().map(Object::toString).toList(), "the head of record 3, without its body");
        assertEquals(List.of(9), ids(stored, KEYS.of("audit_logs", KEY_TIME, "r", 2)));
    }

    @org.junit.jupiter.api.Test
    void theLocalSinkLeavesNoTemporaryFile() throws Exception {
        Path dir = Files.createTempDirectory("once");
        LocalDirectorySink sink = new LocalDirectorySink(dir);
        sink.create("x/y.ndjson", new byte[] {1});
        sink.create("x/y.ndjson", new byte[] {2});
        try (var files = Files.walk(dir)) {
            assertEquals(List.of(dir.resolve("x/y.ndjson")), files.filter(Files::isRegularFile).toList());
        }
    }
}
