package io.zendeskcrm.collector.zendesk;

import com.fasterxml.jackson.databind.JsonNode;
import io.zendeskcrm.collector.config.Secret;
import jakarta.ws.rs.core.Response;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import org.jboss.logging.Logger;

/**
 * OAuth access tokens from {@code POST /oauth/tokens}, used until a fifth of their lifetime is left,
 * or renewed at once after a 401.
 * <p>
 * With {@code client_credentials} the client's id and secret are exchanged directly, once per pass and
 * again as the token ages; nothing is kept between passes (nothing can be lost either: the grant does
 * not rotate, and keeping the token would need a stored secret and a KMS key for the sake of one request).
 * <p>
 * With {@code refresh_token}, Zendesk deletes the previous access and refresh token on every refresh,
 * so a refresh is the one risky step and is made rare: the access token is kept beside the refresh
 * token ({@link RefreshTokenVault}), asked for with Zendesk's longest lifetime, and every pass (and
 * every overlapping pass) reads the stored state before refreshing, after a refusal of the refresh
 * token, and after a 401, using what another pass stored instead of refreshing over it. A rotated
 * refresh token that cannot be stored is kept in use for the rest of the pass and stored again later;
 * {@link #endOfPass()} reports it if it never was. See {@link TokenRefresh} for the refresh itself.
 */
public final class OAuthTokens implements Authorizer {
    static final String STREAM = "oauth";
    private static final Logger LOG = Logger.getLogger(OAuthTokens.class);
    /** Writes of a rotated refresh token at once, with backoff, before the pass goes on without it stored. */
    private static final int STORE_ATTEMPTS = 4;
    /** Then one write every so often while the pass goes on (doubling up to {@link #STORE_RETRY_MAX}). */
    private static final Duration STORE_RETRY_FIRST = Duration.ofSeconds(15);
    private static final Duration STORE_RETRY_MAX = Duration.ofMinutes(2);

    private final ZendeskOAuthApi api;
    private final RetryingRequests requests;
    private final Clock clock;
    private final Sleeper sleeper;
    private final String clientId;
    private final Secret clientSecret;
    private final String scopes;
    private final RefreshTokenVault vault; // null for client_credentials

    private String accessToken;
    private Instant renewAt = Instant.MAX;
    private String rejected; // the last access token Zendesk answered 401 to: never taken from the store again
    private RefreshTokenVault.State held; // refresh_token: the newest state this pass knows
    private RefreshTokenVault.State unstored; // a rotated state Zendesk issued that is not stored yet
    private RuntimeException storeFailure;
    private Instant nextStoreAttempt;
    private int laterStoreAttempts;
    private boolean answerLost;
    private ZendeskException refused; // once Zendesk refuses the credentials, no stream asks again in this run

    /**
     * What the end of a pass reports: how long the refresh token has left (when Zendesk said), and the
     * error of a rotated refresh token that could not be stored.
     */
    public record PassEnd(Optional<Long> refreshTokenExpiresInSeconds, Optional<String> error) {}

    /** @param vault where the OAuth state is kept, or null for the client_credentials grant */
    public OAuthTokens(ZendeskOAuthApi api, RetryingRequests requests, Clock clock, Sleeper sleeper, String clientId,
                       Secret clientSecret, String scopes, RefreshTokenVault vault) {
        this.api = api;
        this.requests = requests;
        this.clock = clock;
        this.sleeper = sleeper;
        this.clientId = clientId;
        this.clientSecret = clientSecret;
        this.scopes = scopes;
        this.vault = vault;
    }

