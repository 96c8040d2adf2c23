package io.zendeskcrm.collector.checkpoint;

import java.util.Optional;
import io.zendeskcrm.collector.sink.S3Failure;
import software.amazon.awssdk.core.ResponseBytes;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;
import software.amazon.awssdk.services.s3.model.S3Exception;

/** The checkpoint as one S3 object, replaced with conditional writes ({@code If-Match} / {@code If-None-Match: *}). */
public final class S3CheckpointStore implements CheckpointStore {
    private final S3Client s3;
    private final String bucket;
    private final String key;

    public S3CheckpointStore(S3Client s3, String bucket, String key) {
        this.s3 = s3;
        this.bucket = bucket;
        this.key = key;
    }

    @Override
    public Optional<Stored> load() {
        try {
            ResponseBytes<GetObjectResponse> got = s3.getObjectAsBytes(b -> b.bucket(bucket).key(key));
            return Optional.of(new Stored(got.asByteArray(), got.response().eTag()));
        } catch (NoSuchKeyException e) {
            return Optional.empty();
        }
    }

    @Override
    public Optional<String> version() {
        try {
            return Optional.of(s3.headObject(b -> b.bucket(bucket).key(key)).eTag());
        } catch (NoSuchKeyException e) {
            return Optional.empty();
        } catch (S3Exception e) {
            if (e.statusCode() == 404) return Optional.empty(); // a HEAD answer has no body to name NoSuchKey
            throw e;
        }
    }

    @Override
    public String commit(byte[] content, String expectedVersion) {
        PutObjectRequest.Builder put = PutObjectRequest.builder().bucket(bucket).key(key).contentType("application/json");
        if (expectedVersion == null) {
            put.ifNoneMatch("*");
        } else {
            put.ifMatch(expectedVersion);
        }
        try {
            return s3.putObject(put.build(), RequestBody.fromBytes(content)).eTag();
        } catch (S3Exception e) {
            // 412: the version changed (possibly by this very write, landed before an SDK retry: the
            // caller tells by the owner); 409: a concurrent conditional write to the same key.
            if (e.statusCode() != 412 && e.statusCode() != 409) throw e;
            throw new CheckpointConflictException(location());
        } catch (SdkClientException e) {
            // No answer, after the SDK's own retries: a server that refuses a conditional write before reading
            // its body (412) breaks the pipe the body is sent on, and a write can land before its answer is
            // lost. Either way the caller re-reads and decides by the owner, as after a 412.
            throw new CheckpointConflictException(location());
        }
    }

    @Override
    public String location() {
        return "s3://" + bucket + "/" + key;
    }

    @Override
    public Optional<CheckpointParts> parts() {
        return Optional.of(new Parts());
    }

    /** Parts as objects under {@code key.d/}, created with {@code If-None-Match: *}. */
    private final class Parts implements CheckpointParts {
        @Override
        public boolean create(String name, byte[] content) {
            String part = partKey(name);
            try {
                s3.putObject(b -> b.bucket(bucket).key(part).contentType("application/json").ifNoneMatch("*"),
                        RequestBody.fromBytes(content));
                return true;
            } catch (S3Exception e) {
                if (e.statusCode() == 412) return false;
                throw S3Failure.of(e, bucket, part);
            } catch (SdkClientException e) {
                // No answer (see commit): a part that is there now was there, or is this write's.
                if (read(name).isPresent()) return false;
                throw S3Failure.of(e, bucket, part);
            } catch (SdkException e) {
                throw S3Failure.of(e, bucket, part);
            }
        }

        @Override
        public Optional<byte[]> read(String name) {
            String part = partKey(name);
            try {
                return Optional.of(s3.getObjectAsBytes(b -> b.bucket(bucket).key(part)).asByteArray());
            } catch (NoSuchKeyException e) {
                return Optional.empty();
            } catch (SdkException e) {
                throw S3Failure.of(e, bucket, part);
            }
        }

        @Override
        public void delete(String name) {
            String part = partKey(name);
            try {
                s3.deleteObject(b -> b.bucket(bucket).key(part));
            } catch (SdkException e) {
                throw S3Failure.of(e, bucket, part);
            }
        }

        @Override
        public String location(String name) {
            return "s3://" + bucket + "/" + partKey(name) + s3.serviceClientConfiguration().endpointOverride()
                    .map(endpoint -> " (endpoint " + endpoint + ")").orElse("");
        }

        private String partKey(String name) {
            return key + ".d/" + name;
        }
    }
}
