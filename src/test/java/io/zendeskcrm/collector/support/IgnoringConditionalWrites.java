package io.zendeskcrm.collector.support;

import software.amazon.awssdk.core.ResponseInputStream;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.core.sync.ResponseTransformer;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3ServiceClientConfiguration;
import software.amazon.awssdk.services.s3.model.DeleteObjectRequest;
import software.amazon.awssdk.services.s3.model.DeleteObjectResponse;
import software.amazon.awssdk.services.s3.model.GetObjectRequest;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.HeadObjectRequest;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;
import software.amazon.awssdk.services.s3.model.PutObjectResponse;

/** An S3-compatible store that accepts conditional-write headers and ignores them, as some servers do. */
public final class IgnoringConditionalWrites implements S3Client {
    private final S3Client s3;

    public IgnoringConditionalWrites(S3Client s3) {
        this.s3 = s3;
    }

    @Override
    public PutObjectResponse putObject(PutObjectRequest request, RequestBody body) {
        return s3.putObject(request.toBuilder().ifNoneMatch(null).ifMatch(null).build(), body);
    }

    @Override
    public <T> T getObject(GetObjectRequest request, ResponseTransformer<GetObjectResponse, T> transformer) {
        return s3.getObject(request, transformer);
    }

    @Override
    public ResponseInputStream<GetObjectResponse> getObject(GetObjectRequest request) {
        return s3.getObject(request);
    }

    @Override
    public HeadObjectResponse headObject(HeadObjectRequest request) {
        return s3.headObject(request);
    }

    @Override
    public DeleteObjectResponse deleteObject(DeleteObjectRequest request) {
        return s3.deleteObject(request);
    }

    @Override
    public S3ServiceClientConfiguration serviceClientConfiguration() {
        return s3.serviceClientConfiguration();
    }

    @Override
    public String serviceName() {
        return s3.serviceName();
    }

    @Override
    public void close() {
    }
}
