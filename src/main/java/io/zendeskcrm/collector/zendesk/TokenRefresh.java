package io.zendeskcrm.collector.zendesk;

import com.fasterxml.jackson.databind.JsonNode;
import io.zendeskcrm.collector.stream.OutOfTimeException;
import jakarta.ws.rs.core.Response;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import org.jboss.logging.Logger;

/**
 * One exchange at {@code POST /oauth/tokens} for {@link OAuthTokens}. A refresh is not idempotent: once
 * Zendesk has answered it, the refresh token sent is gone, whether or not the answer arrived. So:
 * <ul>
 *   <li>an answer lost on the way (an I/O error, a timeout, a 5xx, a body cut off) is remembered, and
 *       before the refresh is sent again the stored state is read again: if another pass stored a newer
 *       token meanwhile, that one is used;</li>
 *   <li>a refusal of the refresh token ({@code invalid_grant}) is not yet a lock-out: another pass may have
 *       refreshed with the same token moments ago, so the stored state is read again (for a few seconds,
 *       while that pass stores its answer) and what it stored is used;</li>
 *   <li>a refusal after a lost answer says so: the lost answer carried the only live token.</li>
 * </ul>
 */
final class TokenRefresh {
    private static final Logger LOG = Logger.getLogger(TokenRefresh.class);
    /**
     * The access-token lifetime asked for with a refresh: Zendesk's longest ({@code expires_in} takes 300 s to
     * 172,800 s). Fewer refreshes mean fewer chances to lose one's answer; a refresh deletes the previous access
     * token, so there is only ever one, kept under the same protection as the refresh token (which is worth more).
     */
    static final long ASKED_LIFETIME_SECONDS = 172_800;
    /** Rounds of refreshing with what another pass stored, before giving up. */
    private static final int MAX_ROUNDS = 3;
    /** Reads of the stored state after a refusal: at once, then after 1 s and 2 s. */
    private static final int READS_AFTER_REFUSAL = 3;

    record Result(RefreshTokenVault.State state, boolean issued) {}

    /** Leaves the request loop when the stored state moved while this pass was about to send a refresh again. */
    private static final class StoreMoved extends ZendeskException {
        final RefreshTokenVault.State stored;

        StoreMoved(RefreshTokenVault.State stored) {
            super(OAuthTokens.STREAM + ": another pass stored a newer refresh token", 0);
            this.stored = stored;
        }
    }

    private final OAuthTokens tokens;

    TokenRefresh(OAuthTokens tokens) {
        this.tokens = tokens;
    }

    JsonNode clientCredentials() {
        Map<String, Object> body = tokens.body("client_credentials");
        return withAccessToken(tokens.send("client_credentials", () -> tokens.post(body), RetryingRequests.JSON_OBJECT),
                "client_credentials");
    }

    /** A state with a usable access token: issued now by Zendesk, or stored by another pass. */
    Result refresh(RefreshTokenVault.State from) {
        RefreshTokenVault.State current = from;
        for (int round = 1; ; round++) {
            try {
                RefreshTokenVault.State issued = exchange(current);
                tokens.answerLost(false);
                return new Result(issued, true);
            } catch (StoreMoved moved) {
                current = moved.stored;
            } catch (OutOfTimeException e) {
                if (tokens.wasAnswerLost()) LOG.warn(lostMessage());
                throw e;
            } catch (ZendeskException e) {
                if (e.status() < 400 || e.status() >= 500) {
                    if (tokens.wasAnswerLost()) throw new ZendeskException(lostMessage() + " (" + e.getMessage() + ")", 0);
                    throw e;
                }
                // Refused. Only the pass holding an unstored rotation knows the newest token; any other pass
                // looks for what a pass that refreshed with the same token moments ago is storing.
                Optional<RefreshTokenVault.State> newer = tokens.holdsUnstored() ? Optional.empty() : newerThan(current.refreshToken());
                if (newer.isEmpty()) throw refusal(e);
                current = newer.get();
            }
            if (current.accessUsableAt(tokens.clock().instant(), tokens.rejected())) return new Result(current, false);
            if (round >= MAX_ROUNDS) {
                throw new ZendeskException(OAuthTokens.STREAM + ": the stored refresh token kept changing while this pass"
                        + " refreshed (" + MAX_ROUNDS + " rounds); another collector may share OAUTH_STATE_KEY", 0);
            }
        }
    }

