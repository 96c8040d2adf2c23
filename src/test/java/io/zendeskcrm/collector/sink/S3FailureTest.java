package io.zendeskcrm.collector.sink;

import org.junit.jupiter.api.Test;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.services.s3.model.S3Exception;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Regression: a missing bucket or denied access was S3's bare message, naming neither the bucket nor a setting. */
class S3FailureTest {
    private static S3Exception s3(int status, String code, String message) {
        return (S3Exception) S3Exception.builder().statusCode(status)
                .awsErrorDetails(AwsErrorDetails.builder().errorCode(code).errorMessage(message).serviceName("S3").build())
                .message(message).build();
    }

    private static String message(Exception e) {
        return S3Failure.of((software.amazon.awssdk.core.exception.SdkException) e, "zendesk-logs", "zendesk/crm-state/state.json")
                .getMessage();
    }

    @Test
    void eachCommonRefusalNamesTheBucketAndWhatToCheck() {
        assertEquals("the bucket zendesk-logs does not exist (S3 answered 404 NoSuchBucket); check S3_BUCKET (and AWS_REGION)",
                message(s3(404, "NoSuchBucket", "The specified bucket does not exist")));
        assertEquals("access to s3://zendesk-logs/zendesk/crm-state/state.json was denied (S3 answered 403 AccessDenied); the role"
                + " or user needs s3:GetObject and s3:PutObject on it (and s3:ListBucket for the checkpoint's key), and any KMS key"
                + " of the bucket", message(s3(403, "AccessDenied", "Access Denied")));
        assertEquals("S3 refused the AWS credentials (S3 answered 403 SignatureDoesNotMatch); check AWS_ACCESS_KEY_ID and"
                + " AWS_SECRET_ACCESS_KEY (or the profile or role they come from)",
                message(s3(403, "SignatureDoesNotMatch", "The request signature we calculated does not match")));
        assertEquals("the bucket zendesk-logs is in another region (S3 answered 301 PermanentRedirect); set AWS_REGION to the"
                + " bucket's region", message(s3(301, "PermanentRedirect", "The bucket you are attempting to access must be"
                + " addressed using the specified endpoint.")));
        assertEquals("S3 request for s3://zendesk-logs/zendesk/crm-state/state.json failed: We encountered an internal error."
                + " (S3 answered 500 InternalError)", message(s3(500, "InternalError", "We encountered an internal error.\nPlease retry.")));
        assertEquals("S3 request for s3://zendesk-logs/zendesk/crm-state/state.json failed: Unable to execute HTTP request:"
                + " Connection refused", message(SdkClientException.create("Unable to execute HTTP request: Connection refused")));
    }
}
