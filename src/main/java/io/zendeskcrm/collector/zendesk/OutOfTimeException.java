package io.zendeskcrm.collector.zendesk;

/** A retry wait would run past the pass's deadline: the pass stops here and the next one carries on. */
public class OutOfTimeException extends RuntimeException {
    OutOfTimeException(String message) {
        super(message);
    }
}
