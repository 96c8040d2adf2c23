package io.zendeskcrm.collector.config;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * Every setting of the collector, validated. Names are the reference Lambda's environment variables
 * (same meaning, same defaults) plus the collector's own. {@link #load} is the one place that reads
 * and checks them, before any network call.
 */
public record Settings(
        Optional<String> bucket,
        String prefix,
        String stateKey,
        Optional<Path> outputDir,
        URI zendeskBaseUrl,
        Credentials credentials,
        List<String> resources,
        int maxPages,
        Duration lookback,
        Optional<Instant> startTime,
        Duration httpTimeout,
        int httpRetries,
        Compression compression,
        boolean addTimestamp,
        Duration auditLogOverlap,
        Duration auditLogDelay,
        int accessLogPageSize,
        Duration accessLogOverlap,
        Duration accessLogDelay,
        Optional<URI> s3Endpoint,
        int secretsExtensionPort,
        Optional<Secret> awsSessionToken,
        Optional<Duration> timeBudget,
        Duration lambdaTimeMargin,
        int rateLimitReservePercent) {

    public static final String AUDIT_LOGS = "audit_logs";
    public static final String INCREMENTAL_TICKETS = "incremental_tickets";
    public static final String ACCESS_LOGS = "access_logs";
    public static final Set<String> KNOWN_RESOURCES = Set.of(AUDIT_LOGS, INCREMENTAL_TICKETS, ACCESS_LOGS);

    public static final String DEFAULT_PREFIX = "zendesk/crm/";
    /** Outside the default data prefix, so the SecOps feed never ingests the checkpoint. */
    public static final String DEFAULT_STATE_KEY = "zendesk/crm-state/state.json";

    public enum Compression {
        GZIP(".ndjson.gz"), NONE(".ndjson");

        public final String extension;

        Compression(String extension) {
            this.extension = extension;
        }
    }

    private static final Pattern BUCKET_NAME = Pattern.compile("[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]");

    /** Reads every setting through {@code lookup} (blank counts as unset) and validates it. */
    public static Settings load(Function<String, Optional<String>> lookup) {
        Reader r = new Reader(lookup);
        Optional<Path> outputDir = r.optional("OUTPUT_DIR").map(Path::of);
        Optional<String> bucket = r.optional("S3_BUCKET");
        if (outputDir.isEmpty() && bucket.isEmpty()) {
            throw new SettingsException("S3_BUCKET is required (or set OUTPUT_DIR to write to a local directory)");
        }
        bucket.ifPresent(b -> {
            if (!BUCKET_NAME.matcher(b).matches()) {
                throw new SettingsException("S3_BUCKET (" + b + ") is not a valid bucket name: 3-63 characters of a-z, 0-9, '.' and '-'");
            }
        });
        String prefix = normalizePrefix(r.optional("S3_PREFIX").orElse(DEFAULT_PREFIX));
        String stateKey = normalizeKey("STATE_KEY", r.optional("STATE_KEY").orElse(DEFAULT_STATE_KEY));

        URI baseUrl = baseUrl(r.required("ZENDESK_BASE_URL"), r.bool("ZENDESK_ALLOW_HTTP", false));
        List<String> resources = resources(r.optional("RESOURCES").orElse(AUDIT_LOGS + "," + INCREMENTAL_TICKETS));
        Credentials credentials = Credentials.load(r, resources);
        if (credentials.mode() == Credentials.AuthMode.OAUTH_REFRESH_TOKEN && insidePrefix(prefix, credentials.oauthStateKey())) {
            // The stored refresh token is a secret: the SecOps feed must never read it.
            throw new SettingsException("OAUTH_STATE_KEY (" + credentials.oauthStateKey() + ") must lie outside S3_PREFIX ("
                    + prefix + "): the SecOps feed reads everything under the prefix");
        }
        int maxPages = r.integer("MAX_PAGES", 20, 0, Integer.MAX_VALUE);
        Duration lookback = Duration.ofSeconds(r.integer("LOOKBACK_SECONDS", 3600, 1, Integer.MAX_VALUE));
        Optional<Instant> startTime = r.optional("START_TIME").map(v -> instant("START_TIME", v));
        Duration timeout = Duration.ofSeconds(r.integer("HTTP_TIMEOUT", 60, 1, 900));
        int retries = r.integer("HTTP_RETRIES", 3, 0, 20);
        Compression compression = r.choice("OUTPUT_COMPRESSION", "gzip", Compression.class);
        boolean addTimestamp = r.bool("ADD_TIMESTAMP", true);
        Duration overlap = Duration.ofSeconds(r.integer("AUDIT_LOG_OVERLAP_SECONDS", 300, 1, 86_400));
        Duration delay = Duration.ofSeconds(r.integer("AUDIT_LOG_DELAY_SECONDS", 60, 0, 86_400));
        int accessPageSize = r.integer("ACCESS_LOG_PAGE_SIZE", 1000, 1, 2500);
        Duration accessOverlap = Duration.ofSeconds(r.integer("ACCESS_LOG_OVERLAP_SECONDS", 300, 1, 86_400));
        Duration accessDelay = Duration.ofSeconds(r.integer("ACCESS_LOG_DELAY_SECONDS", 60, 0, 86_400));
        Optional<URI> s3Endpoint = r.optional("AWS_ENDPOINT_URL_S3").map(Settings::s3Endpoint);
        int extensionPort = r.integer("PARAMETERS_SECRETS_EXTENSION_HTTP_PORT", 2773, 1, 65535);
        Optional<Secret> sessionToken = r.optional("AWS_SESSION_TOKEN").map(Secret::new);
        int budget = r.integer("TIME_BUDGET_SECONDS", 0, 0, Integer.MAX_VALUE);
        Optional<Duration> timeBudget = budget == 0 ? Optional.empty() : Optional.of(Duration.ofSeconds(budget));
        Duration margin = Duration.ofSeconds(r.integer("LAMBDA_TIME_MARGIN_SECONDS", 90, 0, 900));
        return new Settings(bucket, prefix, stateKey, outputDir, baseUrl, credentials,
                resources, maxPages, lookback, startTime, timeout, retries, compression, addTimestamp, overlap, delay,
                accessPageSize, accessOverlap, accessDelay, s3Endpoint, extensionPort, sessionToken, timeBudget, margin,
                r.integer("RATE_LIMIT_RESERVE_PERCENT", 20, 0, 90));
    }

    /** The same settings with other credentials (references resolved to their values). */
    public Settings withCredentials(Credentials replaced) {
        return new Settings(bucket, prefix, stateKey, outputDir, zendeskBaseUrl, replaced,
                resources, maxPages, lookback, startTime, httpTimeout, httpRetries, compression, addTimestamp,
                auditLogOverlap, auditLogDelay, accessLogPageSize, accessLogOverlap, accessLogDelay, s3Endpoint, secretsExtensionPort, awsSessionToken, timeBudget,
                lambdaTimeMargin, rateLimitReservePercent);
    }

    /** True when the checkpoint would be read by a SecOps feed pointed at the data prefix. */
    public boolean stateKeyInsideDataPrefix() {
        return insidePrefix(prefix, stateKey);
    }

    private static boolean insidePrefix(String prefix, String key) {
        return prefix.isEmpty() || key.startsWith(prefix + "/");
    }

    /** Where objects and the checkpoint go, for messages: {@code s3://bucket} or the local directory. */
    public String destination() {
        return outputDir.map(Path::toString).orElseGet(() -> "s3://" + bucket.orElseThrow());
    }

    /** Strips leading and trailing slashes and collapses repeated ones: {@code "/a//b/"} becomes {@code "a/b"}. */
    static String normalizePrefix(String raw) {
        return String.join("/", List.of(raw.split("/+")).stream().filter(s -> !s.isEmpty()).toList());
    }

    static String normalizeKey(String name, String raw) {
        String key = normalizePrefix(raw);
        if (key.isEmpty()) throw new SettingsException(name + " (" + raw + ") must name an object key");
        return key;
    }

    private static URI baseUrl(String raw, boolean allowHttp) {
        String trimmed = raw.strip().replaceAll("/+$", "");
        URI uri;
        try {
            uri = new URI(trimmed);
        } catch (URISyntaxException e) {
            throw new SettingsException("ZENDESK_BASE_URL (" + raw + ") is not a URL: " + e.getReason());
        }
        if (uri.getHost() == null || uri.getScheme() == null) {
            throw new SettingsException("ZENDESK_BASE_URL (" + raw + ") must look like https://<subdomain>.zendesk.com");
        }
        if (uri.getRawQuery() != null || uri.getRawFragment() != null || uri.getRawUserInfo() != null) {
            throw new SettingsException("ZENDESK_BASE_URL (" + raw + ") must not carry a query, fragment or credentials");
        }
        String scheme = uri.getScheme().toLowerCase(Locale.ROOT);
        boolean loopback = Set.of("localhost", "127.0.0.1", "[::1]").contains(uri.getHost());
        if (!scheme.equals("https") && !(scheme.equals("http") && (allowHttp || loopback))) {
            throw new SettingsException("ZENDESK_BASE_URL (" + raw + ") must use https (plain http would expose the credentials;"
                    + " ZENDESK_ALLOW_HTTP=true permits it for a test server)");
        }
        return uri;
    }

    private static URI s3Endpoint(String raw) {
        try {
            URI uri = new URI(raw);
            if (uri.getHost() != null && ("http".equals(uri.getScheme()) || "https".equals(uri.getScheme()))) return uri;
        } catch (URISyntaxException e) {
            // reported below
        }
        throw new SettingsException("AWS_ENDPOINT_URL_S3 (" + raw + ") must be an http(s) URL such as http://localhost:9000");
    }

    private static List<String> resources(String raw) {
        List<String> out = new ArrayList<>();
        for (String part : raw.split(",")) {
            String name = part.strip().toLowerCase(Locale.ROOT);
            if (name.isEmpty() || out.contains(name)) continue;
            if (!KNOWN_RESOURCES.contains(name)) {
                throw new SettingsException("RESOURCES (" + raw + ") names an unknown stream '" + name + "'; known: "
                        + AUDIT_LOGS + ", " + INCREMENTAL_TICKETS + ", " + ACCESS_LOGS);
            }
            out.add(name);
        }
        if (out.isEmpty()) throw new SettingsException("RESOURCES (" + raw + ") names no stream");
        return List.copyOf(out);
    }

    /** ISO 8601 ({@code 2026-01-01T00:00:00Z}, or a date) or Unix epoch seconds. */
    static Instant instant(String name, String raw) {
        String v = raw.strip();
        try {
            if (v.matches("\\d{12,}")) {
                // 12 digits of seconds are the year 5138: a number this long is epoch milliseconds.
                throw new SettingsException(name + " (" + raw + ") looks like epoch milliseconds; give epoch seconds"
                        + " (" + Long.parseLong(v) / 1000 + ") or an ISO 8601 time (2026-01-01T00:00:00Z)");
            }
            if (v.matches("\\d+")) return Instant.ofEpochSecond(Long.parseLong(v));
            if (v.matches("\\d{4}-\\d{2}-\\d{2}")) return Instant.parse(v + "T00:00:00Z");
            return java.time.OffsetDateTime.parse(v).toInstant();
        } catch (DateTimeParseException | NumberFormatException e) {
            throw new SettingsException(name + " (" + raw + ") is not an ISO 8601 time (2026-01-01T00:00:00Z) or epoch seconds");
        }
    }

    /** Reads raw values; every error message names the variable. */
    record Reader(Function<String, Optional<String>> lookup) {
        Optional<String> optional(String name) {
            return lookup.apply(name).map(String::strip).filter(v -> !v.isEmpty());
        }

        String required(String name) {
            return optional(name).orElseThrow(() -> new SettingsException(name + " is required"));
        }

        int integer(String name, int def, int min, int max) {
            Optional<String> raw = optional(name);
            if (raw.isEmpty()) return def;
            try {
                int v = Integer.parseInt(raw.get());
                if (v < min || v > max) throw new NumberFormatException();
                return v;
            } catch (NumberFormatException e) {
                throw new SettingsException(name + " (" + raw.get() + ") must be a whole number from " + min + " to " + max);
            }
        }

        boolean bool(String name, boolean def) {
            Optional<String> raw = optional(name);
            if (raw.isEmpty()) return def;
            return switch (raw.get().toLowerCase(Locale.ROOT)) {
                case "true", "yes", "1" -> true;
                case "false", "no", "0" -> false;
                default -> throw new SettingsException(name + " (" + raw.get() + ") must be true or false");
            };
        }

        <E extends Enum<E>> E choice(String name, String def, Class<E> type) {
            String raw = optional(name).orElse(def);
            try {
                return Enum.valueOf(type, raw.toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                List<String> allowed = java.util.Arrays.stream(type.getEnumConstants())
                        .map(c -> c.name().toLowerCase(Locale.ROOT)).toList();
                throw new SettingsException(name + " (" + raw + ") must be one of " + String.join(", ", allowed));
            }
        }
    }
}
