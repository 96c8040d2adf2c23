package io.zendeskcrm.collector.sink;

import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Response;

/**
 * Writes each page as one S3 object, create-only ({@code If-None-Match: *}). S3 makes a put visible
 * whole or not at all.
 */
public final class S3Sink implements RecordSink {
    /** 409: another conditional write to the same key was in flight; asking again settles it. */
    private static final int CONFLICT_ATTEMPTS = 3;

    private final S3Client s3;
    private final String bucket;

    public S3Sink(S3Client s3, String bucket) {
        this.s3 = s3;
        this.bucket = bucket;
    }

    /**
     * By the key, not the setting: a request read again after OUTPUT_COMPRESSION changed continues its chain
     * in the compression it was first written in. No Content-Encoding: the feed must receive the .gz file as
     * stored, not a transparently inflated copy.
     */
    private static String contentType(String key) {
        return key.endsWith(".gz") ? "application/gzip" : "application/x-ndjson";
    }

    @Override
    public boolean create(String key, byte[] content) {
        for (int attempt = 1; ; attempt++) {
            try {
                s3.putObject(b -> b.bucket(bucket).key(key).contentType(contentType(key)).ifNoneMatch("*"),
                        RequestBody.fromBytes(content));
                return true;
            } catch (S3Exception e) {
                // 412 also answers an SDK retry whose first attempt landed: the caller reads the object
                // and finds its own records there, so nothing is written twice.
                if (e.statusCode() == 412) return false;
                if (e.statusCode() != 409 || attempt == CONFLICT_ATTEMPTS) throw S3Failure.of(e, bucket, key);
            } catch (SdkClientException e) {
                // No answer after the SDK's retries: a server that refuses a create-only write (412) before
                // reading its body breaks the pipe it is sent on, and a write can land before its answer is
                // lost. An object there now is taken, as after a 412: the caller compares what it holds.
                if (exists(key)) return false;
                throw S3Failure.of(e, bucket, key);
            } catch (SdkException e) {
                throw S3Failure.of(e, bucket, key);
            }
        }
    }

    private boolean exists(String key) {
        try {
            s3.headObject(b -> b.bucket(bucket).key(key));
            return true;
        } catch (NoSuchKeyException e) {
            return false;
        } catch (S3Exception e) {
            if (e.statusCode() == 404) return false;
            throw S3Failure.of(e, bucket, key);
        } catch (SdkException e) {
            throw S3Failure.of(e, bucket, key);
        }
    }

    @Override
    public Optional<byte[]> read(String key) {
        try {
            return Optional.of(s3.getObjectAsBytes(b -> b.bucket(bucket).key(key)).asByteArray());
        } catch (NoSuchKeyException e) {
            return Optional.empty();
        } catch (SdkException e) {
            throw S3Failure.of(e, bucket, key);
        }
    }

    @Override
    public Optional<InputStream> open(String key) {
        try {
            return Optional.of(s3.getObject(b -> b.bucket(bucket).key(key)));
        } catch (NoSuchKeyException e) {
            return Optional.empty();
        } catch (SdkException e) {
            throw S3Failure.of(e, bucket, key);
        }
    }

    @Override
    public List<String> list(String folder) {
        List<String> out = new ArrayList<>();
        try {
            for (ListObjectsV2Response page : s3.listObjectsV2Paginator(b -> b.bucket(bucket).prefix(folder).delimiter("/"))) {
                page.commonPrefixes().forEach(p -> out.add(p.prefix()));
                page.contents().forEach(o -> out.add(o.key()));
            }
        } catch (SdkException e) {
            throw S3Failure.of(e, bucket, folder);
        }
        out.sort(null);
        return out;
    }
}
