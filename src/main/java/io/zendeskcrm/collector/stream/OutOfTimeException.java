package io.zendeskcrm.collector.stream;

/** A retry wait would run past the pass's deadline: the pass stops here and the next one carries on. */
public class OutOfTimeException extends RuntimeException {
    public OutOfTimeException(String message) {
        super(message);
    }
}
