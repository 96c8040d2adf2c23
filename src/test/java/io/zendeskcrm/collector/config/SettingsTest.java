package io.zendeskcrm.collector.config;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SettingsTest {
    private static Settings load(String... pairs) {
        Map<String, String> env = new HashMap<>();
        for (int i = 0; i < pairs.length; i += 2) env.put(pairs[i], pairs[i + 1]);
        return Settings.load(name -> Optional.ofNullable(env.get(name)));
    }

    private static String error(String... pairs) {
        return assertThrows(SettingsException.class, () -> load(pairs)).getMessage();
    }

    @Test
    void theReferenceLambdasEnvironmentWorksUnchanged() {
        Settings s = load("S3_BUCKET", "zendesk-crm-logs", "S3_PREFIX", "zendesk/crm/", "STATE_KEY", "zendesk/crm-state/state.json",
                "ZENDESK_BASE_URL", "https://acme.zendesk.com/", "AUTH_MODE", "TOKEN", "ZENDESK_EMAIL", "a@acme.com",
                "ZENDESK_API_TOKEN", "t0k", "ZENDESK_BEARER_TOKEN", "", "RESOURCES", " audit_logs , ,incremental_tickets",
                "MAX_PAGES", "20", "LOOKBACK_SECONDS", "3600", "HTTP_TIMEOUT", "60", "HTTP_RETRIES", "3");
        assertEquals("zendesk-crm-logs", s.bucket().orElseThrow());
        assertEquals("zendesk/crm", s.prefix());
        assertEquals("https://acme.zendesk.com", s.zendeskBaseUrl().toString());
        assertEquals(Credentials.AuthMode.TOKEN, s.credentials().mode());
        assertEquals("t0k", s.credentials().secret(Credentials.API_TOKEN).reveal());
        assertEquals(List.of("audit_logs", "incremental_tickets"), s.resources());
        assertEquals(20, s.maxPages());
        assertEquals(Duration.ofHours(1), s.lookback());
        assertEquals(Duration.ofSeconds(60), s.httpTimeout());
        assertEquals(3, s.httpRetries());
        assertFalse(s.stateKeyInsideDataPrefix());
    }

    @Test
    void defaultsAreTheReferenceOnesWithTheStateOutsideTheFeedPrefix() {
        Settings s = load("S3_BUCKET", "b-1", "ZENDESK_BASE_URL", "https://acme.zendesk.com", "ZENDESK_EMAIL", "a@acme.com",
                "ZENDESK_API_TOKEN", "t");
        assertEquals("zendesk/crm", s.prefix());
        assertEquals("zendesk/crm-state/state.json", s.stateKey());
        assertFalse(s.stateKeyInsideDataPrefix());
        assertEquals(Settings.Compression.GZIP, s.compression());
        assertTrue(s.addTimestamp());
        assertEquals(20, s.maxPages());
        assertEquals(3, s.httpRetries());
    }

    @Test
    void bearerModeIsCaseInsensitiveAndNeedsOnlyTheBearerToken() {
        Settings s = load("S3_BUCKET", "b-1", "ZENDESK_BASE_URL", "https://acme.zendesk.com", "AUTH_MODE", "Bearer",
                "ZENDESK_BEARER_TOKEN", "xyz");
        assertEquals(Credentials.AuthMode.BEARER, s.credentials().mode());
        assertEquals("****", s.credentials().secret(Credentials.BEARER_TOKEN).toString());
    }

    @Test
    void oauthModesAskForReadScopesOfTheCollectedStreamsOnly() {
        Settings s = load("S3_BUCKET", "b-1", "ZENDESK_BASE_URL", "https://acme.zendesk.com", "AUTH_MODE", "OAUTH_CLIENT_CREDENTIALS",
                "ZENDESK_OAUTH_CLIENT_ID", "collector", "ZENDESK_OAUTH_CLIENT_SECRET", "cs");
        assertEquals("auditlogs:read tickets:read", s.credentials().scopes());
        Settings tickets = load("S3_BUCKET", "b-1", "ZENDESK_BASE_URL", "https://acme.zendesk.com", "AUTH_MODE", "oauth_refresh_token",
                "ZENDESK_OAUTH_CLIENT_ID", "collector", "ZENDESK_OAUTH_CLIENT_SECRET", "client-secret-1", "ZENDESK_OAUTH_REFRESH_TOKEN", "refresh-1",
                "RESOURCES", "incremental_tickets");
        assertEquals("tickets:read", tickets.credentials().scopes());
        assertEquals("zendesk/crm-state/oauth.json", tickets.credentials().oauthStateKey());
        assertTrue(error("S3_BUCKET", "b-1", "ZENDESK_BASE_URL", "https://acme.zendesk.com", "AUTH_MODE", "oauth_refresh_token",
                "ZENDESK_OAUTH_CLIENT_ID", "c", "ZENDESK_OAUTH_CLIENT_SECRET", "s", "ZENDESK_OAUTH_REFRESH_TOKEN", "r",
                "OAUTH_STATE_KEY", "zendesk/crm/oauth.json").contains("OAUTH_STATE_KEY (zendesk/crm/oauth.json) must lie outside S3_PREFIX"));
        String shown = tickets.credentials().toString() + tickets;
        assertFalse(shown.contains("client-secret-1") || shown.contains("refresh-1"), shown);
    }

    @Test
    void theStateKeyInsideTheDataPrefixIsDetected() {
        Settings s = load("S3_BUCKET", "b-1", "ZENDESK_BASE_URL", "https://acme.zendesk.com", "ZENDESK_EMAIL", "a@acme.com",
                "ZENDESK_API_TOKEN", "t", "STATE_KEY", "zendesk/crm/state.json");
        assertTrue(s.stateKeyInsideDataPrefix());
    }

    @Test
    void everyErrorNamesTheVariableAndTheBadValue() {
        String[] base = {"S3_BUCKET", "b-1", "ZENDESK_BASE_URL", "https://acme.zendesk.com", "ZENDESK_EMAIL", "a@acme.com",
                "ZENDESK_API_TOKEN", "t"};
        assertTrue(error().contains("S3_BUCKET is required"));
        assertTrue(error(with(base, "S3_BUCKET", "Bad_Bucket")).contains("S3_BUCKET (Bad_Bucket)"));
        assertTrue(error(with(base, "MAX_PAGES", "-1")).contains("MAX_PAGES (-1) must be a whole number from 0"));
        assertTrue(error(with(base, "HTTP_TIMEOUT", "1m")).contains("HTTP_TIMEOUT (1m)"));
        assertTrue(error(with(base, "AUTH_MODE", "oauth")).contains(
                "AUTH_MODE (oauth) must be one of token, bearer, oauth_client_credentials, oauth_refresh_token"));
        assertTrue(error(with(base, "AUTH_MODE", "oauth_client_credentials")).contains(
                "ZENDESK_OAUTH_CLIENT_ID is required when AUTH_MODE is oauth_client_credentials"));
        assertTrue(error(with(base, "RESOURCES", "audit_logs,tickets")).contains("unknown stream 'tickets'"));
        assertTrue(error(with(base, "ZENDESK_BASE_URL", "http://acme.zendesk.com")).contains("must use https"));
        assertTrue(error(with(base, "ZENDESK_BASE_URL", "acme")).contains("ZENDESK_BASE_URL (acme)"));
        assertTrue(error(with(base, "START_TIME", "yesterday")).contains("START_TIME (yesterday)"));
        assertTrue(error(with(base, "ZENDESK_EMAIL", "")).contains("ZENDESK_EMAIL is required when AUTH_MODE is token"));
        assertTrue(error(with(base, "AWS_ENDPOINT_URL_S3", "localhost:9000")).contains("AWS_ENDPOINT_URL_S3 (localhost:9000)"));
    }

    @Test
    void aSecretNeverAppearsInAnError() {
        String message = error("S3_BUCKET", "b-1", "ZENDESK_BASE_URL", "https://acme.zendesk.com", "AUTH_MODE", "bearer",
                "ZENDESK_API_TOKEN", "s3cr3t-token", "MAX_PAGES", "x");
        assertFalse(message.contains("s3cr3t-token"), message);
    }

    @Test
    void startTimeAcceptsIsoDatesAndEpochSeconds() {
        assertEquals(Instant.parse("2026-01-01T00:00:00Z"), Settings.instant("START_TIME", "2026-01-01"));
        assertEquals(Instant.parse("2026-01-01T10:00:00Z"), Settings.instant("START_TIME", "2026-01-01T12:00:00+02:00"));
        assertEquals(Instant.ofEpochSecond(1_767_225_600L), Settings.instant("START_TIME", "1767225600"));
    }

    @Test
    void localHttpIsAllowedOnlyForLoopbackOrWhenAskedFor() {
        String[] base = {"OUTPUT_DIR", "/tmp/out", "ZENDESK_EMAIL", "a@acme.com", "ZENDESK_API_TOKEN", "t"};
        assertEquals("http://localhost:8080", load(with(base, "ZENDESK_BASE_URL", "http://localhost:8080")).zendeskBaseUrl().toString());
        assertEquals("http://zd.test", load(with(with(base, "ZENDESK_BASE_URL", "http://zd.test"), "ZENDESK_ALLOW_HTTP", "true"))
                .zendeskBaseUrl().toString());
    }

    private static String[] with(String[] base, String name, String value) {
        String[] out = java.util.Arrays.copyOf(base, base.length + 2);
        out[base.length] = name;
        out[base.length + 1] = value;
        return out;
    }

    @Test
    void accessLogsAreOptInWithTheirOwnWindowAndPageSizeAndTheReadScope() {
        Settings defaults = load("S3_BUCKET", "b-1", "ZENDESK_BASE_URL", "https://acme.zendesk.com", "ZENDESK_EMAIL", "a@acme.com",
                "ZENDESK_API_TOKEN", "t");
        assertEquals(java.util.List.of("audit_logs", "incremental_tickets"), defaults.resources(), "the reference's default");
        assertEquals(1000, defaults.accessLogPageSize());
        assertEquals(java.time.Duration.ofSeconds(300), defaults.accessLogOverlap());
        Settings access = load("S3_BUCKET", "b-1", "ZENDESK_BASE_URL", "https://acme.zendesk.com", "RESOURCES", "access_logs",
                "AUTH_MODE", "oauth_client_credentials", "ZENDESK_OAUTH_CLIENT_ID", "c", "ZENDESK_OAUTH_CLIENT_SECRET", "s");
        assertEquals("read", access.credentials().scopes());
        assertEquals("ACCESS_LOG_PAGE_SIZE (3000) must be a whole number from 1 to 2500", error("S3_BUCKET", "b-1",
                "ZENDESK_BASE_URL", "https://acme.zendesk.com", "ZENDESK_EMAIL", "a", "ZENDESK_API_TOKEN", "t",
                "ACCESS_LOG_PAGE_SIZE", "3000"));
    }

    @Test
    void everyStreamSettingsAdmitsHasAFactory() {
        assertEquals(Settings.KNOWN_RESOURCES, io.zendeskcrm.collector.zendesk.Streams.names());
    }
}
