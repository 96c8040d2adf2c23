package io.zendeskcrm.collector.config;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** SECOPS_* and the credential configuration: off by default, and every mistake one line naming the setting. */
class SecOpsSettingsTest {
    static final String INSTANCE = "projects/acme/locations/us/instances/0f1e2d3c";
    static final String CONFIG = "{\"type\":\"external_account\",\"audience\":\"//iam.googleapis.com/projects/1/locations/global/"
            + "workloadIdentityPools/p/providers/aws\",\"subject_token_type\":\"urn:ietf:params:aws:token-type:aws4_request\","
            + "\"token_url\":\"https://sts.googleapis.com/v1/token\",\"credential_source\":{\"environment_id\":\"aws1\"}}";
    @TempDir
    Path dir;

    static Settings load(String... pairs) {
        Map<String, String> env = new HashMap<>(Map.of("OUTPUT_DIR", "/tmp/out", "ZENDESK_BASE_URL", "https://acme.zendesk.com",
                "ZENDESK_EMAIL", "a@acme.com", "ZENDESK_API_TOKEN", "tok"));
        for (int i = 0; i < pairs.length; i += 2) env.put(pairs[i], pairs[i + 1]);
        return Settings.load(name -> Optional.ofNullable(env.get(name)));
    }

    static String error(String... pairs) {
        return assertThrows(SettingsException.class, () -> load(pairs)).getMessage();
    }

    @Test
    void deliveryIsOffByDefault() {
        assertTrue(load().secOps().isEmpty());
        assertTrue(load("SECOPS_REGION", "us", "SECOPS_INSTANCE", " ").secOps().isEmpty(), "blank is unset");
    }

    @Test
    void theInstanceRegionAndAFileMakeTheImportAddress() throws Exception {
        Path file = Files.writeString(dir.resolve("wif.json"), CONFIG);
        SecOps s = load("SECOPS_INSTANCE", INSTANCE, "SECOPS_REGION", "europe-west2",
                "GOOGLE_APPLICATION_CREDENTIALS", file.toString()).secOps().orElseThrow();
        assertEquals("https://europe-west2-chronicle.googleapis.com/v1beta/" + INSTANCE + "/logTypes/ZENDESK_CRM/logs:import",
                s.importUri().toString());
        assertEquals(CONFIG, new String(s.credentialConfig(), StandardCharsets.UTF_8));
        SecOps inline = load("SECOPS_INSTANCE", INSTANCE, "SECOPS_ENDPOINT", "http://127.0.0.1:8089/",
                "SECOPS_CREDENTIAL_CONFIG", CONFIG).secOps().orElseThrow();
        assertEquals("http://127.0.0.1:8089/v1beta/" + INSTANCE + "/logTypes/ZENDESK_CRM/logs:import", inline.importUri().toString());
    }

    @Test
    void mistakesNameTheSetting() throws Exception {
        assertEquals("SECOPS_INSTANCE (acme/us/0f1e) must be projects/{project}/locations/{location}/instances/{instance},"
                + " as the SecOps settings page shows it", error("SECOPS_INSTANCE", "acme/us/0f1e"));
        assertTrue(error("SECOPS_INSTANCE", INSTANCE, "SECOPS_CREDENTIAL_CONFIG", CONFIG).startsWith("SECOPS_REGION is required"));
        assertTrue(error("SECOPS_INSTANCE", INSTANCE, "SECOPS_REGION", "us").startsWith("GOOGLE_APPLICATION_CREDENTIALS is required"));
        assertEquals("GOOGLE_APPLICATION_CREDENTIALS (" + dir.resolve("none.json") + ") cannot be read (NoSuchFileException): give"
                + " the path of the credential configuration file", error("SECOPS_INSTANCE", INSTANCE, "SECOPS_REGION", "us",
                "GOOGLE_APPLICATION_CREDENTIALS", dir.resolve("none.json").toString()));
        assertTrue(error("SECOPS_INSTANCE", INSTANCE, "SECOPS_REGION", "us", "SECOPS_CREDENTIAL_CONFIG", "{\"type\":\"authorized_user\"}")
                .startsWith("SECOPS_CREDENTIAL_CONFIG has \"type\": \"authorized_user\"; an external_account configuration"));
    }

    @Test
    void aServiceAccountKeyIsRefusedWithoutShowingIt() throws Exception {
        String key = "{\"type\":\"service_account\",\"private_key_id\":\"k1\",\"private_key\":\"-----BEGIN PRIVATE KEY-----\\nMIIEsecret\\n\"}";
        Path file = Files.writeString(dir.resolve("key.json"), key);
        String error = error("SECOPS_INSTANCE", INSTANCE, "SECOPS_REGION", "us", "GOOGLE_APPLICATION_CREDENTIALS", file.toString());
        assertEquals("GOOGLE_APPLICATION_CREDENTIALS (" + file + ") is a service-account key: no keys; use a workload identity"
                + " federation configuration (\"type\": \"external_account\"), which the function's own AWS role signs for", error);
        assertFalse(error.contains("MIIEsecret"));
    }
}
