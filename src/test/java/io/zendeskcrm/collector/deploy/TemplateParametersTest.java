package io.zendeskcrm.collector.deploy;

import io.zendeskcrm.collector.config.Settings;
import io.zendeskcrm.collector.config.SettingsException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The template's parameter constraints against the collector's own validation: a value the stack accepts
 * must never make every invocation fail with a configuration error, and the forms the collector documents
 * must be accepted by the stack. CloudFormation's AllowedPattern is a Java regular expression matched
 * against the whole value.
 */
class TemplateParametersTest {
    private static final Map<String, String> SETTING = Map.of(
            "StartTime", "START_TIME", "ZendeskBaseUrl", "ZENDESK_BASE_URL", "LookbackSeconds", "LOOKBACK_SECONDS",
            "MaxPages", "MAX_PAGES", "HttpRetries", "HTTP_RETRIES", "BucketName", "S3_BUCKET");

    /** Values to try per parameter: forms users write, right and wrong. */
    private static final Map<String, List<String>> SAMPLES = Map.of(
            "StartTime", List.of("2026-11-30", "2026-11-30T10:00:00Z", "2026-11-30T10:00Z", "2026-11-30T10:00:00.5Z",
                    "2026-11-30T10:00:00+02:00", "2026-11-30T10:00:00-05:30", "1764496800", "1167609600",
                    "2026-11-30 10:00:00", "2026-11-30T10:00:00", "2026-11-30T10:00:00+0200", "2026-11-30T10Z",
                    "1764496800000", "1960-01-01", "2006-12-31T23:59:59Z", "1167609599", "0", "-5", "yesterday",
                    "2026-13-01", "2026-11-30T25:00:00Z"),
            "ZendeskBaseUrl", List.of("https://acme.zendesk.com", "https://acme.zendesk.com/", "https://acme.zendesk.com/api/v2",
                    "http://acme.zendesk.com", "acme.zendesk.com", "https://acme.zendesk.com:8443"),
            "LookbackSeconds", List.of("1", "3600", "315360000", "315360001", "0", "2000000000"),
            "MaxPages", List.of("0", "20", "-1"),
            "HttpRetries", List.of("0", "3", "20", "21", "-1"),
            "BucketName", List.of("zendesk-logs", "Bad_Bucket", "ab", "a.b-c"));

    /** What the collector documents for each: the stack must take these. */
    private static final Map<String, List<String>> DOCUMENTED = Map.of(
            "StartTime", List.of("2026-01-01", "2026-01-01T00:00:00Z", "2026-01-01T12:00:00+02:00", "1767225600"));

    @Test
    void everyValueTheTemplateAcceptsTheCollectorAcceptsAndTheDocumentedFormsPass() throws Exception {
        Map<String, Object> parameters = CfnYaml.read(Path.of("template.yaml"));
        @SuppressWarnings("unchecked")
        Map<String, Map<String, Object>> params = (Map<String, Map<String, Object>>) (Map<?, ?>) parameters.get("Parameters");
        for (var e : SAMPLES.entrySet()) {
            Map<String, Object> p = params.get(e.getKey());
            for (String value : e.getValue()) {
                if (templateAccepts(p, value)) {
                    Optional<String> refused = collectorRefuses(SETTING.get(e.getKey()), value);
                    assertTrue(refused.isEmpty(), e.getKey() + "=" + value + " deploys but every run fails: " + refused.orElse(""));
                }
            }
        }
        for (var e : DOCUMENTED.entrySet()) {
            for (String value : e.getValue()) {
                assertEquals(Optional.empty(), collectorRefuses(SETTING.get(e.getKey()), value), value);
                assertTrue(templateAccepts(params.get(e.getKey()), value), e.getKey() + " refuses the documented " + value);
            }
        }
    }

    /** Regression: StartTime's pattern took "2026-11-30 10:00:00", which the collector refuses, and refused epoch seconds. */
    @Test
    void startTimeTakesEpochSecondsAndRefusesATimeWithoutAnOffset() throws Exception {
        @SuppressWarnings("unchecked")
        Map<String, Object> startTime = ((Map<String, Map<String, Object>>) CfnYaml.read(Path.of("template.yaml"))
                .get("Parameters")).get("StartTime");
        assertTrue(templateAccepts(startTime, "1764496800"));
        assertTrue(templateAccepts(startTime, ""), "empty: the lookback");
        assertTrue(!templateAccepts(startTime, "2026-11-30 10:00:00"));
        assertTrue(!templateAccepts(startTime, "2026-11-30T10:00:00"));
    }

    private static boolean templateAccepts(Map<String, Object> parameter, String value) {
        Object pattern = parameter.get("AllowedPattern");
        if (pattern != null && !Pattern.compile(pattern.toString()).matcher(value).matches()) return false;
        if ("Number".equals(parameter.get("Type"))) {
            long n;
            try {
                n = Long.parseLong(value);
            } catch (NumberFormatException e) {
                return false;
            }
            if (parameter.containsKey("MinValue") && n < ((Number) parameter.get("MinValue")).longValue()) return false;
            if (parameter.containsKey("MaxValue") && n > ((Number) parameter.get("MaxValue")).longValue()) return false;
        }
        return true;
    }

    private static Optional<String> collectorRefuses(String setting, String value) {
        Map<String, String> env = new HashMap<>(Map.of("S3_BUCKET", "zendesk-logs", "ZENDESK_BASE_URL", "https://acme.zendesk.com",
                "ZENDESK_EMAIL", "a@acme.com", "ZENDESK_API_TOKEN", "t"));
        env.put(setting, value);
        try {
            Settings.load(name -> Optional.ofNullable(env.get(name)));
            return Optional.empty();
        } catch (SettingsException e) {
            return Optional.of(e.getMessage());
        }
    }
}
