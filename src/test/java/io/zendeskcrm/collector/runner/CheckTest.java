package io.zendeskcrm.collector.runner;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.zendeskcrm.collector.config.Settings;
import io.zendeskcrm.collector.deliver.AccessTokens;
import io.zendeskcrm.collector.support.CollectorComponentTest;
import io.zendeskcrm.collector.support.CollectorTestResources;
import io.zendeskcrm.collector.support.FakeGoogle;
import io.zendeskcrm.collector.support.FakeZendesk;
import io.zendeskcrm.collector.support.RecordingS3Proxy;
import io.zendeskcrm.collector.support.TestSettings;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.Test;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code check} against the fake Zendesk and S3Proxy: each mistake a first run would meet is one ✘ line. */
@QuarkusTest
@QuarkusTestResource(CollectorTestResources.class)
class CheckTest extends CollectorComponentTest {
    private static final String EXPORT_PARAMS = "per_page";

    private CheckReport check(String... settings) {
        return check(() -> TestSettings.with(settings));
    }

    private CheckReport check(Supplier<Settings> settings) {
        // The fake token exchange is https with a self-signed certificate: its transport trusts it.
        return new Check(collector, clock, sleeper, secOps -> AccessTokens.of(secOps, FakeGoogle::transport))
                .run(settings, Optional.empty());
    }

    private static String[] withSecOps(FakeGoogle google) {
        return new String[] {"SECOPS_INSTANCE", FakeGoogle.INSTANCE, "SECOPS_ENDPOINT", google.endpoint().toString(),
                "SECOPS_CREDENTIAL_CONFIG", new String(google.credentialConfig(), java.nio.charset.StandardCharsets.UTF_8)};
    }

    /** The line of {@code item}, whatever its mark. */
    private static String line(CheckReport report, String item) {
        List<String> found = report.lines().stream().filter(l -> l.substring(2).startsWith(item + ":")).toList();
        assertEquals(1, found.size(), item + " in " + report.lines());
        return found.get(0);
    }

    private void nothingWritten() {
        assertEquals(List.of(), bucket.keys(""), "the check leaves the bucket as it found it");
    }

    @Test
    void aFirstRunThatCanSucceedPassesEveryItemAndWritesNothing() {
        serveFake();

        CheckReport report = check();

        assertTrue(report.ok(), report.lines().toString());
        assertEquals(0, report.exitStatus());
        assertEquals(List.of("settings", "STATE_KEY", "Zendesk (" + zendeskUrl() + ")", "credentials", "audit_logs",
                "incremental_tickets", "clock", "conditional writes", "checkpoint", "objects"),
                report.lines().stream().map(l -> l.substring(2, l.indexOf(": "))).toList());
        report.lines().forEach(l -> assertTrue(l.startsWith("✔ "), l));
        assertEquals("✔ objects: s3://zendesk-logs/zendesk/crm/check-probe may be written", line(report, "objects"));
        // One record asked for, from a one-second window or per_page=1 of the export.
        zendesk.verify(1, getRequestedFor(urlPathEqualTo(AUDIT_PATH)).withQueryParam("page[size]", com.github.tomakehurst.wiremock.client.WireMock.equalTo("1")));
        zendesk.verify(1, getRequestedFor(urlPathEqualTo(TICKETS_PATH)).withQueryParam(EXPORT_PARAMS, com.github.tomakehurst.wiremock.client.WireMock.equalTo("1")));
        nothingWritten();
    }

    @Test
    void aWrongTokenIsRefusedCredentials() {
        serveFake();

        CheckReport report = check("ZENDESK_API_TOKEN", "tok-wrong-0000");

        assertFalse(report.ok());
        assertEquals(1, report.exitStatus());
        assertTrue(line(report, "Zendesk (" + zendeskUrl() + ")").startsWith("✔ "));
        assertEquals("✘ credentials: audit_logs: Zendesk answered 401 at window 2026-11-20T11:00:00Z..2026-11-20T11:00:01Z"
                + " (check): the credentials were rejected; check ZENDESK_EMAIL and ZENDESK_API_TOKEN (AUTH_MODE=token)"
                + " (Zendesk says: Couldn't authenticate you)", line(report, "credentials"));
        assertFalse(String.join("\n", report.lines()).contains("tok-wrong-0000"));
    }

