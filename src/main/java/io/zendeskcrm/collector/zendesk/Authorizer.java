package io.zendeskcrm.collector.zendesk;

/** Supplies the {@code Authorization} header for Zendesk API requests. */
public interface Authorizer {

    /** The header to send now, obtaining or renewing an access token first when needed. */
    String header();

    /**
     * Zendesk answered 401 to {@code rejected}: forget it. Returns true when a new header may succeed
     * (an OAuth token can be renewed), false when the credentials themselves are wrong.
     */
    boolean renewAfterRejection(String rejected);

    /** A fixed header: an API token or a fixed bearer token. */
    static Authorizer fixed(String header) {
        return new Authorizer() {
            @Override
            public String header() {
                return header;
            }

            @Override
            public boolean renewAfterRejection(String rejected) {
                return false;
            }
        };
    }
}
