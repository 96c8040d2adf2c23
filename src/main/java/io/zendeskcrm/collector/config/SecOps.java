package io.zendeskcrm.collector.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Direct delivery to Google SecOps through the Chronicle API's {@code logs:import}: off unless
 * {@code SECOPS_INSTANCE} is set.
 *
 * @param instance         {@code projects/{p}/locations/{l}/instances/{i}}
 * @param endpoint         {@code https://{SECOPS_REGION}-chronicle.googleapis.com}, or {@code SECOPS_ENDPOINT}
 * @param credentialConfig the external-account credential configuration (JSON; it holds no key)
 * @param configSource     where that configuration came from, for messages
 */
public record SecOps(String instance, URI endpoint, byte[] credentialConfig, String configSource) {
    public static final String LOG_TYPE = "ZENDESK_CRM";
    private static final Pattern INSTANCE = Pattern.compile("projects/[^/\\s]+/locations/[^/\\s]+/instances/[^/\\s]+");
    private static final Pattern REGION = Pattern.compile("[a-z]+(-[a-z]+[0-9]*)?");
    private static final ObjectMapper JSON = new ObjectMapper();

    /** The {@code logs:import} address for this instance and log type. */
    public URI importUri() {
        String base = endpoint.toString().replaceAll("/+$", "");
        return URI.create(base + "/v1beta/" + instance + "/logTypes/" + LOG_TYPE + "/logs:import");
    }

    static Optional<SecOps> load(Settings.Reader r) {
        Optional<String> instance = r.optional("SECOPS_INSTANCE");
        if (instance.isEmpty()) return Optional.empty();
        if (!INSTANCE.matcher(instance.get()).matches()) {
            throw new SettingsException("SECOPS_INSTANCE (" + Settings.shown(instance.get()) + ") must be"
                    + " projects/{project}/locations/{location}/instances/{instance}, as the SecOps settings page shows it");
        }
        URI endpoint = r.optional("SECOPS_ENDPOINT").map(SecOps::endpoint).orElseGet(() -> {
            String region = r.optional("SECOPS_REGION").orElseThrow(() -> new SettingsException(
                    "SECOPS_REGION is required with SECOPS_INSTANCE: the instance's region, such as us, europe or europe-west2"));
            if (!REGION.matcher(region).matches()) {
                throw new SettingsException("SECOPS_REGION (" + Settings.shown(region) + ") is not a region name such as us,"
                        + " europe or europe-west2");
            }
            return URI.create("https://" + region + "-chronicle.googleapis.com");
        });
        Optional<String> file = r.optional("GOOGLE_APPLICATION_CREDENTIALS");
        Optional<String> inline = r.optional("SECOPS_CREDENTIAL_CONFIG");
        if (file.isPresent() && inline.isPresent()) {
            throw new SettingsException("GOOGLE_APPLICATION_CREDENTIALS and SECOPS_CREDENTIAL_CONFIG are both set: give the"
                    + " credential configuration once");
        }
        String source;
        byte[] config;
        if (inline.isPresent()) {
            source = "SECOPS_CREDENTIAL_CONFIG";
            config = inline.get().getBytes(StandardCharsets.UTF_8);
        } else {
            String path = file.orElseThrow(() -> new SettingsException("GOOGLE_APPLICATION_CREDENTIALS is required with"
                    + " SECOPS_INSTANCE: the workload identity federation credential configuration file"
                    + " (gcloud iam workload-identity-pools create-cred-config ... --aws), or its content in SECOPS_CREDENTIAL_CONFIG"));
            source = "GOOGLE_APPLICATION_CREDENTIALS (" + path + ")";
            try {
                config = Files.readAllBytes(Path.of(path));
            } catch (IOException | RuntimeException e) {
                throw new SettingsException(source + " cannot be read (" + e.getClass().getSimpleName() + "): give the path"
                        + " of the credential configuration file");
            }
        }
        checkExternalAccount(source, config);
        return Optional.of(new SecOps(instance.get(), endpoint, config, source));
    }

    /** A workload identity federation configuration, never a service-account key. */
    private static void checkExternalAccount(String source, byte[] config) {
        JsonNode json;
        try {
            json = JSON.readTree(config);
        } catch (IOException e) {
            json = null;
        }
        if (json == null || !json.isObject()) {
            throw new SettingsException(source + " is not a JSON credential configuration");
        }
        String type = json.path("type").asText("");
        if (type.equals("service_account") || json.has("private_key")) {
            // Never echo the file: it holds a private key.
            throw new SettingsException(source + " is a service-account key: no keys; use a workload identity federation"
                    + " configuration (\"type\": \"external_account\"), which the function's own AWS role signs for");
        }
        if (!type.equals("external_account")) {
            throw new SettingsException(source + " has \"type\": \"" + Settings.shown(type) + "\"; an external_account"
                    + " configuration (workload identity federation) is required");
        }
        if (!json.path("token_url").isTextual() || !json.path("audience").isTextual()) {
            throw new SettingsException(source + " lacks \"audience\" or \"token_url\": create it with gcloud iam"
                    + " workload-identity-pools create-cred-config");
        }
    }

    private static URI endpoint(String raw) {
        try {
            URI uri = new URI(raw);
            if (uri.getScheme() == null || !uri.getScheme().matches("https?") || uri.getHost() == null
                    || uri.getRawUserInfo() != null || uri.getRawQuery() != null) {
                throw new IllegalArgumentException();
            }
            return uri;
        } catch (java.net.URISyntaxException | IllegalArgumentException e) {
            throw new SettingsException("SECOPS_ENDPOINT (" + Settings.shown(raw) + ") must be an http(s) address without"
                    + " user-info or query, such as https://us-chronicle.googleapis.com");
        }
    }

    @Override
    public String toString() {
        return "SecOps[" + instance + " at " + endpoint + ", credentials from " + configSource + "]";
    }
}
