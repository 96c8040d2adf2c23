package io.zendeskcrm.collector.zendesk;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.zendeskcrm.collector.checkpoint.CheckpointConflictException;
import io.zendeskcrm.collector.checkpoint.CheckpointStore;
import io.zendeskcrm.collector.config.Secret;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.HexFormat;
import java.util.Optional;

/**
 * Where the OAuth state of {@code oauth_refresh_token} lives: an object beside the checkpoint
 * ({@code OAUTH_STATE_KEY}, under {@code OAUTH_STATE_KMS_KEY_ID} when set), replaced with the same
 * compare-and-swap writes. It holds the current refresh token and, beside it, the access token it last
 * yielded, so that every pass (and every overlapping pass) uses that access token until it is due for
 * renewal instead of refreshing again. The configured {@code ZENDESK_OAUTH_REFRESH_TOKEN} is the seed:
 * it is used until a rotated token has been stored, and again whenever the operator sets a different
 * seed (its SHA-256 is stored, never the seed itself).
 *
 * <pre>{"version": 2, "refresh_token": "...", "seed_sha256": "...", "refresh_token_expires_at": "...",
 *  "access_token": "...", "access_token_expires_at": "...", "access_token_renew_at": "..."}</pre>
 *
 * A version 1 document (the refresh token alone) is read as a state without an access token.
 */
public final class RefreshTokenVault {
    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * The stored state. {@code accessToken}, {@code renewAt} and {@code refreshExpiresAt} may be null
     * (nothing stored yet, a version 1 document, or Zendesk did not say).
     */
    record State(String refreshToken, String accessToken, Instant accessExpiresAt, Instant renewAt, Instant refreshExpiresAt) {
        static State seed(String refreshToken) {
            return new State(refreshToken, null, null, null, null);
        }

        /** An access token this pass may use now without refreshing. */
        boolean accessUsableAt(Instant now, String rejected) {
            return accessToken != null && renewAt != null && now.isBefore(renewAt) && !accessToken.equals(rejected);
        }
    }

    private final CheckpointStore store;
    private final Secret seed;
    private String version;

    public RefreshTokenVault(CheckpointStore store, Secret seed) {
        this.store = store;
        this.seed = seed;
    }

    /** Where the state is kept, for messages (the setting that names it is {@code OAUTH_STATE_KEY}). */
    String location() {
        return store.location();
    }

    /** The stored state, read again now (another pass may have refreshed since the last read). */
    State load() {
        Optional<CheckpointStore.Stored> stored = store.load();
        version = stored.map(CheckpointStore.Stored::version).orElse(null);
        if (stored.isEmpty()) return State.seed(seed.reveal());
        JsonNode doc;
        try {
            doc = JSON.readTree(stored.get().content());
        } catch (IOException e) {
            throw new ZendeskException(OAuthTokens.STREAM + ": the stored OAuth state at " + store.location()
                    + " (OAUTH_STATE_KEY) is unreadable; set a fresh ZENDESK_OAUTH_REFRESH_TOKEN to replace it", 0);
        }
        if (!sha256(seed.reveal()).equals(doc.path("seed_sha256").asText())) return State.seed(seed.reveal()); // a new seed was set
        String token = doc.path("refresh_token").asText("");
        if (token.isEmpty()) {
            throw new ZendeskException(OAuthTokens.STREAM + ": " + store.location() + " (OAUTH_STATE_KEY) holds no refresh_token;"
                    + " set a fresh ZENDESK_OAUTH_REFRESH_TOKEN to replace it", 0);
        }
        String access = doc.path("access_token").asText("");
        return new State(token, access.isEmpty() ? null : access, instant(doc, "access_token_expires_at"),
                instant(doc, "access_token_renew_at"), instant(doc, "refresh_token_expires_at"));
    }

    /**
     * The stored access token when it may be used now, read without refreshing: a check must not rotate the
     * refresh token (a refresh whose answer is lost would leave no usable one).
     */
    public Optional<String> storedAccessToken(Instant now) {
        State state = load();
        return state.accessUsableAt(now, null) ? Optional.of(state.accessToken()) : Optional.empty();
    }

    /**
     * Stores {@code state}, whose refresh token Zendesk has just issued, over whatever is stored: a
     * refresh token can only be exchanged once and only the pass that got the answer knows the new one,
     * so a stored token other than this one is an older, already retired one. One write, plus one more
     * after a conflict; a failure is thrown for the caller to retry later.
     */
    void store(State state) {
        ObjectNode doc = JSON.createObjectNode().put("version", 2).put("refresh_token", state.refreshToken())
                .put("seed_sha256", sha256(seed.reveal()));
        if (state.refreshExpiresAt() != null) doc.put("refresh_token_expires_at", state.refreshExpiresAt().toString());
        if (state.accessToken() != null) {
            doc.put("access_token", state.accessToken());
            if (state.accessExpiresAt() != null) doc.put("access_token_expires_at", state.accessExpiresAt().toString());
            if (state.renewAt() != null) doc.put("access_token_renew_at", state.renewAt().toString());
        }
        byte[] content = doc.toString().getBytes(StandardCharsets.UTF_8);
        try {
            version = store.commit(content, version);
        } catch (CheckpointConflictException e) {
            // The object changed since it was read: an earlier attempt of this very write landed (the token
            // Zendesk just issued is unique, so finding it proves it), or it holds an older token.
            Optional<CheckpointStore.Stored> now = store.load();
            version = now.map(CheckpointStore.Stored::version).orElse(null);
            if (now.isPresent() && state.refreshToken().equals(storedToken(now.get()))) return;
            version = store.commit(content, version);
        }
    }

    private static Instant instant(JsonNode doc, String field) {
        String text = doc.path(field).asText("");
        if (text.isEmpty()) return null;
        try {
            return Instant.parse(text);
        } catch (DateTimeParseException e) {
            return null; // treated as unknown: the access token is refreshed, the expiry metric left out
        }
    }

    private static String storedToken(CheckpointStore.Stored stored) {
        try {
            return JSON.readTree(stored.content()).path("refresh_token").asText("");
        } catch (IOException e) {
            return "";
        }
    }

    static String sha256(String value) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