    private RefreshTokenVault.State exchange(RefreshTokenVault.State from) {
        Map<String, Object> body = tokens.body("refresh_token");
        body.put("refresh_token", from.refreshToken());
        body.put("expires_in", ASKED_LIFETIME_SECONDS);
        boolean[] lostHere = {false};
        Supplier<Response> request = () -> {
            if (lostHere[0] && !tokens.holdsUnstored()) {
                // Not re-sent blindly: the lost answer may have been consumed; another pass may have stored since.
                RefreshTokenVault.State stored = tokens.reload();
                if (!stored.refreshToken().equals(from.refreshToken())) throw new StoreMoved(stored);
            }
            try {
                Response response = tokens.post(body);
                if (response.getStatus() >= 500) lost(lostHere);
                return response;
            } catch (RuntimeException e) {
                lost(lostHere);
                throw e;
            }
        };
        Instant asked = tokens.clock().instant();
        JsonNode answer = withAccessToken(tokens.send("refresh_token", request, in -> {
            try {
                return RetryingRequests.JSON_OBJECT.read(in);
            } catch (IOException e) {
                lost(lostHere);
                throw e;
            }
        }), "refresh_token");
        String rotated = answer.path("refresh_token").asText("");
        if (rotated.isEmpty()) rotated = from.refreshToken(); // not rotated: the token sent stays valid
        JsonNode expiresIn = answer.path("expires_in");
        Instant accessExpiresAt = expiresIn.canConvertToLong() && expiresIn.asLong() > 0 ? asked.plusSeconds(expiresIn.asLong()) : null;
        JsonNode refreshExpiresIn = answer.path("refresh_token_expires_in");
        Instant refreshExpiresAt = refreshExpiresIn.canConvertToLong() && refreshExpiresIn.asLong() > 0
                ? asked.plusSeconds(refreshExpiresIn.asLong())
                : rotated.equals(from.refreshToken()) ? from.refreshExpiresAt() : null;
        return new RefreshTokenVault.State(rotated, answer.path("access_token").asText(), accessExpiresAt,
                OAuthTokens.renewAt(asked, expiresIn), refreshExpiresAt);
    }

    private void lost(boolean[] lostHere) {
        lostHere[0] = true;
        tokens.answerLost(true);
    }

    /** The stored state, if it holds a refresh token other than {@code sent}, read for a few seconds. */
    private Optional<RefreshTokenVault.State> newerThan(String sent) {
        for (int read = 1; read <= READS_AFTER_REFUSAL; read++) {
            if (read > 1) tokens.pause(Duration.ofSeconds(1L << (read - 2)));
            RefreshTokenVault.State stored = tokens.reload();
            if (!stored.refreshToken().equals(sent)) return Optional.of(stored);
        }
        return Optional.empty();
    }

    private ZendeskException refusal(ZendeskException e) {
        if (!tokens.wasAnswerLost()) return e;
        return new ZendeskException(OAuthTokens.STREAM + ": the answer to a refresh was lost, and Zendesk had rotated the"
                + " token: it now refuses the one sent before (HTTP " + e.status() + "); authorize again and set"
                + " ZENDESK_OAUTH_REFRESH_TOKEN to the new refresh token", e.status());
    }

    private static String lostMessage() {
        return OAuthTokens.STREAM + ": the answer to a refresh was lost; Zendesk may have rotated the token; if the next"
                + " run is refused, authorize again and set ZENDESK_OAUTH_REFRESH_TOKEN to the new refresh token";
    }

    private static JsonNode withAccessToken(JsonNode answer, String grant) {
        if (answer.path("access_token").asText("").isEmpty()) {
            throw new ZendeskException(OAuthTokens.STREAM + ": Zendesk's token answer for grant_type " + grant + " has no access_token", 0);
        }
        return answer;
    }
}
