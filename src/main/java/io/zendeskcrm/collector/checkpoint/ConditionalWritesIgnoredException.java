package io.zendeskcrm.collector.checkpoint;

/**
 * The store replaced an object that a create-only write ({@code If-None-Match: *}) should have left alone:
 * write-once objects and fencing cannot hold there, so the collector refuses to use it.
 */
public class ConditionalWritesIgnoredException extends RuntimeException {
    public ConditionalWritesIgnoredException(String where) {
        super("the store at " + where + " ignores conditional writes: a second create-only write (If-None-Match: *)"
                + " replaced the object instead of being refused with 412, so objects could be replaced and two passes"
                + " could both write; use a store that enforces conditional writes (Amazon S3 does; for an S3-compatible"
                + " server set in AWS_ENDPOINT_URL_S3, a version that supports them)");
    }
}
