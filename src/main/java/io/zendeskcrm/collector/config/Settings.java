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
        int rateLimitReservePercent,
        Optional<SecOps> secOps) {

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

    /** Zendesk was founded in 2007: no record is older, and an earlier start is a typo (or a negative start_time). */
    public static final Instant OLDEST_START = Instant.parse("2007-01-01T00:00:00Z");

    /** Ten years: further back is START_TIME's job (and a lookback cannot reach before {@link #OLDEST_START}). */
    public static final int MAX_LOOKBACK_SECONDS = 315_360_000;

    /**
     * How far before Zendesk's present an audit- or access-log window ends: clear of the second being
     * written (filters are whole seconds) and of records committed a moment after their time. Records that
     * appear later than this are the overlap's; the window does not wait for them.
     */
    public static final int DEFAULT_WINDOW_DELAY_SECONDS = 5;

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
                throw new SettingsException("S3_BUCKET (" + shown(b) + ") is not a valid bucket name: 3-63 characters of a-z, 0-9, '.' and '-'");
            }
        });
        String prefix = normalizePrefix("S3_PREFIX", r.optional("S3_PREFIX").orElse(DEFAULT_PREFIX));
        String stateKey = normalizeKey("STATE_KEY", r.optional("STATE_KEY").orElse(DEFAULT_STATE_KEY));
        checkStateKeyIsNoFolderOfThePrefix(stateKey, prefix);

        URI baseUrl = baseUrl(r.required("ZENDESK_BASE_URL"), r.bool("ZENDESK_ALLOW_HTTP", false));
        List<String> resources = resources(r.optional("RESOURCES").orElse(""));
        Credentials credentials = Credentials.load(r, resources);
        if (credentials.mode() == Credentials.AuthMode.OAUTH_REFRESH_TOKEN && insidePrefix(prefix, credentials.oauthStateKey())) {
            // The stored refresh token is a secret: the SecOps feed must never read it.
            throw new SettingsException("OAUTH_STATE_KEY (" + credentials.oauthStateKey() + ") must lie outside S3_PREFIX ("
                    + prefix + "): the SecOps feed reads everything under the prefix");
        }
        int maxPages = r.integer("MAX_PAGES", 20, 0, Integer.MAX_VALUE);
        Duration lookback = Duration.ofSeconds(r.integer("LOOKBACK_SECONDS", 3600, 1, MAX_LOOKBACK_SECONDS));
        Optional<Instant> startTime = r.optional("START_TIME").map(v -> instant("START_TIME", v));
        Duration timeout = Duration.ofSeconds(r.integer("HTTP_TIMEOUT", 60, 1, 900));
        int retries = r.integer("HTTP_RETRIES", 3, 0, 20);
        Compression compression = r.choice("OUTPUT_COMPRESSION", "gzip", Compression.class);
        boolean addTimestamp = r.bool("ADD_TIMESTAMP", true);
        Duration overlap = Duration.ofSeconds(r.integer("AUDIT_LOG_OVERLAP_SECONDS", 300, 1, 86_400));
        Duration delay = Duration.ofSeconds(r.integer("AUDIT_LOG_DELAY_SECONDS", DEFAULT_WINDOW_DELAY_SECONDS, 0, 86_400));
        int accessPageSize = r.integer("ACCESS_LOG_PAGE_SIZE", 1000, 1, 2500);
        Duration accessOverlap = Duration.ofSeconds(r.integer("ACCESS_LOG_OVERLAP_SECONDS", 300, 1, 86_400));
        Duration accessDelay = Duration.ofSeconds(r.integer("ACCESS_LOG_DELAY_SECONDS", DEFAULT_WINDOW_DELAY_SECONDS, 0, 86_400));
        Optional<URI> s3Endpoint = r.optional("AWS_ENDPOINT_URL_S3").map(Settings::s3Endpoint);
        int extensionPort = r.integer("PARAMETERS_SECRETS_EXTENSION_HTTP_PORT", 2773, 1, 65535);
        Optional<Secret> sessionToken = r.optional("AWS_SESSION_TOKEN").map(Secret::new);
        int budget = r.integer("TIME_BUDGET_SECONDS", 0, 0, Integer.MAX_VALUE);
        Optional<Duration> timeBudget = budget == 0 ? Optional.empty() : Optional.of(Duration.ofSeconds(budget));
        Duration margin = Duration.ofSeconds(r.integer("LAMBDA_TIME_MARGIN_SECONDS", 90, 0, 900));
        return new Settings(bucket, prefix, stateKey, outputDir, baseUrl, credentials,
                resources, maxPages, lookback, startTime, timeout, retries, compression, addTimestamp, overlap, delay,
                accessPageSize, accessOverlap, accessDelay, s3Endpoint, extensionPort, sessionToken, timeBudget, margin,
                r.integer("RATE_LIMIT_RESERVE_PERCENT", 20, 0, 90), SecOps.load(r));
    }

    /** The same settings with other credentials (references resolved to their values). */
    public Settings withCredentials(Credentials replaced) {
        return new Settings(bucket, prefix, stateKey, outputDir, zendeskBaseUrl, replaced,
                resources, maxPages, lookback, startTime, httpTimeout, httpRetries, compression, addTimestamp,
                auditLogOverlap, auditLogDelay, accessLogPageSize, accessLogOverlap, accessLogDelay, s3Endpoint, secretsExtensionPort, awsSessionToken, timeBudget,
                lambdaTimeMargin, rateLimitReservePercent, secOps);
    }

    /** True when the checkpoint would be read by a SecOps feed pointed at the data prefix. */
    public boolean stateKeyInsideDataPrefix() {
        return insidePrefix(prefix, stateKey);
    }

    /** The checkpoint cannot be a file where the objects need a folder (a key inside the prefix is only warned about). */
    private static void checkStateKeyIsNoFolderOfThePrefix(String stateKey, String prefix) {
        if (stateKey.equals(prefix)) {
            throw new SettingsException("STATE_KEY (" + stateKey + ") is the data prefix S3_PREFIX (" + prefix + ") itself:"
                    + " objects are written under it; keep the checkpoint outside it, such as " + DEFAULT_STATE_KEY);
        }
        if (prefix.startsWith(stateKey + "/")) {
            throw new SettingsException("STATE_KEY (" + stateKey + ") is a folder of S3_PREFIX (" + prefix + "): objects are"
                    + " written under it; keep the checkpoint outside the prefix, such as " + DEFAULT_STATE_KEY);
        }
    }

    private static boolean insidePrefix(String prefix, String key) {
        return prefix.isEmpty() || key.startsWith(prefix + "/");
    }

    /** Where objects and the checkpoint go, for messages: {@code s3://bucket} or the local directory. */
    public String destination() {
        return outputDir.map(Path::toString).orElseGet(() -> "s3://" + bucket.orElseThrow());
    }

    /**
     * Strips leading and trailing slashes and collapses repeated ones: {@code "/a//b/"} becomes {@code "a/b"}.
     * A {@code .} or {@code ..} segment is refused: under {@code OUTPUT_DIR} it would lead out of the
     * directory, and in a bucket it names a key no one expects.
     */
    static String normalizePrefix(String name, String raw) {
        List<String> segments = List.of(raw.split("/+")).stream().filter(s -> !s.isEmpty()).toList();
        if (segments.contains(".") || segments.contains("..")) {
            throw new SettingsException(name + " (" + shown(raw) + ") must not contain a '.' or '..' segment: keys stay"
                    + " inside OUTPUT_DIR and the bucket's own layout");
        }
        return String.join("/", segments);
    }

    static String normalizeKey(String name, String raw) {
        String key = normalizePrefix(name, raw);
        if (key.isEmpty()) throw new SettingsException(name + " (" + shown(raw) + ") must name an object key");
        return key;
    }

    /**
     * A value as a message may show it: whatever precedes the last {@code @} (a URL's user-info such as
     * {@code user:password@}, with or without a scheme) and a URL's query or fragment (which may carry a
     * token) are replaced by {@code ***}. No setting this is used for has an {@code @} of its own.
     */
    public static String shown(String raw) {
        String value = raw.strip();
        int scheme = value.indexOf("://");
        int authority = scheme < 0 ? 0 : scheme + 3;
        int at = value.lastIndexOf('@');
        if (at >= authority) {
            value = value.substring(0, authority) + "***@" + value.substring(at + 1);
        }
        if (scheme >= 0) {
            int query = indexOfAny(value, authority, '?', '#');
            if (query >= 0) value = value.substring(0, query) + "?***";
        }
        return value;
    }

    private static int indexOfAny(String value, int from, char... chars) {
        for (int i = from; i < value.length(); i++) {
            for (char c : chars) {
                if (value.charAt(i) == c) return i;
            }
        }
        return -1;
    }

    private static URI baseUrl(String raw, boolean allowHttp) {
        String name = "ZENDESK_BASE_URL";
        URI uri = url(name, raw.strip().replaceAll("/+$", ""), raw, "https://<subdomain>.zendesk.com");
        if (uri.getRawPath() != null && !uri.getRawPath().isEmpty()) {
            throw new SettingsException(name + " (" + shown(raw) + ") must be the account's address without a path, such as "
                    + uri.getScheme() + "://" + uri.getRawAuthority() + " (the collector adds /api/v2/... itself)");
        }
        String scheme = uri.getScheme().toLowerCase(Locale.ROOT);
        boolean loopback = Set.of("localhost", "127.0.0.1", "[::1]").contains(uri.getHost().toLowerCase(Locale.ROOT));
        if (!scheme.equals("https") && !(scheme.equals("http") && (allowHttp || loopback))) {
            throw new SettingsException(name + " (" + shown(raw) + ") must use https (plain http would expose the credentials;"
                    + " ZENDESK_ALLOW_HTTP=true permits it for a test server)");
        }
        return uri;
    }

    private static URI s3Endpoint(String raw) {
        URI uri = url("AWS_ENDPOINT_URL_S3", raw.strip(), raw, "http://localhost:9000");
        if (!"http".equalsIgnoreCase(uri.getScheme()) && !"https".equalsIgnoreCase(uri.getScheme())) {
            throw new SettingsException("AWS_ENDPOINT_URL_S3 (" + shown(raw) + ") must be an http(s) URL such as http://localhost:9000");
        }
        return uri;
    }

    /**
     * An absolute URL with a host, a port (if any) from 1 to 65535, and no credentials, query or fragment.
     * Messages show the value without its user-info or query ({@link #shown}).
     */
    private static URI url(String name, String value, String raw, String example) {
        String shown = shown(raw);
        URI uri;
        try {
            uri = new URI(value);
        } catch (URISyntaxException e) {
            throw new SettingsException(name + " (" + shown + ") is not a URL (" + e.getReason() + "); it must look like " + example);
        }
        if (uri.getRawUserInfo() != null || value.contains("@")) {
            throw new SettingsException(name + " (" + shown + ") must not carry credentials (user:password@);"
                    + (name.startsWith("ZENDESK") ? " give them in the AUTH_MODE's own settings (see README, Authentication)"
                    : " the AWS SDK takes them from its usual chain (AWS_ACCESS_KEY_ID, ...)"));
        }
        String port = uri.getPort() >= 0 ? String.valueOf(uri.getPort())
                : uri.getRawAuthority() != null && uri.getRawAuthority().matches(".*:\\d+") ? uri.getRawAuthority().replaceAll(".*:", "") : null;
        if (port != null && (port.length() > 5 || Integer.parseInt(port) < 1 || Integer.parseInt(port) > 65535)) {
            throw new SettingsException(name + " (" + shown + ") has port " + port + "; a port is 1 to 65535");
        }
        if (uri.getHost() == null || uri.getScheme() == null) {
            throw new SettingsException(name + " (" + shown + ") must look like " + example);
        }
        if (uri.getRawQuery() != null || uri.getRawFragment() != null) {
            throw new SettingsException(name + " (" + shown + ") must not carry a query or fragment");
        }
        return uri;
    }

    private static List<String> resources(String raw) {
        List<String> out = new ArrayList<>();
        for (String part : raw.split(",", -1)) {
            String name = part.strip().toLowerCase(Locale.ROOT);
            if (name.isEmpty() || out.contains(name)) continue;
            if (!KNOWN_RESOURCES.contains(name)) {
                throw new SettingsException("RESOURCES (" + shown(raw) + ") names an unknown stream '" + name + "'; known: "
                        + AUDIT_LOGS + ", " + INCREMENTAL_TICKETS + ", " + ACCESS_LOGS);
            }
            out.add(name);
        }
        // Blanks are ignored, so a value of blanks only is no value: the default, as when RESOURCES is empty.
        return out.isEmpty() ? List.of(AUDIT_LOGS, INCREMENTAL_TICKETS) : List.copyOf(out);
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
            Instant t;
            if (v.matches("\\d+")) {
                t = Instant.ofEpochSecond(Long.parseLong(v));
            } else if (v.matches("\\d{4}-\\d{2}-\\d{2}")) {
                t = Instant.parse(v + "T00:00:00Z");
            } else {
                t = java.time.OffsetDateTime.parse(v).toInstant();
            }
            if (t.isBefore(OLDEST_START)) {
                throw new SettingsException(name + " (" + shown(raw) + ") is before " + OLDEST_START + ", older than any"
                        + " Zendesk record; give the moment to collect from (ISO 8601 or epoch seconds)");
            }
            return t;
        } catch (DateTimeParseException | NumberFormatException e) {
            throw new SettingsException(name + " (" + shown(raw) + ") is not an ISO 8601 time (2026-01-01T00:00:00Z) or epoch seconds");
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
                throw new SettingsException(name + " (" + shown(raw.get()) + ") must be a whole number from " + min + " to " + max);
            }
        }

        boolean bool(String name, boolean def) {
            Optional<String> raw = optional(name);
            if (raw.isEmpty()) return def;
            return switch (raw.get().toLowerCase(Locale.ROOT)) {
                case "true", "yes", "1" -> true;
                case "false", "no", "0" -> false;
                default -> throw new SettingsException(name + " (" + shown(raw.get()) + ") must be true or false");
            };
        }

        <E extends Enum<E>> E choice(String name, String def, Class<E> type) {
            String raw = optional(name).orElse(def);
            try {
                return Enum.valueOf(type, raw.toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                List<String> allowed = java.util.Arrays.stream(type.getEnumConstants())
                        .map(c -> c.name().toLowerCase(Locale.ROOT)).toList();
                throw new SettingsException(name + " (" + shown(raw) + ") must be one of " + String.join(", ", allowed));
            }
        }
    }
}
