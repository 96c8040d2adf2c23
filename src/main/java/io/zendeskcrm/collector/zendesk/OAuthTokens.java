package io.zendeskcrm.collector.zendesk;

import com.fasterxml.jackson.databind.JsonNode;
import io.zendeskcrm.collector.config.Secret;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * OAuth access tokens from {@code POST /oauth/tokens}, kept for their lifetime and renewed shortly
 * before they expire, or at once after a 401. With {@code client_credentials} the client's id and
 * secret are exchanged directly; with {@code refresh_token} the current refresh token is exchanged,
 * and because Zendesk deletes the old pair on every refresh, the new refresh token is stored through
 * {@link RefreshTokenVault} before the new access token is used.
 */
public final class OAuthTokens implements Authorizer {
    static final String STREAM = "oauth";

    private final ZendeskOAuthApi api;
    private final RetryingRequests requests;
    private final Clock clock;
    private final String clientId;
    private final Secret clientSecret;
    private final String scopes;
    private final RefreshTokenVault vault; // null for client_credentials

    private String accessToken;
    private Instant renewAt = Instant.MAX;
    private ZendeskException refused; // once Zendesk refuses the credentials, no stream asks again in this run

    /** @param vault where the rotating refresh token is kept, or null for the client_credentials grant */
    public OAuthTokens(ZendeskOAuthApi api, RetryingRequests requests, Clock clock, String clientId, Secret clientSecret,
                       String scopes, RefreshTokenVault vault) {
        this.api = api;
        this.requests = requests;
        this.clock = clock;
        this.clientId = clientId;
        this.clientSecret = clientSecret;
        this.scopes = scopes;
        this.vault = vault;
    }

    @Override
    public synchronized String header() {
        if (refused != null) throw refused;
        if (accessToken == null || !clock.instant().isBefore(renewAt)) {
            try {
                obtain();
            } catch (ZendeskException e) {
                if (e.status() != 0) refused = e;
                throw e;
            }
        }
        return "Bearer " + accessToken;
    }

    @Override
    public synchronized boolean renewAfterRejection(String rejected) {
        if (rejected.equals("Bearer " + accessToken)) accessToken = null;
        return true;
    }

    private void obtain() {
        Map<String, Object> body = new LinkedHashMap<>();
        String refreshToken = null;
        if (vault == null) {
            body.put("grant_type", "client_credentials");
        } else {
            refreshToken = vault.current();
            body.put("grant_type", "refresh_token");
            body.put("refresh_token", refreshToken);
        }
        body.put("client_id", clientId);
        body.put("client_secret", clientSecret.reveal());
        body.put("scope", scopes);
        String grant = (String) body.get("grant_type");
        Instant asked = clock.instant();
        JsonNode answer = requests.send(STREAM, "/oauth/tokens (grant_type " + grant + ")", () -> api.tokens(body),
                (status, zendeskSays) -> (vault == null
                        ? "the OAuth client was refused; check ZENDESK_OAUTH_CLIENT_ID and ZENDESK_OAUTH_CLIENT_SECRET"
                        + " and that the client may use the client_credentials grant with scopes '" + scopes + "'"
                        : "the refresh token or the OAuth client was refused (a refresh token is expired, revoked or"
                        + " already used); authorize again and set ZENDESK_OAUTH_REFRESH_TOKEN to the new refresh token")
                        + zendeskSays.map(s -> " (Zendesk says: " + s + ")").orElse(""));
        String token = answer.path("access_token").asText("");
        if (token.isEmpty()) {
            throw new ZendeskException(STREAM + ": Zendesk's token answer for grant_type " + grant + " has no access_token", 0);
        }
        String rotated = answer.path("refresh_token").asText("");
        if (vault != null && !rotated.isEmpty() && !rotated.equals(refreshToken)) {
            // Zendesk has just deleted the old refresh token: the new one is kept before anything else happens.
            vault.replace(rotated);
        }
        accessToken = token;
        renewAt = renewAt(asked, answer.path("expires_in"));
    }

    /** Renew a fifth of the lifetime (at most a minute) before expiry; a token without expires_in is renewed on 401 only. */
    static Instant renewAt(Instant issued, JsonNode expiresIn) {
        if (!expiresIn.canConvertToLong() || expiresIn.asLong() <= 0) return Instant.MAX;
        Duration lifetime = Duration.ofSeconds(expiresIn.asLong());
        Duration early = lifetime.dividedBy(5);
        if (early.compareTo(Duration.ofMinutes(1)) > 0) early = Duration.ofMinutes(1);
        return issued.plus(lifetime).minus(early);
    }
}