    @Test
    void aMissingScopeFailsThatStreamOnly() {
        serveFake();
        zendesk.stubFor(get(urlPathEqualTo(AUDIT_PATH)).atPriority(1).willReturn(aResponse().withStatus(403)
                .withHeader("Content-Type", "application/json").withBody("{\"error\":\"Forbidden\",\"description\":\"missing scope auditlogs:read\"}")));

        CheckReport report = check();

        assertFalse(report.ok());
        assertTrue(line(report, "credentials").startsWith("✔ "));
        assertEquals("✘ audit_logs: audit_logs: Zendesk answered 403 at window 2026-11-20T11:00:00Z..2026-11-20T11:00:01Z (check):"
                + " access denied; audit logs need the Enterprise plan and an admin whose credentials have the auditlogs:read"
                + " (or read) scope (Zendesk says: Forbidden: missing scope auditlogs:read)", line(report, "audit_logs"));
        assertTrue(line(report, "incremental_tickets").startsWith("✔ "));
    }

    @Test
    void aStreamThePlanDoesNotAllowNamesTheAddOn() {
        serveFake();
        fake.accessLogsEnabled(false);

        CheckReport report = check("RESOURCES", "audit_logs,access_logs");

        assertFalse(report.ok());
        assertTrue(line(report, "audit_logs").startsWith("✔ "));
        String access = line(report, "access_logs");
        assertTrue(access.startsWith("✘ access_logs: access_logs: Zendesk answered 403"), access);
        assertTrue(access.contains("access logs need the Advanced Data Privacy and Protection (ADPP) add-on"), access);
    }

    @Test
    void aClockTenMinutesOffNamesBothTimes() {
        serveFake();
        fake.clockOffset(Duration.ofMinutes(10));

        CheckReport report = check();

        assertFalse(report.ok());
        assertEquals("✘ clock: this machine's clock reads 2026-11-20T12:00:00.437218Z when Zendesk's reads 2026-11-20T12:10:00Z:"
                + " 599 s behind; set it right (NTP): START_TIME, the lookback and the progress are reckoned by it",
                line(report, "clock"));
        report.lines().stream().filter(l -> !l.contains("clock:")).forEach(l -> assertTrue(l.startsWith("✔ "), l));
    }

    @Test
    void aMissingBucketIsNamed() {
        serveFake();

        CheckReport report = check("S3_BUCKET", "no-such-bucket-here");

        assertFalse(report.ok());
        String bucketLine = line(report, "bucket");
        assertTrue(bucketLine.startsWith("✘ bucket: the bucket no-such-bucket-here does not exist (S3 answered 404 NoSuchBucket);"
                + " check S3_BUCKET"), bucketLine);
    }

    @Test
    void aDataPrefixTheRoleMayNotWriteIsDeniedAndNothingIsWritten() {
        serveFake();
        try (RecordingS3Proxy s3 = new RecordingS3Proxy(CollectorTestResources.s3())) {
            s3.denyPuts("zendesk-logs/zendesk/crm/check-probe");

            CheckReport report = check("AWS_ENDPOINT_URL_S3", s3.url());

            assertFalse(report.ok());
            assertTrue(line(report, "conditional writes").startsWith("✔ "));
            assertTrue(line(report, "checkpoint").startsWith("✔ "));
            assertEquals("✘ objects: access to s3://zendesk-logs/zendesk/crm/check-probe was denied (S3 answered 403 AccessDenied);"
                    + " the role or user needs s3:GetObject and s3:PutObject on it (and s3:ListBucket for the checkpoint's key),"
                    + " and any KMS key of the bucket", line(report, "objects"));
            // The checkpoint key was only sent writes that cannot land: If-Match with an ETag it does not have.
            s3.puts("zendesk-logs/zendesk/crm-state/state.json").forEach(put ->
                    assertEquals("\"00000000000000000000000000000000\"", put.getHeader("If-Match")));
            assertEquals(1, s3.puts("zendesk-logs/zendesk/crm-state/state.json").size());
        }
        nothingWritten();
    }

    @Test
    void aStateKeyInsideTheDataPrefixIsRefusedAndNothingIsWritten() {
        serveFake();

        CheckReport report = check("STATE_KEY", "zendesk/crm/state.json");

        assertFalse(report.ok());
        assertEquals("✘ STATE_KEY: STATE_KEY (zendesk/crm/state.json) lies inside S3_PREFIX (zendesk/crm): a SecOps feed on"
                + " that prefix would ingest the checkpoint as logs; move STATE_KEY outside it, such as zendesk/crm-state/state.json",
                line(report, "STATE_KEY"));
        nothingWritten();
    }

