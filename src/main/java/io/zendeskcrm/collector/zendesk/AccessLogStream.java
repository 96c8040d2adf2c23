package io.zendeskcrm.collector.zendesk;

import java.time.Duration;

/**
 * {@code access_logs}: {@code GET /api/v2/access_logs}, what agents and admins read and changed, with
 * cursor pagination over a {@code filter[start]}/{@code filter[end]} window; the cursor goes in the parameter
 * {@code links.next} names ({@code page[after]} or {@code filter[after]}). Records carry a ULID
 * {@code id} and a {@code timestamp}. Zendesk keeps them 90 days and answers 50 requests a minute,
 * often without rate-limit headers: throttling is taken from its 429s.
 */
public final class AccessLogStream {
    public static final String NAME = "access_logs";
    /** Zendesk deletes access logs after this long. */
    public static final Duration RETENTION = Duration.ofDays(90);
    static final String SCOPE_HINT = "access logs need the Advanced Data Privacy and Protection (ADPP) add-on and an"
            + " admin's credentials (OAuth scope read)";

    private AccessLogStream() {}

    /** @param pageSize {@code ACCESS_LOG_PAGE_SIZE} */
    public static WindowedStream.Endpoint endpoint(int pageSize) {
        return new WindowedStream.Endpoint(NAME, "access_logs", "id", "timestamp", pageSize, SCOPE_HINT,
                "check ACCESS_LOG_PAGE_SIZE (" + pageSize + "), which Zendesk may refuse above its maximum", RETENTION,
                (start, end, size, parameter, after) -> (api, auth) -> parameter.equals("filter[after]")
                        ? api.accessLogs(auth, start, end, size, null, after) : api.accessLogs(auth, start, end, size, after, null));
    }
}
