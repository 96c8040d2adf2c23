package io.zendeskcrm.collector.support;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;

/**
 * Google's side of direct delivery, local: the STS token exchange (the configuration's {@code token_url}),
 * AWS's instance metadata that the external-account flow reads the role's credentials from when they are
 * not in the environment, and Chronicle's {@code logs:import}.
 */
public final class FakeGoogle implements AutoCloseable {
    public static final String INSTANCE = "projects/acme-secops/locations/us/instances/0f1e2d3c-aaaa-bbbb-cccc-123456789abc";
    public static final String AUDIENCE = "//iam.googleapis.com/projects/123456789/locations/global/workloadIdentityPools/zendesk/providers/aws";
    public static final String ACCESS_TOKEN = "ya29.fake-access-token-5e1f9c";
    public static final String AWS_ACCESS_KEY_ID = "ASIAFAKEROLEKEY0001";
    public static final String AWS_SECRET_ACCESS_KEY = "role-secret-key-7d3a91c2";
    public static final String AWS_SESSION_TOKEN = "role-session-token-c0ffee42";
    public static final String IMPORT_PATH = "/v1beta/" + INSTANCE + "/logTypes/ZENDESK_CRM/logs:import";
    private static final ObjectMapper JSON = new ObjectMapper();

    public final WireMockServer server = new WireMockServer(options().dynamicPort().dynamicHttpsPort()
            .bindAddress("127.0.0.1"));

    public FakeGoogle() {
        server.start();
        answerImports(200);
    }

    /** The plain-http address (WireMock's base URL is its https one once https is on). */
    private String http() {
        return "http://127.0.0.1:" + server.port();
    }

    public URI endpoint() {
        return URI.create(http());
    }

    /**
     * The external-account configuration {@code gcloud iam workload-identity-pools create-cred-config --aws} writes,
     * with the token exchange and the instance metadata here.
     */
    public byte[] credentialConfig() {
        String base = http();
        return ("{\"type\":\"external_account\",\"audience\":\"" + AUDIENCE + "\","
                + "\"subject_token_type\":\"urn:ietf:params:aws:token-type:aws4_request\","
                + "\"token_url\":\"https://localhost:" + server.httpsPort() + "/v1/token\","
                + "\"credential_source\":{\"environment_id\":\"aws1\","
                + "\"region_url\":\"" + base + "/latest/meta-data/placement/availability-zone\","
                + "\"url\":\"" + base + "/latest/meta-data/iam/security-credentials\","
                + "\"regional_cred_verification_url\":\"https://sts.{region}.amazonaws.com?Action=GetCallerIdentity&Version=2011-06-15\"}}")
                .getBytes(StandardCharsets.UTF_8);
    }