    @Test
    void aConfigurationErrorIsOneLineNotAStack() {
        CheckReport report = check("S3_BUCKET", "Logs_Bucket");

        assertEquals(List.of("✘ settings: S3_BUCKET (Logs_Bucket) is not a valid bucket name: 3-63 characters of a-z, 0-9, '.'"
                + " and '-'"), report.lines());
        assertEquals(1, report.exitStatus());
        assertEquals(0, fake.requests());
    }

    @Test
    void aRefreshTokenIsNotRotated() {
        serveFake();

        CheckReport report = check("AUTH_MODE", "oauth_refresh_token", "ZENDESK_OAUTH_CLIENT_ID", FakeZendesk.CLIENT_ID,
                "ZENDESK_OAUTH_CLIENT_SECRET", FakeZendesk.CLIENT_SECRET, "ZENDESK_OAUTH_REFRESH_TOKEN", FakeZendesk.SEED_REFRESH_TOKEN,
                "ZENDESK_EMAIL", null, "ZENDESK_API_TOKEN", null);

        assertTrue(report.ok(), report.lines().toString());
        assertTrue(line(report, "credentials").startsWith("– credentials: AUTH_MODE=oauth_refresh_token and no stored access"
                + " token is valid now: a check does not refresh"), report.lines().toString());
        assertEquals("✔ OAuth state: s3://zendesk-logs/zendesk/crm-state/oauth.json (none stored yet) may be written",
                line(report, "OAuth state"));
        assertEquals(0, fake.refreshes());
        assertEquals(0, fake.tokensIssued());
        nothingWritten();
    }

