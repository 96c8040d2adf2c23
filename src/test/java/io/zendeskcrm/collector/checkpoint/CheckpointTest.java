package io.zendeskcrm.collector.checkpoint;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CheckpointTest {
    @Test
    void roundTripsAsCompactVersionedJson() {
        ObjectNode pos = JsonNodeFactory.instance.objectNode().put("cursor", "c9").put("generated_timestamp", 1795000000L);
        Checkpoint c = Checkpoint.empty().with("incremental_tickets", pos).withOwner(new Checkpoint.Owner("pass-1", 7));
        String json = new String(c.toJson(), StandardCharsets.UTF_8);
        assertTrue(json.startsWith("{\"version\":2,\"owner\":{\"pass\":\"pass-1\",\"epoch\":7},"), "compact: " + json);
        assertEquals(7, Checkpoint.parse(c.toJson(), "x").epoch());
        assertTrue(Checkpoint.parse(c.toJson(), "x").ownedBy("pass-1"));
        assertEquals(json, new String(Checkpoint.parse(c.toJson(), "x").toJson(), StandardCharsets.UTF_8));
        assertEquals("c9", Checkpoint.parse(c.toJson(), "x").position("incremental_tickets").orElseThrow().get("cursor").asText());
    }

    @Test
    void corruptDocumentsAreRefusedWithTheReason() {
        assertTrue(corrupt("{\"version\": 1, \"str").contains("not JSON"));
        assertTrue(corrupt("[]").contains("not a JSON object"));
        assertTrue(corrupt("{\"streams\": {}}").contains("no \"version\""));
        assertTrue(corrupt("{\"version\": 3, \"streams\": {}}").contains("format version 3"));
        assertTrue(corrupt("{\"version\": 2, \"owner\": {\"pass\": 1}, \"streams\": {}}").contains("\"owner\""));
        assertTrue(corrupt("{\"version\": 1, \"streams\": {\"audit_logs\": 3}}").contains("audit_logs"));
        assertTrue(corrupt("{\"audit_logs\": {\"next_url\": \"x\"}}").contains("reference Lambda's state file"));
    }

    @Test
    void aCheckpointOfTheFirstFormatIsReadAsOwnedByNobodyAtEpochZero() {
        Checkpoint old = Checkpoint.parse("{\"version\": 1, \"streams\": {\"incremental_tickets\": {\"cursor\": \"c\"}}}"
                .getBytes(StandardCharsets.UTF_8), "x");
        assertEquals(0, old.epoch());
        assertTrue(old.owner().isEmpty());
        assertEquals("c", old.position("incremental_tickets").orElseThrow().get("cursor").asText());
    }

    private static String corrupt(String content) {
        return assertThrows(CorruptCheckpointException.class,
                () -> Checkpoint.parse(content.getBytes(StandardCharsets.UTF_8), "s3://b/state.json")).getMessage();
    }

    @Test
    void theFileStoreIsCompareAndSwap(@TempDir Path dir) {
        FileCheckpointStore store = new FileCheckpointStore(dir.resolve("state/state.json"));
        assertTrue(store.load().isEmpty());
        String v1 = store.commit("a".getBytes(), null);
        String v2 = store.commit("b".getBytes(), v1);
        assertThrows(CheckpointConflictException.class, () -> store.commit("c".getBytes(), v1));
        assertThrows(CheckpointConflictException.class, () -> store.commit("c".getBytes(), null));
        assertEquals("b", new String(store.load().orElseThrow().content()));
        assertEquals(v2, store.load().orElseThrow().version());
    }
}
