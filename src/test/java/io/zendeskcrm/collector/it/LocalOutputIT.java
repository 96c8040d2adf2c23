package io.zendeskcrm.collector.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.zendeskcrm.collector.support.Bucket;
import io.zendeskcrm.collector.support.ExactlyOnce;
import io.zendeskcrm.collector.support.TinyTmpfs;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * OUTPUT_DIR on a real full disk and on a read-only file system (tiny tmpfs mounts; needs root, else
 * skipped with that reason): the packaged jar says why in one line, leaves no temporary file, and the
 * run after space is freed collects everything exactly once.
 */
class LocalOutputIT extends OneAccount {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static Map<String, String> env(Path outputDir) {
        Map<String, String> env = account.env();
        env.remove("S3_BUCKET");
        env.put("OUTPUT_DIR", outputDir.toString());
        env.put("RESOURCES", "incremental_tickets");
        env.put("OUTPUT_COMPRESSION", "none");
        return env;
    }

    @Test
    void aDiskThatFillsUpFailsTheStreamSayingWhyAndTheNextRunLosesNothing(@TempDir Path tmp) throws Exception {
        for (int i = 0; i < 300; i++) account.zendesk.putTicket(i, Instant.now().minusSeconds(600 - i), "open");
        Path state = Files.createDirectories(tmp.resolve("state"));
        try (TinyTmpfs disk = TinyTmpfs.mount(tmp.resolve("out"), 16, false)) {
            // The checkpoint lives on another disk, so that only the objects meet the full one.
            Files.createDirectories(disk.dir().resolve("zendesk"));
            Files.createSymbolicLink(disk.dir().resolve("zendesk/crm-state"), state);
            disk.fillLeaving(TinyTmpfs.PAGE);

            RunnerJar.Result full = RunnerJar.run(env(disk.dir()), tmp.resolve("full"), "once");

            assertEquals(1, full.exitCode(), full.stderr());
            JsonNode stream = JSON.readTree(full.stdout()).at("/streams/0");
            assertTrue(stream.get("error").asText().matches("incremental_tickets: cannot write " + disk.dir()
                    + "/zendesk/crm/incremental_tickets/\\S+\\.ndjson: no space left on device \\(OUTPUT_DIR\\)"), stream.toString());
            assertEquals(List.of(), files(disk.dir().resolve("zendesk/crm")), "no object and no temporary file");
            assertFalse(full.stderr().contains("\tat "), full.stderr());

            Files.delete(disk.dir().resolve("filler"));
            RunnerJar.Result next = RunnerJar.run(env(disk.dir()), tmp.resolve("next"), "once");

            assertEquals(0, next.exitCode(), next.stderr());
            List<JsonNode> records = new ArrayList<>();
            for (Path f : files(disk.dir().resolve("zendesk/crm"))) records.addAll(Bucket.decode(f.toString(), Files.readAllBytes(f)));
            ExactlyOnce.assertTickets(records, account.zendesk);
            assertEquals(300, records.size());
        }
    }

    @Test
    void aReadOnlyOutputDirIsOneLineAndExitsTwo(@TempDir Path tmp) throws Exception {
        Path dir = tmp.resolve("ro");
        String why;
        TinyTmpfs mount = null;
        if ("root".equals(System.getProperty("user.name"))) {
            mount = TinyTmpfs.mount(dir, 4, true); // root writes through permissions: only a read-only mount stops it
            why = "read-only file system";
        } else {
            Files.createDirectories(dir);
            assertTrue(dir.toFile().setWritable(false, false));
            why = "permission denied";
        }
        try {
            RunnerJar.Result result = RunnerJar.run(env(dir), tmp.resolve("logs"), "once");

            assertEquals(2, result.exitCode(), result.stderr());
            assertEquals(List.of("configuration error: OUTPUT_DIR (" + dir + ") cannot be written: " + why),
                    result.stderr().lines().toList());
            assertEquals(0, account.zendesk.requests(), "refused before any request");
        } finally {
            if (mount != null) mount.close();
        }
    }

    private static List<Path> files(Path dir) throws Exception {
        if (!Files.exists(dir)) return List.of();
        try (Stream<Path> walk = Files.walk(dir)) {
            return walk.filter(Files::isRegularFile).sorted().toList();
        }
    }
}
