package io.zendeskcrm.collector.zendesk;

import com.fasterxml.jackson.databind.JsonNode;
import jakarta.ws.rs.core.Response;

/**
 * Zendesk API requests with credentials: each goes through {@link RetryingRequests}; a 401 renews an
 * OAuth access token once and repeats the request, and otherwise fails naming the credential settings.
 */
public final class ZendeskClient {
    private final ZendeskApi api;
    private final RetryingRequests requests;
    private final Authorizer authorizer;
    private final String credentialNames;

    /** @param credentialNames the settings that hold the credentials, named in a 401 message */
    public ZendeskClient(ZendeskApi api, RetryingRequests requests, Authorizer authorizer, String credentialNames) {
        this.api = api;
        this.requests = requests;
        this.authorizer = authorizer;
        this.credentialNames = credentialNames;
    }

    /** Zendesk's clock, as its answers to these requests show it. */
    public ZendeskTime zendeskTime() {
        return requests.zendeskTime();
    }

    /** One request to one endpoint, given the API and the Authorization header to send. */
    @FunctionalInterface
    public interface Call {
        Response send(ZendeskApi api, String authorization);
    }

    /**
     * What a refusal means for one endpoint.
     *
     * @param forbidden  what a 403 means (plan, add-on, role, scope)
     * @param badRequest what to check after a 400 besides the request's window or cursor, or null
     */
    public record Hints(String forbidden, String badRequest) {
        public static Hints forbidden(String forbidden) {
            return new Hints(forbidden, null);
        }
    }

    /**
     * @param stream the stream, for messages and counts
     * @param where  the position being read (a cursor or a time window; never a secret), for messages
     */
    public JsonNode get(String stream, String where, Hints hints, Call call) {
        return get(stream, where, hints, call, RetryingRequests.JSON_OBJECT);
    }

    /** As {@link #get(String, String, Hints, Call)}, reading the answer's body as it arrives with {@code reader}. */
    public <T> T get(String stream, String where, Hints hints, Call call, RetryingRequests.BodyReader<T> reader) {
        String header = authorizer.header();
        try {
            return send(stream, where, hints, call, header, reader);
        } catch (ZendeskException e) {
            if (e.status() != 401 || !authorizer.renewAfterRejection(header)) throw e;
            return send(stream, where, hints, call, authorizer.header(), reader);
        }
    }

    private <T> T send(String stream, String where, Hints hints, Call call, String header, RetryingRequests.BodyReader<T> reader) {
        return requests.send(stream, where, () -> call.send(api, header), (status, zendeskSays) -> switch (status) {
            case 401 -> "the credentials were rejected; check " + credentialNames;
            case 400 -> "the request was refused" + (hints.badRequest() != null ? "; " + hints.badRequest() : "");
            case 403 -> "access denied; " + hints.forbidden();
            case 404 -> "not found; check ZENDESK_BASE_URL (https://<subdomain>.zendesk.com)";
            case 301, 302, 303, 307, 308 -> "redirected elsewhere (not followed, so the credentials go nowhere else); check"
                    + " ZENDESK_BASE_URL (https://<subdomain>.zendesk.com)";
            default -> "the request was refused";
        } + zendeskSays.map(s -> " (Zendesk says: " + s + ")").orElse(""), reader);
    }
}