    @Override
    public synchronized String header() {
        if (refused != null) throw refused;
        if (unstored != null && !clock.instant().isBefore(nextStoreAttempt)) storeLater();
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
    public synchronized boolean renewAfterRejection(String rejectedHeader) {
        if (rejectedHeader.equals("Bearer " + accessToken)) {
            rejected = accessToken;
            accessToken = null;
        }
        return true;
    }

    /** Stores a rotated refresh token still unstored, one last time; says loudly when it cannot. */
    public synchronized PassEnd endOfPass() {
        Optional<String> error = Optional.empty();
        if (unstored != null && !storeNow(unstored)) {
            String message = STREAM + ": the rotated refresh token could not be stored at " + vault.location()
                    + " (OAUTH_STATE_KEY): " + describe(storeFailure) + "; Zendesk has retired the stored one,"
                    + " so the next run will be refused: fix access to OAUTH_STATE_KEY, authorize again and set"
                    + " ZENDESK_OAUTH_REFRESH_TOKEN to the new refresh token";
            LOG.error(message);
            error = Optional.of(message);
        }
        Optional<Long> left = Optional.ofNullable(held).map(RefreshTokenVault.State::refreshExpiresAt)
                .map(at -> Duration.between(clock.instant(), at).toSeconds());
        return new PassEnd(left, error);
    }

    private void obtain() {
        if (vault == null) {
            Instant asked = clock.instant();
            JsonNode answer = new TokenRefresh(this).clientCredentials();
            accessToken = answer.path("access_token").asText();
            renewAt = renewAt(asked, answer.path("expires_in"));
            return;
        }
        if (unstored == null) {
            // Another pass may have refreshed since this one last looked: use its token rather than refresh over it.
            held = vault.load();
            if (held.accessUsableAt(clock.instant(), rejected)) {
                use(held);
                return;
            }
        }
        TokenRefresh.Result result = new TokenRefresh(this).refresh(held);
        held = result.state();
        if (result.issued()) rotated(held);
        use(held);
    }

    /** The stored state, read again (for {@link TokenRefresh}). */
    RefreshTokenVault.State reload() {
        return vault.load();
    }

    private void use(RefreshTokenVault.State state) {
        accessToken = state.accessToken();
        renewAt = state.renewAt() != null ? state.renewAt() : Instant.MAX;
    }

    /** A rotated state Zendesk just issued: stored with retries and backoff, or kept in use and stored later. */
    private void rotated(RefreshTokenVault.State state) {
        unstored = state;
        laterStoreAttempts = 0;
        if (storeNow(state)) return;
        nextStoreAttempt = clock.instant().plus(STORE_RETRY_FIRST);
        LOG.warnf("%s: the rotated refresh token could not be stored at %s (OAUTH_STATE_KEY) yet (%s); this pass goes on"
                + " with it and stores it again later", STREAM, vault.location(), describe(storeFailure));
    }

    /** Up to {@link #STORE_ATTEMPTS} writes, backing off 1 s, 2 s, 4 s. */
    private boolean storeNow(RefreshTokenVault.State state) {
        for (int attempt = 1; attempt <= STORE_ATTEMPTS; attempt++) {
            if (attempt > 1) pause(Duration.ofSeconds(1L << (attempt - 2)));
            if (storeOnce(state)) return true;
        }
        return false;
    }

    private void storeLater() {
        if (storeOnce(unstored)) {
            LOG.infof("%s: the rotated refresh token is now stored at %s", STREAM, vault.location());
            return;
        }
        laterStoreAttempts++;
        Duration wait = STORE_RETRY_FIRST.multipliedBy(1L << Math.min(laterStoreAttempts, 4));
        nextStoreAttempt = clock.instant().plus(wait.compareTo(STORE_RETRY_MAX) > 0 ? STORE_RETRY_MAX : wait);
    }

    private boolean storeOnce(RefreshTokenVault.State state) {
        try {
            vault.store(state);
            if (state == unstored) unstored = null;
            return true;
        } catch (RuntimeException e) {
            storeFailure = e;
            return false;
        }
    }

    /** A store's failures name the bucket and what to check, never the content written. */
    private static String describe(RuntimeException e) {
        return e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
    }

    void pause(Duration wait) {
        try {
            sleeper.sleep(wait);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ZendeskException(STREAM + ": interrupted while waiting", 0);
        }
    }

    Map<String, Object> body(String grant) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("grant_type", grant);
        body.put("client_id", clientId);
        body.put("client_secret", clientSecret.reveal());
        body.put("scope", scopes);
        return body;
    }

    <T> T send(String grant, Supplier<Response> request, RetryingRequests.BodyReader<T> reader) {
        return requests.send(STREAM, "/oauth/tokens (grant_type " + grant + ")", request,
                (status, zendeskSays) -> (vault == null
                        ? "the OAuth client was refused; check ZENDESK_OAUTH_CLIENT_ID and ZENDESK_OAUTH_CLIENT_SECRET"
                        + " and that the client may use the client_credentials grant with scopes '" + scopes + "'"
                        : "the refresh token or the OAuth client was refused (a refresh token is expired, revoked or"
                        + " already used); authorize again and set ZENDESK_OAUTH_REFRESH_TOKEN to the new refresh token")
                        + zendeskSays.map(s -> " (Zendesk says: " + s + ")").orElse(""), reader);
    }

    Response post(Map<String, Object> body) {
        return api.tokens(body);
    }

    Clock clock() {
        return clock;
    }

    /**
     * Whether the answer to this pass's latest refresh was lost: Zendesk may have rotated the token without
     * this pass learning the new one (false again once a refresh is answered).
     */
    void answerLost(boolean lost) {
        answerLost = lost;
    }

    boolean wasAnswerLost() {
        return answerLost;
    }

    String rejected() {
        return rejected;
    }

    boolean holdsUnstored() {
        return unstored != null;
    }

    /** Renew when a fifth of the lifetime is left; a token without expires_in is renewed on 401 only. */
    static Instant renewAt(Instant issued, JsonNode expiresIn) {
        if (!expiresIn.canConvertToLong() || expiresIn.asLong() <= 0) return Instant.MAX;
        Duration lifetime = Duration.ofSeconds(expiresIn.asLong());
        return issued.plus(lifetime).minus(lifetime.dividedBy(5));
    }
}
