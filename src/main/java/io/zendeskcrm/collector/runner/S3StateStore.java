package io.zendeskcrm.collector.runner;

import io.zendeskcrm.collector.checkpoint.CheckpointStore;
import io.zendeskcrm.collector.checkpoint.S3CheckpointStore;
import io.zendeskcrm.collector.sink.S3Failure;
import java.util.Optional;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The checkpoint (or the OAuth state) as an S3 object: an {@link S3CheckpointStore} whose failures name the
 * bucket and what to check ("the bucket x does not exist (S3 answered 404 NoSuchBucket); check S3_BUCKET").
 */
final class S3StateStore implements CheckpointStore {
    private final S3CheckpointStore store;
    private final String bucket;
    private final String key;

    S3StateStore(S3Client s3, String bucket, String key) {
        this.store = new S3CheckpointStore(s3, bucket, key);
        this.bucket = bucket;
        this.key = key;
    }

    @Override
    public Optional<Stored> load() {
        try {
            return store.load();
        } catch (SdkException e) {
            throw S3Failure.of(e, bucket, key);
        }
    }

    @Override
    public Optional<String> version() {
        try {
            return store.version();
        } catch (SdkException e) {
            throw S3Failure.of(e, bucket, key);
        }
    }

    @Override
    public String commit(byte[] content, String expectedVersion) {
        try {
            return store.commit(content, expectedVersion);
        } catch (SdkException e) {
            throw S3Failure.of(e, bucket, key);
        }
    }

    @Override
    public Optional<io.zendeskcrm.collector.checkpoint.CheckpointParts> parts() {
        return store.parts();
    }

    @Override
    public String location() {
        return store.location();
    }
}
