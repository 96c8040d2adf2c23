package io.zendeskcrm.collector.sink;

import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;

/** Writes each page as one S3 object. S3 makes a put visible whole or not at all. */
public final class S3Sink implements RecordSink {
    private final S3Client s3;
    private final String bucket;

    public S3Sink(S3Client s3, String bucket) {
        this.s3 = s3;
        this.bucket = bucket;
    }

    @Override
    public void write(String key, byte[] content) {
        s3.putObject(b -> b.bucket(bucket).key(key).contentType("application/x-ndjson"), RequestBody.fromBytes(content));
    }
}