    @Test
    void aStoredAccessTokenStillValidIsUsedWithoutRefreshing() throws Exception {
        serveFake();
        String access = fake.issueAccessToken(Duration.ofHours(2));
        String seedSha = java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256")
                .digest(FakeZendesk.SEED_REFRESH_TOKEN.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        byte[] state = ("{\"version\":2,\"refresh_token\":\"" + FakeZendesk.SEED_REFRESH_TOKEN + "\",\"seed_sha256\":\"" + seedSha
                + "\",\"access_token\":\"" + access + "\",\"access_token_renew_at\":\"" + clock.instant().plus(Duration.ofHours(1))
                + "\"}").getBytes(java.nio.charset.StandardCharsets.UTF_8);
        bucket.put("zendesk/crm-state/oauth.json", state);

        CheckReport report = check("AUTH_MODE", "oauth_refresh_token", "ZENDESK_OAUTH_CLIENT_ID", FakeZendesk.CLIENT_ID,
                "ZENDESK_OAUTH_CLIENT_SECRET", FakeZendesk.CLIENT_SECRET, "ZENDESK_OAUTH_REFRESH_TOKEN", FakeZendesk.SEED_REFRESH_TOKEN,
                "ZENDESK_EMAIL", null, "ZENDESK_API_TOKEN", null);

        assertTrue(report.ok(), report.lines().toString());
        report.lines().forEach(l -> assertTrue(l.startsWith("✔ "), l));
        assertEquals("✔ OAuth state: s3://zendesk-logs/zendesk/crm-state/oauth.json read and may be written", line(report, "OAuth state"));
        assertEquals(0, fake.refreshes());
        assertEquals(List.of("zendesk/crm-state/oauth.json"), bucket.keys(""));
        assertTrue(java.util.Arrays.equals(state, bucket.bytes("zendesk/crm-state/oauth.json")), "the stored OAuth state is untouched");
    }

    @Test
    void theOAuthStateIsProbedUnderItsKmsKeyWithAWriteThatCannotLand() {
        serveFake();
        try (RecordingS3Proxy s3 = new RecordingS3Proxy(CollectorTestResources.s3())) {
            CheckReport report = check("AWS_ENDPOINT_URL_S3", s3.url(), "AUTH_MODE", "oauth_refresh_token",
                    "ZENDESK_OAUTH_CLIENT_ID", FakeZendesk.CLIENT_ID, "ZENDESK_OAUTH_CLIENT_SECRET", FakeZendesk.CLIENT_SECRET,
                    "ZENDESK_OAUTH_REFRESH_TOKEN", FakeZendesk.SEED_REFRESH_TOKEN, "ZENDESK_EMAIL", null, "ZENDESK_API_TOKEN", null,
                    "OAUTH_STATE_KMS_KEY_ID", "alias/collector-oauth");

            assertTrue(line(report, "OAuth state").startsWith("✔ OAuth state: s3://zendesk-logs/zendesk/crm-state/oauth.json"
                    + " (KMS key alias/collector-oauth) (none stored yet) may be written"), report.lines().toString());
            var puts = s3.puts("zendesk-logs/zendesk/crm-state/oauth.json");
            assertEquals(1, puts.size());
            assertEquals("aws:kms", puts.get(0).getHeader("x-amz-server-side-encryption"));
            assertEquals("alias/collector-oauth", puts.get(0).getHeader("x-amz-server-side-encryption-aws-kms-key-id"));
            assertEquals("\"00000000000000000000000000000000\"", puts.get(0).getHeader("If-Match"));
        }
        nothingWritten();
    }

    @Test
    void anOutputDirThatIsAFileIsNamed(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
        serveFake();
        java.nio.file.Path file = java.nio.file.Files.writeString(dir.resolve("out"), "x");

        CheckReport good = check("OUTPUT_DIR", dir.resolve("logs").toString(), "S3_BUCKET", null);
        CheckReport bad = check("OUTPUT_DIR", file.toString(), "S3_BUCKET", null);

        assertTrue(good.ok(), good.lines().toString());
        assertEquals("✔ OUTPUT_DIR: " + dir.resolve("logs") + " and the checkpoint's folder " + dir.resolve("logs/zendesk/crm-state")
                + " are writable", line(good, "OUTPUT_DIR"));
        try (var files = java.nio.file.Files.walk(dir.resolve("logs"))) {
            assertEquals(0, files.filter(java.nio.file.Files::isRegularFile).count(), "the test files are deleted");
        }
        assertEquals("✘ OUTPUT_DIR: OUTPUT_DIR (" + file + ") is not a directory: a file of that name exists", line(bad, "OUTPUT_DIR"));
    }

    @Test
    void aLambdaTestEventChecksAndReturnsTheLines() throws Exception {
        serveFake();

        RestAssured.given().contentType("application/json").body(java.nio.file.Files.readString(java.nio.file.Path.of("deploy/events/check.json")))
                .when().post("http://" + ConfigProvider.getConfig().getValue("quarkus-internal.aws-lambda.test-api", String.class))
                .then().statusCode(200)
                .body("ok", equalTo(true))
                .body("lines", hasItem("✔ audit_logs: allowed (one request of one record answered)"));
        nothingWritten();
    }

    private String zendeskUrl() {
        return "http://localhost:" + zendesk.port();
    }

    @Test
    void directDeliveryObtainsAGoogleTokenAndImportsNothing() {
        serveFake();
        try (FakeGoogle google = new FakeGoogle()) {
            CheckReport report = check(withSecOps(google));

            assertTrue(report.ok(), report.lines().toString());
            assertEquals("✔ SecOps credentials: a Google access token obtained through SECOPS_CREDENTIAL_CONFIG (workload identity"
                    + " federation)", line(report, "SecOps credentials"));
            assertTrue(line(report, "SecOps logs:import").startsWith("– SecOps logs:import: not tried"), report.lines().toString());
            assertEquals(1, google.tokenExchanges().size(), "the AWS identity was exchanged once");
            assertEquals(List.of(), google.importRequests(), "a check imports nothing into the SIEM");
            nothingWritten();
        }
    }

    @Test
    void aTokenExchangeGoogleRefusesIsNamedWithWhatToCheck() {
        serveFake();
        try (FakeGoogle google = new FakeGoogle()) {
            google.server.stubFor(com.github.tomakehurst.wiremock.client.WireMock.post(urlPathEqualTo("/v1/token"))
                    .willReturn(aResponse().withStatus(400).withHeader("Content-Type", "application/json")
                            .withBody("{\"error\":\"invalid_grant\",\"error_description\":\"The caller does not have"
                                    + " permission\"}")));

            CheckReport report = check(withSecOps(google));

            assertFalse(report.ok());
            String failed = line(report, "SecOps credentials");
            assertTrue(failed.startsWith("✘ SecOps credentials: no Google access token for logs:import: the token exchange of the"
                    + " configuration in SECOPS_CREDENTIAL_CONFIG failed ("), failed);
            assertTrue(failed.contains("invalid_grant") && failed.endsWith("check the workload identity pool's AWS provider and the"
                    + " binding of the function's role"), failed);
            assertFalse(failed.contains(FakeGoogle.AWS_SECRET_ACCESS_KEY) || failed.contains(FakeGoogle.AWS_SESSION_TOKEN), failed);
            assertEquals(List.of(), google.importRequests());
        }
    }
}
