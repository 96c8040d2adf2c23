package io.zendeskcrm.collector.sink;

import io.zendeskcrm.collector.support.TinyTmpfs;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Local output on a real full disk: the write fails saying why and leaves no temporary file. */
class LocalDirectorySinkTest {

    /**
     * Regression: the object was written with one FileChannel.write, which on a nearly full disk writes what
     * fits and returns: a truncated object was linked under its key and the checkpoint moved past it.
     */
    @Test
    void aFullDiskFailsTheWriteWithTheReasonAndLeavesNoTemporaryFile(@TempDir Path tmp) throws Exception {
        try (TinyTmpfs disk = TinyTmpfs.mount(tmp.resolve("disk"), 8, false)) {
            disk.fillLeaving(TinyTmpfs.PAGE);
            LocalDirectorySink sink = new LocalDirectorySink(disk.dir());
            String key = "zendesk/crm/incremental_tickets/2026/11/20/20261120T100000Z-0123456789abcdef.ndjson";

            UncheckedIOException e = assertThrows(UncheckedIOException.class, () -> sink.create(key, new byte[3 * TinyTmpfs.PAGE]));

            assertEquals("cannot write " + disk.dir().resolve(key) + ": no space left on device (OUTPUT_DIR)", e.getMessage());
            assertEquals(List.of(), files(disk.dir().resolve("zendesk")), "neither the object nor a temporary file");
            assertEquals(Optional.empty(), sink.read(key));

            byte[] small = "{\"id\":1}\n".getBytes(StandardCharsets.UTF_8);
            assertTrue(sink.create(key, small), "what fits is written");
            assertArrayEquals(small, sink.read(key).orElseThrow());
            assertEquals(List.of(disk.dir().resolve(key)), files(disk.dir().resolve("zendesk")));
        }
    }

    @Test
    void aWrittenObjectIsNeverReplaced(@TempDir Path dir) {
        LocalDirectorySink sink = new LocalDirectorySink(dir);
        assertTrue(sink.create("a/b.ndjson", new byte[] {1}));
        assertFalse(sink.create("a/b.ndjson", new byte[] {2}));
        assertArrayEquals(new byte[] {1}, sink.read("a/b.ndjson").orElseThrow());
    }

    @Test
    void aFileInTheWayIsNamed(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("zendesk"), "not a directory");
        LocalDirectorySink sink = new LocalDirectorySink(dir);

        UncheckedIOException e = assertThrows(UncheckedIOException.class, () -> sink.create("zendesk/crm/x.ndjson", new byte[1]));

        assertEquals("cannot write " + dir.resolve("zendesk/crm/x.ndjson") + ": a part of the path is a file, not a directory"
                + " (OUTPUT_DIR)", e.getMessage());
    }

    private static List<Path> files(Path dir) throws Exception {
        if (!Files.exists(dir)) return List.of();
        try (Stream<Path> walk = Files.walk(dir)) {
            return walk.filter(Files::isRegularFile).toList();
        }
    }
}
