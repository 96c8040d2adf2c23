package io.zendeskcrm.collector.checkpoint;

import io.zendeskcrm.collector.support.Bucket;
import io.zendeskcrm.collector.support.RecordingS3Proxy;
import java.util.List;
import com.fasterxml.jackson.databind.node.ObjectNode;
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

    /**
     * The checkpoint's cost per page is the page's: a window whose overlap holds 100,000 ids (100 pages of
     * 1000) PUTs each page's ids once, not the whole overlap with every page. Prints the bytes PUT.
     */
    @Test
    void aWindowOf100000IdsInItsOverlapPutsEachIdOnce() {
        try (RecordingS3Proxy proxy = new RecordingS3Proxy(server);
             S3Client viaProxy = S3Client.builder().endpointOverride(java.net.URI.create(proxy.url())).forcePathStyle(true)
                     .region(software.amazon.awssdk.regions.Region.US_EAST_1)
                     .credentialsProvider(software.amazon.awssdk.auth.credentials.StaticCredentialsProvider.create(
                             software.amazon.awssdk.auth.credentials.AwsBasicCredentials.create(S3Server.ACCESS_KEY, S3Server.SECRET_KEY)))
                     .build()) {
            FencedCheckpoint mine = FencedCheckpoint.takeOver(new S3CheckpointStore(viaProxy, "state-bucket", "zendesk/crm-state/state.json"), "p");
            long total = 0;
            long largestPage = 0;
            for (int pages = 1; pages <= 100; pages++) {
                proxy.forget();
                mine.commit("access_logs", FencedCheckpointTest.window(pages));
                long put = proxy.puts().stream().mapToLong(r -> r.getBody().length).sum();
                total += put;
                largestPage = Math.max(largestPage, put);
            }
            proxy.forget();
            ObjectNode closed = FencedCheckpointTest.window(100); // the window closes: the last 50 seconds stay in the overlap
            for (int page = 0; page < 50; page++) ((ObjectNode) closed.get("recent")).remove(java.time.Instant.parse("2026-11-20T11:55:00Z").plusSeconds(page).toString());
            mine.commit("access_logs", closed);
            long compaction = proxy.puts().stream().mapToLong(r -> r.getBody().length).sum();
            System.out.printf("checkpoint, 100,000 ids in one overlap: %.1f MB PUT over 100 pages (largest page %.1f KB),"
                    + " %.1f MB at the window's close%n", total / 1e6, largestPage / 1e3, compaction / 1e6);
            assertTrue(largestPage < 64_000, "a page PUT " + largestPage + " bytes");
            assertTrue(total < 4_000_000, "a window PUT " + total + " bytes");
        }
    }
}
