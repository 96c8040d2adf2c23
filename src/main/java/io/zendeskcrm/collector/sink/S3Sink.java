package io.zendeskcrm.collector.sink;

import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;

/** Writes each page as one S3 object. S3 makes a put visible whole or not at all. */
public final class S3Sink implements RecordSink {
    private final S3Client s3;
    private final String bucket;
    private final String contentType;

    public S3Sink(S3Client s3, String bucket, boolean gzip) {
        this.s3 = s3;
        this.bucket = bucket;
        // No Content-Encoding: the feed must receive the .gz file as stored, not a transparently inflated copy.
        this.contentType = gzip ? "application/gzip" : "application/x-ndjson";
    }

    @Override
    public void write(String key, byte[] content) {
        s3.putObject(b -> b.bucket(bucket).key(key).contentType(contentType), RequestBody.fromBytes(content));
    }
}
