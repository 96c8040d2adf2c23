package io.zendeskcrm.collector.runner;

import io.zendeskcrm.collector.support.TinyTmpfs;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** The checkpoint file under OUTPUT_DIR: a failed write says why and leaves the committed checkpoint as it was. */
class LocalCheckpointStoreTest {

    @Test
    void aFullDiskFailsTheCommitWithTheReasonAndKeepsTheLastCheckpoint(@TempDir Path tmp) throws Exception {
        try (TinyTmpfs disk = TinyTmpfs.mount(tmp.resolve("disk"), 8, false)) {
            Path file = disk.dir().resolve("zendesk/crm-state/state.json");
            LocalCheckpointStore store = new LocalCheckpointStore(file);
            String first = store.commit("{\"n\":1}".getBytes(StandardCharsets.UTF_8), null);
            disk.fillLeaving(0);

            UncheckedIOException e = assertThrows(UncheckedIOException.class,
                    () -> store.commit(("{\"n\":2,\"pad\":\"" + "x".repeat(5000) + "\"}").getBytes(StandardCharsets.UTF_8), first));

            assertEquals("cannot write the checkpoint " + file + ": no space left on device (OUTPUT_DIR)", e.getMessage());
            assertEquals("{\"n\":1}", Files.readString(file), "the committed checkpoint is untouched");
            assertEquals(first, store.load().orElseThrow().version());
        }
    }

    @Test
    void aCheckpointThatCannotBeReadSaysWhy(@TempDir Path tmp) throws Exception {
        Path file = tmp.resolve("state.json");
        Files.createDirectories(file); // a directory where the file should be

        UncheckedIOException e = assertThrows(UncheckedIOException.class, () -> new LocalCheckpointStore(file).load());

        assertEquals("cannot read the checkpoint " + file + ": IOException: Is a directory (OUTPUT_DIR)", e.getMessage());
    }
}
