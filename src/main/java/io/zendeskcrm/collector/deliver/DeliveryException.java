package io.zendeskcrm.collector.deliver;

/** Delivery to SecOps failed for good in this pass; the objects stay pending and the next pass tries again. */
public class DeliveryException extends RuntimeException {
    public DeliveryException(String message) {
        super(message);
    }

    /**
     * The first line of a library's message, cut short: enough to say what went wrong, never a response
     * body that might quote a request (the auth library's messages name the error code and description).
     */
    static String firstLine(Throwable e) {
        String m = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        m = m.lines().findFirst().orElse("").strip();
        return m.length() > 200 ? m.substring(0, 200) + "..." : m;
    }
}
