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
    void theOAuthStateKmsKeyIsAKeyIdAnAliasOrAnArnOfEither() {
        String[] base = {"S3_BUCKET", "b-1", "ZENDESK_BASE_URL", "https://acme.zendesk.com", "AUTH_MODE", "oauth_refresh_token",
                "ZENDESK_OAUTH_CLIENT_ID", "c", "ZENDESK_OAUTH_CLIENT_SECRET", "s", "ZENDESK_OAUTH_REFRESH_TOKEN", "r"};
        assertEquals(Optional.empty(), load(base).credentials().oauthStateKmsKeyId());
        for (String key : List.of("1234abcd-12ab-34cd-56ef-1234567890ab", "mrk-1234abcd12ab34cd56ef1234567890ab", "alias/zendesk-oauth",
                "arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab",
                "arn:aws-us-gov:kms:us-gov-west-1:123456789012:alias/zendesk-oauth")) {
            assertEquals(Optional.of(key), load(with(base, "OAUTH_STATE_KMS_KEY_ID", key)).credentials().oauthStateKmsKeyId());
        }
        assertEquals("OAUTH_STATE_KMS_KEY_ID (zendesk-oauth) must name a KMS key: a key id, a key ARN, alias/<name> or an alias ARN",
                error(with(base, "OAUTH_STATE_KMS_KEY_ID", "zendesk-oauth")));
        assertTrue(error(with(base, "OAUTH_STATE_KMS_KEY_ID", "arn:aws:kms:eu-west-1:123456789012:key/zendesk")).startsWith(
                "OAUTH_STATE_KMS_KEY_ID (arn:aws:kms:eu-west-1:123456789012:key/zendesk) must name a KMS key"));
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

    /** Regression: ZENDESK_BASE_URL=https://user:pw@acme.zendesk.com was refused with the password in the message. */
    @Test
    void aUrlsCredentialsNeverAppearInAnError() {
        String[] base = {"S3_BUCKET", "b-1", "ZENDESK_BASE_URL", "https://acme.zendesk.com", "ZENDESK_EMAIL", "a@acme.com",
                "ZENDESK_API_TOKEN", "t"};
        String[][] cases = {
                {"ZENDESK_BASE_URL", "https://user:pa55w0rd@acme.zendesk.com", "https://***@acme.zendesk.com", "must not carry credentials"},
                {"ZENDESK_BASE_URL", "http://user:pa55w0rd@acme.zendesk.com/", "http://***@acme.zendesk.com/", "must not carry credentials"},
                {"ZENDESK_BASE_URL", "user:pa55w0rd@acme.zendesk.com", "***@acme.zendesk.com", "must not carry credentials"},
                {"ZENDESK_BASE_URL", "pa55w0rd@acme.zendesk.com", "***@acme.zendesk.com", "must not carry credentials"},
                {"ZENDESK_BASE_URL", "https://user:pa55 w0rd@acme.zendesk.com", "https://***@acme.zendesk.com", "is not a URL"},
                {"ZENDESK_BASE_URL", "https://user:p@55w0rd@acme.zendesk.com", "https://***@acme.zendesk.com", "must not carry credentials"},
                {"ZENDESK_BASE_URL", "https://acme.zendesk.com/?token=pa55w0rd", "https://acme.zendesk.com/?***", "must not carry a query"},
                {"AWS_ENDPOINT_URL_S3", "http://key:pa55w0rd@localhost:9000", "http://***@localhost:9000", "must not carry credentials"},
                {"AWS_ENDPOINT_URL_S3", "http://localhost:9000/#pa55w0rd", "http://localhost:9000/?***", "must not carry a query"},
                {"MAX_PAGES", "https://user:pa55w0rd@acme.zendesk.com", "https://***@acme.zendesk.com", "must be a whole number"},
        };
        for (String[] c : cases) {
            String message = error(with(base, c[0], c[1]));
            assertTrue(message.startsWith(c[0] + " (" + c[2] + ") " + c[3]), message);
            assertFalse(message.contains("pa55"), message);
        }
    }

    @Test
    void aPortOutsideOneTo65535IsRefusedUpFront() {
        String[] base = {"S3_BUCKET", "b-1", "ZENDESK_BASE_URL", "https://acme.zendesk.com", "ZENDESK_EMAIL", "a@acme.com",
                "ZENDESK_API_TOKEN", "t"};
        assertEquals("ZENDESK_BASE_URL (https://acme.zendesk.com:99999) has port 99999; a port is 1 to 65535",
                error(with(base, "ZENDESK_BASE_URL", "https://acme.zendesk.com:99999")));
        assertEquals("ZENDESK_BASE_URL (https://acme.zendesk.com:0) has port 0; a port is 1 to 65535",
                error(with(base, "ZENDESK_BASE_URL", "https://acme.zendesk.com:0")));
        assertEquals("ZENDESK_BASE_URL (https://acme.zendesk.com:9999999999) has port 9999999999; a port is 1 to 65535",
                error(with(base, "ZENDESK_BASE_URL", "https://acme.zendesk.com:9999999999")));
        assertEquals("AWS_ENDPOINT_URL_S3 (http://localhost:70000) has port 70000; a port is 1 to 65535",
                error(with(base, "AWS_ENDPOINT_URL_S3", "http://localhost:70000")));
        assertEquals(8443, load(with(base, "ZENDESK_BASE_URL", "https://acme.zendesk.com:8443")).zendeskBaseUrl().getPort());
        assertEquals(65535, load(with(base, "AWS_ENDPOINT_URL_S3", "http://localhost:65535")).s3Endpoint().orElseThrow().getPort());
    }

    /** Regression: S3_PREFIX=../x wrote outside OUTPUT_DIR. */
    @Test
    void aDotOrDotDotSegmentInAPrefixOrKeyIsRefused() {
        String[] base = {"OUTPUT_DIR", "/tmp/out", "ZENDESK_BASE_URL", "https://acme.zendesk.com", "ZENDESK_EMAIL", "a@acme.com",
                "ZENDESK_API_TOKEN", "t"};
        assertEquals("S3_PREFIX (../x) must not contain a '.' or '..' segment: keys stay inside OUTPUT_DIR and the bucket's own layout",
                error(with(base, "S3_PREFIX", "../x")));
        assertTrue(error(with(base, "S3_PREFIX", "zendesk/./crm/")).startsWith("S3_PREFIX (zendesk/./crm/) must not contain"));
        assertTrue(error(with(base, "S3_PREFIX", "/zendesk/crm/..")).startsWith("S3_PREFIX (/zendesk/crm/..) must not contain"));
        assertTrue(error(with(base, "STATE_KEY", "../../state.json")).startsWith("STATE_KEY (../../state.json) must not contain"));
        String[] refresh = with(with(with(with(base, "AUTH_MODE", "oauth_refresh_token"), "ZENDESK_OAUTH_CLIENT_ID", "c"),
                "ZENDESK_OAUTH_CLIENT_SECRET", "s"), "ZENDESK_OAUTH_REFRESH_TOKEN", "r");
        assertTrue(error(with(refresh, "OAUTH_STATE_KEY", "state/../oauth.json"))
                .startsWith("OAUTH_STATE_KEY (state/../oauth.json) must not contain"));
        assertEquals("logs..2026/crm", load(with(base, "S3_PREFIX", "logs..2026/crm/")).prefix(), "dots inside a segment are a name");
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

    private static final String[] TOKEN_BASE = {"S3_BUCKET", "b-1", "ZENDESK_BASE_URL", "https://acme.zendesk.com",
            "ZENDESK_EMAIL", "a@acme.com", "ZENDESK_API_TOKEN", "t"};

    /** Regression: RESOURCES="" meant the default but " , ," was an error. */
    @Test
    void resourcesOfBlanksOnlyMeanTheDefaultLikeAnEmptyValue() {
        List<String> defaults = List.of("audit_logs", "incremental_tickets");
        assertEquals(defaults, load(with(TOKEN_BASE, "RESOURCES", "")).resources());
        assertEquals(defaults, load(with(TOKEN_BASE, "RESOURCES", " , ,")).resources());
        assertEquals(List.of("access_logs"), load(with(TOKEN_BASE, "RESOURCES", ", access_logs ,")).resources());
    }

    /** Regression: START_TIME=1960-01-01 (or a lookback of decades) was sent to Zendesk as a negative start_time. */
    @Test
    void aStartBeforeZendeskExistedIsRefused() {
        assertEquals("START_TIME (1960-01-01) is before 2007-01-01T00:00:00Z, older than any Zendesk record; give the moment"
                + " to collect from (ISO 8601 or epoch seconds)", error(with(TOKEN_BASE, "START_TIME", "1960-01-01")));
        assertTrue(error(with(TOKEN_BASE, "START_TIME", "-5")).startsWith("START_TIME (-5) is not an ISO 8601 time"));
        assertTrue(error(with(TOKEN_BASE, "START_TIME", "0")).startsWith("START_TIME (0) is before 2007-01-01T00:00:00Z"));
        assertEquals(Instant.parse("2007-01-01T00:00:00Z"), load(with(TOKEN_BASE, "START_TIME", "2007-01-01")).startTime().orElseThrow());
        assertEquals("LOOKBACK_SECONDS (2000000000) must be a whole number from 1 to 315360000",
                error(with(TOKEN_BASE, "LOOKBACK_SECONDS", "2000000000")));
    }

    /** Regression: ZENDESK_BASE_URL=https://acme.zendesk.com/api/v2 cost a request and a checkpoint before failing. */
    @Test
    void aZendeskBaseUrlWithAPathIsAConfigurationError() {
        assertEquals("ZENDESK_BASE_URL (https://acme.zendesk.com/api/v2) must be the account's address without a path,"
                + " such as https://acme.zendesk.com (the collector adds /api/v2/... itself)",
                error(with(TOKEN_BASE, "ZENDESK_BASE_URL", "https://acme.zendesk.com/api/v2")));
        assertTrue(error(with(TOKEN_BASE, "ZENDESK_BASE_URL", "https://acme.zendesk.com/agent/"))
                .contains("must be the account's address without a path"));
        assertEquals("https://acme.zendesk.com", load(with(TOKEN_BASE, "ZENDESK_BASE_URL", "https://acme.zendesk.com//"))
                .zendeskBaseUrl().toString());
    }

    /** Regression: http://LOCALHOST:8080 was refused although it is localhost. */
    @Test
    void loopbackHostNamesAreMatchedWithoutRegardToCase() {
        assertEquals("http://LOCALHOST:8080", load(with(TOKEN_BASE, "ZENDESK_BASE_URL", "http://LOCALHOST:8080"))
                .zendeskBaseUrl().toString());
    }

    /** Regression: STATE_KEY equal to S3_PREFIX wrote a stray file and blamed OUTPUT_DIR. */
    @Test
    void aStateKeyThatIsTheDataPrefixOrContainsItIsAConfigurationError() {
        assertEquals("STATE_KEY (zendesk/crm) is the data prefix S3_PREFIX (zendesk/crm) itself: objects are written under it;"
                + " keep the checkpoint outside it, such as zendesk/crm-state/state.json",
                error(with(with(TOKEN_BASE, "S3_PREFIX", "zendesk/crm/"), "STATE_KEY", "zendesk/crm")));
        assertTrue(error(with(with(TOKEN_BASE, "S3_PREFIX", "zendesk/state.json/crm"), "STATE_KEY", "zendesk/state.json"))
                .startsWith("STATE_KEY (zendesk/state.json) is a folder of S3_PREFIX (zendesk/state.json/crm)"));
    }

    /** Regression: ZENDESK_BEARER_TOKEN="Bearer abc" (the header's word pasted with the token) was sent as is. */
    @Test
    void aBearerTokenPastedWithItsSchemeWordIsNamedWithoutShowingIt() {
        String message = error("S3_BUCKET", "b-1", "ZENDESK_BASE_URL", "https://acme.zendesk.com", "AUTH_MODE", "bearer",
                "ZENDESK_BEARER_TOKEN", "Bearer s3cr3tvalue");
        assertEquals("ZENDESK_BEARER_TOKEN starts with 'Bearer ': give the access token alone, without the word", message);
        assertFalse(message.contains("s3cr3tvalue"));
        assertEquals("plain", load("S3_BUCKET", "b-1", "ZENDESK_BASE_URL", "https://acme.zendesk.com", "AUTH_MODE", "bearer",
                "ZENDESK_BEARER_TOKEN", "plain").credentials().secret(Credentials.BEARER_TOKEN).reveal());
    }
}
