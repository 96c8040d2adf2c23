package io.zendeskcrm.collector.runner;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.zendeskcrm.collector.config.Credentials;
import io.zendeskcrm.collector.config.Secret;
import io.zendeskcrm.collector.config.Settings;
import io.zendeskcrm.collector.config.SettingsException;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Resolves credentials given as a Secrets Manager secret ARN or an SSM SecureString parameter ARN,
 * through the AWS Parameters and Secrets Lambda Extension (a layer serving on localhost, with its own
 * cache). It is asked on every run, so a rotated secret is used from the next run on without a
 * redeploy. Plain values pass through unchanged. Errors name the setting and the reference, never a value.
 */
final class AwsSecrets {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    private AwsSecrets() {}

    static Settings resolve(Settings settings) {
        Credentials credentials = settings.credentials();
        if (credentials.secrets().values().stream().noneMatch(Secret::isReference)) return settings;
        HttpClient http = HttpClient.newBuilder().connectTimeout(TIMEOUT).build();
        Map<String, Secret> resolved = new LinkedHashMap<>();
        credentials.secrets().forEach((name, secret) -> {
            if (secret.isReference()) resolved.put(name, resolve(http, settings, name, secret));
        });
        return settings.withCredentials(credentials.withSecrets(resolved));
    }

    private static Secret resolve(HttpClient http, Settings settings, String name, Secret secret) {
        String arn = secret.reveal();
        boolean parameter = secret.isParameterReference();
        String path = parameter
                ? "/systemsmanager/parameters/get?withDecryption=true&name=" + URLEncoder.encode(arn, StandardCharsets.UTF_8)
                : "/secretsmanager/get?secretId=" + URLEncoder.encode(arn, StandardCharsets.UTF_8);
        String token = settings.awsSessionToken().map(Secret::reveal).orElseThrow(() -> new SettingsException(name
                + " names " + arn + ", which is read through the AWS Parameters and Secrets Lambda Extension; that needs"
                + " AWS_SESSION_TOKEN, set only inside Lambda (outside Lambda, give the value itself)"));
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://localhost:" + settings.secretsExtensionPort() + path))
                .header("X-Aws-Parameters-Secrets-Token", token).timeout(TIMEOUT).GET().build();
        HttpResponse<byte[]> response;
        try {
            response = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
        } catch (IOException e) {
            throw new SettingsException(name + " names " + arn + ", but the AWS Parameters and Secrets Lambda Extension"
                    + " did not answer on localhost:" + settings.secretsExtensionPort() + " (is its layer added to the function?)");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SettingsException(name + ": interrupted while reading " + arn);
        }
        if (response.statusCode() != 200) {
            throw new SettingsException(name + " names " + arn + ", which could not be read: the extension answered HTTP "
                    + response.statusCode() + " (does the function's role allow "
                    + (parameter ? "ssm:GetParameter" : "secretsmanager:GetSecretValue") + " on it?)");
        }
        try {
            JsonNode body = JSON.readTree(response.body());
            JsonNode value = parameter ? body.path("Parameter").path("Value") : body.path("SecretString");
            if (!value.isTextual() || value.asText().isBlank()) {
                throw new SettingsException(name + " names " + arn + ", which holds no text value");
            }
            return new Secret(value.asText().strip());
        } catch (IOException e) {
            throw new SettingsException(name + " names " + arn + ", but the extension's answer was not JSON");
        }
    }
}
