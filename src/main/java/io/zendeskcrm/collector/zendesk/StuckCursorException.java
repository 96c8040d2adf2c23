package io.zendeskcrm.collector.zendesk;

/**
 * Zendesk answered a page with the cursor it was asked for (or none), and says there is more: asking
 * again would read the same page for ever. The stream fails at that position, naming it, and the next
 * run asks again. Not retried: the answer arrived whole.
 */
public final class StuckCursorException extends ZendeskException {
    public StuckCursorException(String message) {
        super(message, 0);
    }
}
