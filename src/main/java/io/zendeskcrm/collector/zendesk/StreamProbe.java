package io.zendeskcrm.collector.zendesk;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;

/**
 * One cheap request to a stream's endpoint, with the stream's own hints, to learn whether the account
 * and the credentials may read it (plan, add-on, role, OAuth scope): one record at most, from a window
 * an hour back. Nothing is kept or written.
 */
public final class StreamProbe {
    /** Far enough back to be in the past by either clock and inside every retention; one second wide. */
    static final Duration BACK = Duration.ofHours(1);

    private StreamProbe() {}

    /**
     * @param zendeskNow Zendesk's present (its clock once it has answered)
     * @throws ZendeskException with the message a pass would give for the same refusal
     */
    public static void probe(String stream, ZendeskClient client, Instant zendeskNow) {
        Instant start = zendeskNow.minus(BACK).truncatedTo(ChronoUnit.SECONDS);
        String from = start.toString();
        String to = start.plusSeconds(1).toString();
        String where = "window " + from + ".." + to + " (check)";
        switch (stream) {
            case AuditLogStream.NAME -> client.get(stream, where, ZendeskClient.Hints.forbidden(AuditLogStream.SCOPE_HINT),
                    (api, auth) -> api.auditLogs(auth, List.of(from, to), "created_at", 1, null));
            case AccessLogStream.NAME -> client.get(stream, where, ZendeskClient.Hints.forbidden(AccessLogStream.SCOPE_HINT),
                    (api, auth) -> api.accessLogs(auth, from, to, 1, null, null));
            case TicketStream.NAME -> client.get(stream, "start_time " + start.getEpochSecond() + " (check)",
                    ZendeskClient.Hints.forbidden(TicketStream.SCOPE_HINT),
                    (api, auth) -> api.tickets(auth, start.getEpochSecond(), null, 1, "all"));
            default -> throw new IllegalArgumentException("unknown stream " + stream);
        }
    }
}
