package io.zendeskcrm.collector.zendesk;

/** A Zendesk request failed for good: a status that retrying cannot fix, or retries exhausted. */
public class ZendeskException extends RuntimeException {
    private final int status;

    /** @param status the HTTP status that ended the request (200 for an answer that is not JSON), or 0 when retries ran out or the answer made no sense */
    ZendeskException(String message, int status) {
        super(message);
        this.status = status;
    }

    public int status() {
        return status;
    }
}
