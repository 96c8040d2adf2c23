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
import java.util.HexFormat;
import java.util.Optional;

/**
 * Where the current OAuth refresh token lives: an object beside the checkpoint ({@code OAUTH_STATE_KEY}),
 * replaced with the same compare-and-swap writes. The configured {@code ZENDESK_OAUTH_REFRESH_TOKEN}
 * is the seed: it is used until a rotated token has been stored, and again whenever the operator
 * sets a different seed (its SHA-256 is stored, never the seed itself).
 *
 * <pre>{"version": 1, "refresh_token": "...", "seed_sha256": "..."}</pre>
 */
public final class RefreshTokenVault {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int STORE_ATTEMPTS = 5;

    private final CheckpointStore store;
    private final Secret seed;
    private String version;

    public RefreshTokenVault(CheckpointStore store, Secret seed) {
        this.store = store;
        this.seed = seed;
    }

    /** The refresh token to exchange next. */
    public String current() {
        Optional<CheckpointStore.Stored> stored = store.load();
        version = stored.map(CheckpointStore.Stored::version).orElse(null);
        if (stored.isEmpty()) return seed.reveal();
        JsonNode doc;
        try {
            doc = JSON.readTree(stored.get().content());
        } catch (IOException e) {
            throw new ZendeskException(OAuthTokens.STREAM + ": the stored refresh token at " + store.location()
                    + " is unreadable; set a fresh ZENDESK_OAUTH_REFRESH_TOKEN to replace it", 0);
        }
        if (!sha256(seed.reveal()).equals(doc.path("seed_sha256").asText())) return seed.reveal(); // a new seed was set
        String token = doc.path("refresh_token").asText("");
        if (token.isEmpty()) {
            throw new ZendeskException(OAuthTokens.STREAM + ": " + store.location() + " holds no refresh_token", 0);
        }
        return token;
    }

    /** Stores the rotated refresh token durably; it must succeed before the new access token is used. */
    void replace(String rotated) {
        ObjectNode doc = JSON.createObjectNode().put("version", 1).put("refresh_token", rotated)
                .put("seed_sha256", sha256(seed.reveal()));
        byte[] content = doc.toString().getBytes(StandardCharsets.UTF_8);
        RuntimeException last = null;
        for (int attempt = 1; attempt <= STORE_ATTEMPTS; attempt++) {
            try {
                version = store.commit(content, version);
                return;
            } catch (CheckpointConflictException e) {
                last = e;
                // The stored object changed: this write landed before a retry (the token Zendesk just
                // issued is unique, so finding it there proves it), or another pass stored its token,
                // which this newer rotation has already retired: store over it.
                Optional<CheckpointStore.Stored> now = store.load();
                if (now.isPresent() && rotated.equals(storedToken(now.get()))) {
                    version = now.get().version();
                    return;
                }
                version = now.map(CheckpointStore.Stored::version).orElse(null);
            } catch (RuntimeException e) {
                last = e;
            }
        }
        throw new ZendeskException(OAuthTokens.STREAM + ": the rotated refresh token could not be stored at " + store.location()
                + " (" + last.getClass().getSimpleName() + "); Zendesk has already retired the previous one, so authorize"
                + " again and set ZENDESK_OAUTH_REFRESH_TOKEN", 0);
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
