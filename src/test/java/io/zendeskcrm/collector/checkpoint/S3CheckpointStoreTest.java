package io.zendeskcrm.collector.checkpoint;

import io.zendeskcrm.collector.support.Bucket;
import io.zendeskcrm.collector.support.S3Server;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.s3.S3Client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Conditional writes against a real S3 server. */
class S3CheckpointStoreTest {
    static S3Server server;
    static S3Client s3;
    S3CheckpointStore store;

    @BeforeAll
    static void start() throws Exception {
        server = new S3Server();
        s3 = server.client();
    }

    @AfterAll
    static void stop() throws Exception {
        server.close();
    }

    @BeforeEach
    void emptyBucket() {
        new Bucket(s3, "state-bucket").empty();
        store = new S3CheckpointStore(s3, "state-bucket", "zendesk/crm-state/state.json");
    }

    @Test
    void createsOnlyWhenAbsentAndReplacesOnlyTheVersionItRead() {
        assertTrue(store.load().isEmpty());
        String v1 = store.commit("{\"n\":1}".getBytes(), null);
        String v2 = store.commit("{\"n\":2}".getBytes(), v1);
        assertEquals(v2, store.load().orElseThrow().version());
        assertEquals("{\"n\":2}", new String(store.load().orElseThrow().content()));
    }

    @Test
    void anotherRunsWriteIsNeverOverwritten() {
        String mine = store.commit("{\"n\":1}".getBytes(), null);
        s3.putObject(b -> b.bucket("state-bucket").key("zendesk/crm-state/state.json"),
                software.amazon.awssdk.core.sync.RequestBody.fromString("{\"other\":true}"));
        CheckpointConflictException e = assertThrows(CheckpointConflictException.class, () -> store.commit("{\"n\":2}".getBytes(), mine));
        assertTrue(e.getMessage().contains("s3://state-bucket/zendesk/crm-state/state.json"), e.getMessage());
        assertThrows(CheckpointConflictException.class, () -> store.commit("{\"n\":3}".getBytes(), null));
        assertEquals("{\"other\":true}", new String(store.load().orElseThrow().content()));
    }

    /** The store does not guess whose write a 412 was (equal bytes proved nothing when two passes wrote alike). */
    @Test
    void a412IsAConflictEvenWhenTheStoredBytesAreTheWritersOwn() {
        String v1 = store.commit("{\"n\":1}".getBytes(), null);
        store.commit("{\"n\":2}".getBytes(), v1);
        assertThrows(CheckpointConflictException.class, () -> store.commit("{\"n\":2}".getBytes(), v1));
    }
}