    /** Google's HTTP transport for the auth library, trusting this server's self-signed certificate (the library wants https). */
    public static com.google.api.client.http.javanet.NetHttpTransport transport() {
        try {
            return new com.google.api.client.http.javanet.NetHttpTransport.Builder().doNotValidateCertificate().build();
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** {@code logs:import} answers these statuses in turn, then the last one for ever. */
    public void answerImports(int... statuses) {
        server.resetMappings(); // the token exchange and the metadata are stubbed again with them
        server.resetScenarios();
        stubAuth();
        for (int i = 0; i < statuses.length; i++) {
            String state = i == 0 ? Scenario.STARTED : "answer-" + i;
            var m = post(urlPathEqualTo(IMPORT_PATH)).inScenario("imports").whenScenarioStateIs(state)
                    .willReturn(answer(statuses[i]));
            server.stubFor(i < statuses.length - 1 ? m.willSetStateTo("answer-" + (i + 1)) : m);
        }
    }

    /** The token exchange answers these statuses in turn (200 with a token, else an OAuth error), then the last one for ever. */
    public void answerTokenExchanges(int... statuses) {
        for (int i = 0; i < statuses.length; i++) {
            String state = i == 0 ? Scenario.STARTED : "exchange-" + i;
            ResponseDefinitionBuilder answer = statuses[i] == 200 ? token()
                    : aResponse().withStatus(statuses[i]).withHeader("Content-Type", "application/json")
                            .withBody("{\"error\":\"" + (statuses[i] == 400 ? "invalid_grant" : "temporarily_unavailable")
                                    + "\",\"error_description\":\"The token exchange failed.\"}");
            var m = post(urlEqualTo("/v1/token")).atPriority(1).inScenario("exchanges").whenScenarioStateIs(state).willReturn(answer);
            server.stubFor(i < statuses.length - 1 ? m.willSetStateTo("exchange-" + (i + 1)) : m);
        }
    }

    private static ResponseDefinitionBuilder token() {
        return aResponse().withStatus(200).withHeader("Content-Type", "application/json")
                .withBody("{\"access_token\":\"" + ACCESS_TOKEN + "\",\"issued_token_type\":"
                        + "\"urn:ietf:params:oauth:token-type:access_token\",\"token_type\":\"Bearer\",\"expires_in\":3600}");
    }

    private void stubAuth() {
        server.stubFor(post(urlEqualTo("/v1/token")).willReturn(token()));
        server.stubFor(get(urlEqualTo("/latest/meta-data/placement/availability-zone")).willReturn(aResponse().withBody("us-east-1b")));
        server.stubFor(get(urlEqualTo("/latest/meta-data/iam/security-credentials")).willReturn(aResponse().withBody("collector-role")));
        server.stubFor(get(urlEqualTo("/latest/meta-data/iam/security-credentials/collector-role")).willReturn(aResponse()
                .withHeader("Content-Type", "application/json")
                .withBody("{\"AccessKeyId\":\"" + AWS_ACCESS_KEY_ID + "\",\"SecretAccessKey\":\"" + AWS_SECRET_ACCESS_KEY
                        + "\",\"Token\":\"" + AWS_SESSION_TOKEN + "\"}")));
    }

    private static ResponseDefinitionBuilder answer(int status) {
        ResponseDefinitionBuilder r = aResponse().withStatus(status).withHeader("Content-Type", "application/json");
        return switch (status) {
            case 200 -> r.withBody("{}");
            case 429 -> r.withHeader("Retry-After", "7").withBody(error(429, "RESOURCE_EXHAUSTED", "Quota exceeded"));
            case 403 -> r.withBody(error(403, "PERMISSION_DENIED", "Permission 'chronicle.logs.import' denied on resource"));
            case 404 -> r.withBody(error(404, "NOT_FOUND", "Requested entity was not found."));
            case 400 -> r.withBody(error(400, "INVALID_ARGUMENT", "Request contains an invalid argument."));
            default -> r.withBody(error(status, "UNAVAILABLE", "The service is currently unavailable."));
        };
    }

    private static String error(int code, String status, String message) {
        return "{\"error\":{\"code\":" + code + ",\"message\":\"" + message + "\",\"status\":\"" + status + "\"}}";
    }

    /** Every {@code logs:import} request received, in order. */
    public List<LoggedRequest> importRequests() {
        return server.findAll(postRequestedFor(urlPathEqualTo(IMPORT_PATH)));
    }

    /** The records of every import request answered or not, decoded from base64, request by request. */
    public List<List<byte[]>> importedRecords() {
        List<List<byte[]>> out = new ArrayList<>();
        for (LoggedRequest r : importRequests()) {
            List<byte[]> records = new ArrayList<>();
            for (JsonNode log : json(r.getBody()).path("inlineSource").path("logs")) {
                records.add(Base64.getDecoder().decode(log.get("data").asText()));
            }
            out.add(records);
        }
        return out;
    }

    /** The token exchange's requests, each as its form fields. */
    public List<Map<String, String>> tokenExchanges() {
        List<Map<String, String>> out = new ArrayList<>();
        for (LoggedRequest r : server.findAll(postRequestedFor(urlEqualTo("/v1/token")))) {
            Map<String, String> form = new LinkedHashMap<>();
            for (String pair : r.getBodyAsString().split("&")) {
                int eq = pair.indexOf('=');
                form.put(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
                        URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
            }
            out.add(form);
        }
        return out;
    }

    public static JsonNode json(byte[] body) {
        try {
            return JSON.readTree(body);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        server.stop();
    }
}
