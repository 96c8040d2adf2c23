package io.zendeskcrm.collector.checkpoint;

import io.zendeskcrm.collector.support.Bucket;
import io.zendeskcrm.collector.support.RecordingS3Proxy;
import java.util.List;
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

    /** Confirming ownership before each object write asks for the version only: the document is not read again. */
    @Test
    void confirmingTheOwnerReadsNoDocumentWhileNothingChanged() {
        try (RecordingS3Proxy proxy = new RecordingS3Proxy(server);
             S3Client viaProxy = S3Client.builder().endpointOverride(java.net.URI.create(proxy.url())).forcePathStyle(true)
                     .region(software.amazon.awssdk.regions.Region.US_EAST_1)
                     .credentialsProvider(software.amazon.awssdk.auth.credentials.StaticCredentialsProvider.create(
                             software.amazon.awssdk.auth.credentials.AwsBasicCredentials.create(S3Server.ACCESS_KEY, S3Server.SECRET_KEY)))
                     .build()) {
            FencedCheckpoint mine = FencedCheckpoint.takeOver(new S3CheckpointStore(viaProxy, "state-bucket", "zendesk/crm-state/state.json"), "p");
            proxy.forget();
            for (int page = 0; page < 3; page++) mine.confirmOwner();
            assertEquals(List.of("HEAD", "HEAD", "HEAD"), proxy.methods("state-bucket/zendesk/crm-state/state.json"));

            FencedCheckpoint.takeOver(store, "newer");
            assertThrows(SupersededException.class, mine::confirmOwner);
        }
    }
}
