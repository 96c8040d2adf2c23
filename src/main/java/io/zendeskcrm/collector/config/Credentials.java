package io.zendeskcrm.collector.config;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * How the collector signs in to Zendesk: the mode and its credentials, validated together. Secrets
 * are kept by the name of the variable that gave them, so every message can name the variable
 * without showing the value.
 *
 * @param scopes             OAuth scopes asked for (space-separated)
 * @param oauthStateKey      where a rotated OAuth refresh token is kept (beside the checkpoint)
 * @param oauthStateKmsKeyId the KMS key the OAuth state object is written under in S3 (SSE-KMS), if any
 */
public record Credentials(AuthMode mode, Optional<String> email, Optional<String> clientId, Map<String, Secret> secrets,
                          String scopes, String oauthStateKey, Optional<String> oauthStateKmsKeyId) {

    public static final String API_TOKEN = "ZENDESK_API_TOKEN";
    public static final String BEARER_TOKEN = "ZENDESK_BEARER_TOKEN";
    public static final String CLIENT_SECRET = "ZENDESK_OAUTH_CLIENT_SECRET";
    public static final String REFRESH_TOKEN = "ZENDESK_OAUTH_REFRESH_TOKEN";
    public static final String DEFAULT_OAUTH_STATE_KEY = "zendesk/crm-state/oauth.json";
    /** A KMS key id (or multi-Region key id), alias/name, or the ARN of either. */
    private static final Pattern KMS_KEY;

    static {
        String id = "(?:[0-9a-fA-F]{8}(?:-[0-9a-fA-F]{4}){3}-[0-9a-fA-F]{12}|mrk-[0-9a-fA-F]{32})";
        String alias = "alias/[A-Za-z0-9/_-]+";
        String arn = "arn:aws[a-z-]*:kms:[a-z0-9-]+:\\d{12}:";
        KMS_KEY = Pattern.compile(id + "|" + alias + "|" + arn + "key/" + id + "|" + arn + alias);
    }

    public enum AuthMode {
        /** HTTP Basic {@code email/token:api_token}; Zendesk stops accepting API tokens on 2027-04-30. */
        TOKEN,
        /** A fixed OAuth access token. */
        BEARER,
        /** Client id and secret exchanged for short-lived access tokens, renewed before they expire. */
        OAUTH_CLIENT_CREDENTIALS,
        /** A rotating refresh token exchanged for access tokens; each new refresh token is stored before use. */
        OAUTH_REFRESH_TOKEN
    }

    static Credentials load(Settings.Reader r, List<String> resources) {
        AuthMode mode = r.choice("AUTH_MODE", "token", AuthMode.class);
        Optional<String> email = r.optional("ZENDESK_EMAIL");
        Optional<String> clientId = r.optional("ZENDESK_OAUTH_CLIENT_ID");
        Map<String, Secret> secrets = new LinkedHashMap<>();
        for (String name : List.of(API_TOKEN, BEARER_TOKEN, CLIENT_SECRET, REFRESH_TOKEN)) {
            r.optional(name).ifPresent(v -> secrets.put(name, new Secret(v)));
        }
        String modeName = mode.name().toLowerCase(Locale.ROOT);
        List<String> needed = switch (mode) {
            case TOKEN -> List.of("ZENDESK_EMAIL", API_TOKEN);
            case BEARER -> List.of(BEARER_TOKEN);
            case OAUTH_CLIENT_CREDENTIALS -> List.of("ZENDESK_OAUTH_CLIENT_ID", CLIENT_SECRET);
            case OAUTH_REFRESH_TOKEN -> List.of("ZENDESK_OAUTH_CLIENT_ID", CLIENT_SECRET, REFRESH_TOKEN);
        };
        for (String name : needed) {
            boolean present = switch (name) {
                case "ZENDESK_EMAIL" -> email.isPresent();
                case "ZENDESK_OAUTH_CLIENT_ID" -> clientId.isPresent();
                default -> secrets.containsKey(name);
            };
            if (!present) throw new SettingsException(name + " is required when AUTH_MODE is " + modeName);
        }
        Secret bearer = secrets.get(BEARER_TOKEN);
        if (mode == AuthMode.BEARER && bearer.reveal().regionMatches(true, 0, "Bearer ", 0, 7)) {
            throw new SettingsException(BEARER_TOKEN + " starts with 'Bearer ': give the access token alone, without the word");
        }
        // Least privilege by default: read scopes for exactly the streams collected.
        String defaultScopes = resources.stream()
                .map(Credentials::readScope)
                .collect(Collectors.joining(" "));
        String scopes = r.optional("ZENDESK_OAUTH_SCOPES").orElse(defaultScopes);
        String stateKey = Settings.normalizeKey("OAUTH_STATE_KEY", r.optional("OAUTH_STATE_KEY").orElse(DEFAULT_OAUTH_STATE_KEY));
        Optional<String> kmsKey = r.optional("OAUTH_STATE_KMS_KEY_ID");
        kmsKey.ifPresent(k -> {
            if (!KMS_KEY.matcher(k).matches()) {
                throw new SettingsException("OAUTH_STATE_KMS_KEY_ID (" + Settings.shown(k) + ") must name a KMS key: a key id,"
                        + " a key ARN, alias/<name> or an alias ARN");
            }
        });
        return new Credentials(mode, email, clientId, Map.copyOf(secrets), scopes, stateKey, kmsKey);
    }

    public Secret secret(String name) {
        Secret s = secrets.get(name);
        if (s == null) throw new IllegalStateException(name + " is not set"); // load() checked the mode's needs
        return s;
    }

    /**
     * The narrowest scope that reads a stream. Access logs document no scope of their own: the broad
     * {@code read} scope is the one that works.
     */
    static String readScope(String stream) {
        return switch (stream) {
            case Settings.AUDIT_LOGS -> "auditlogs:read";
            case Settings.ACCESS_LOGS -> "read";
            default -> "tickets:read";
        };
    }

    /** The same credentials with some secrets replaced (references resolved to values). */
    public Credentials withSecrets(Map<String, Secret> replaced) {
        Map<String, Secret> merged = new LinkedHashMap<>(secrets);
        merged.putAll(replaced);
        return new Credentials(mode, email, clientId, Map.copyOf(merged), scopes, oauthStateKey, oauthStateKmsKeyId);
    }

    /** The settings that hold this mode's credentials, for a message about rejected credentials. */
    public String describe() {
        return switch (mode) {
            case TOKEN -> "ZENDESK_EMAIL and ZENDESK_API_TOKEN (AUTH_MODE=token)";
            case BEARER -> "ZENDESK_BEARER_TOKEN (AUTH_MODE=bearer)";
            case OAUTH_CLIENT_CREDENTIALS -> "ZENDESK_OAUTH_CLIENT_ID and ZENDESK_OAUTH_CLIENT_SECRET (AUTH_MODE=oauth_client_credentials)";
            case OAUTH_REFRESH_TOKEN -> "the OAuth client and refresh token (AUTH_MODE=oauth_refresh_token)";
        };
    }

    @Override
    public String toString() {
        return "Credentials[" + mode + ", secrets " + secrets.keySet() + "]";
    }
}
