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
                () -> new S3Sink(BothBackends.s3(), BothBackends.newBucket("once")),
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

    static List<ObjectNode> audits(boolean timestamp, int... ids) {
        List<ObjectNode> out = new ArrayList<>();
        for (int id : ids) {
            ObjectNode r = JsonNodeFactory.instance.objectNode();
            if (id > 0) r.put("id", id);
            r.put("created_at", "2026-11-20T11:00:0" + Math.abs(id) + "+01:00");
            if (timestamp) r.put("timestamp", "2026-11-20T10:00:0" + Math.abs(id) + "Z");
            out.add(r);
        }
        return out;
    }

    /**
     * A pass died between writing a page and committing it; S3_PREFIX, OUTPUT_COMPRESSION or ADD_TIMESTAMP
     * changed before the rerun. The rerun finds what was written (by the layout recorded in the request's
     * position, the gzip magic bytes, identities without `timestamp`) and writes none of it again; a record
     * new on the page carries the chain on where it began.
     */
    @ParameterizedTest
    @MethodSource("sinks")
    void aSettingChangedBetweenACrashAndTheRerunWritesNothingTwice(Supplier<RecordSink> s) {
        RecordSink sink = s.get();
        WriteOnceObjects before = new WriteOnceObjects(sink, KEYS, ENCODER);
        ObjectNode request = before.laidOut(JsonNodeFactory.instance.objectNode().put("cursor", "c1"));
        // Record -4 has no id: it is known by its content.
        before.write("audit_logs", KEY_TIME, "r", ENCODER.encode(audits(true, 1, 2, -4)), request, () -> { });

        NdjsonEncoder plain = new NdjsonEncoder(false);
        WriteOnceObjects otherPrefix = new WriteOnceObjects(sink, new ObjectKeys("zendesk/moved", ".ndjson.gz"), ENCODER);
        WriteOnceObjects uncompressed = new WriteOnceObjects(sink, new ObjectKeys("zendesk/crm", ".ndjson"), plain);
        for (WriteOnceObjects after : List.of(before, otherPrefix, uncompressed)) { // ADD_TIMESTAMP alone, then each setting
            WriteOnceObjects.Result again = after.write("audit_logs", KEY_TIME, "r", plain.encode(audits(false, 1, 2, -4)), request, () -> { });
            assertEquals(0, again.written());
            assertEquals(3, again.alreadyThere());
        }
        assertTrue(sink.read(new ObjectKeys("zendesk/moved", ".ndjson.gz").of("audit_logs", KEY_TIME, "r", 1)).isEmpty());
        assertTrue(sink.read(new ObjectKeys("zendesk/crm", ".ndjson").of("audit_logs", KEY_TIME, "r", 1)).isEmpty());

        // A late record on the re-read page goes on in the chain's own layout and compression.
        WriteOnceObjects.Result late = uncompressed.write("audit_logs", KEY_TIME, "r", plain.encode(audits(false, 1, 2, 3, -4)), request, () -> { });
        assertEquals(1, late.written());
        assertEquals(List.of(3), ids(sink, KEYS.of("audit_logs", KEY_TIME, "r", 2)), "gzip, under the first prefix");

        // A request that no pass wrote before the change goes where the settings now say.
        ObjectNode fresh = before.laidOut(JsonNodeFactory.instance.objectNode().put("cursor", "c2"));
        assertEquals(1, uncompressed.write("audit_logs", KEY_TIME, "r2", plain.encode(audits(false, 5)), fresh, () -> { }).written());
        assertEquals(List.of("{\"id\":5,\"created_at\":\"2026-11-20T11:00:05+01:00\"}"),
                plain.unpack(sink.read(new ObjectKeys("zendesk/crm", ".ndjson").of("audit_logs", KEY_TIME, "r2", 1)).orElseThrow()));
        assertEquals("zendesk/crm/*.ndjson", uncompressed.laidOut(fresh).get("object_layout").asText());
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
