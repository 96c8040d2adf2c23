package io.zendeskcrm.collector.zendesk;

/** A Zendesk request failed for good: a status that retrying cannot fix, or retries exhausted. */
public class ZendeskException extends RuntimeException {
    private final boolean retriesExhausted;

    ZendeskException(String message, boolean retriesExhausted) {
        super(message);
        this.retriesExhausted = retriesExhausted;
    }

    /** True when the request kept failing with retryable errors (the next run may succeed). */
    public boolean retriesExhausted() {
        return retriesExhausted;
    }
}
