package io.zendeskcrm.collector.zendesk;

import jakarta.ws.rs.core.Response;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Paces requests from the rate-limit headers of Zendesk's answers, so that a long run stays inside
 * the limits instead of running into 429s:
 *
 * <ul>
 *   <li>an endpoint bucket ({@code zendesk-ratelimit-<bucket>: total=10; remaining=7; resets=42}, such as
 *       the incremental exports' 10 per minute) is used while it has requests left; once it is empty the
 *       next request waits until it resets. That is the most the limit allows and never runs into a 429
 *       (spacing requests evenly instead would cost a tenth of the throughput at 10 a minute);</li>
 *   <li>the account-wide budget ({@code ratelimit-limit/remaining/reset}, or {@code X-Rate-Limit} and
 *       {@code X-Rate-Limit-Remaining}) is shared with the customer's other integrations: once what
 *       remains falls to {@code RATE_LIMIT_RESERVE_PERCENT} of it, the next request waits for the reset.</li>
 * </ul>
 *
 * One pacer serves one stream (each stream reads its own endpoint bucket).
 */
public final class RatePacer {
    private static final Pattern BUCKET = Pattern.compile(
            "total=(\\d+);\\s*remaining=(\\d+);\\s*resets=(\\d+)", Pattern.CASE_INSENSITIVE);
    /** When Zendesk names no reset time for the account budget, it is per minute. */
    private static final Duration ACCOUNT_WINDOW = Duration.ofSeconds(60);
    /** A rate-limit reset in seconds from here on is a Unix time (2001 onwards), not a delay. */
    private static final long UNIX_TIME_FROM = 1_000_000_000L;

    private final double reservePercent;
    private final double bucketReservePercent;
    private final Map<String, Instant> nextAllowed = new ConcurrentHashMap<>();
    private final Map<String, BucketWindow> windows = new ConcurrentHashMap<>();

    /**
     * What the answers of one bucket's current window say about when it resets. {@code resets} is whole
     * seconds, rounded up: each answer bounds the reset from above by its own time plus {@code resets},
     * and the tightest bound of the window is kept. Waiting for it instead of for the last answer's
     * {@code resets} saves up to a second per window.
     */
    private record BucketWindow(Instant resetBy, long remaining) {}

    /** @param reservePercent share of the account budget left to other integrations, 0-90 */
    public RatePacer(double reservePercent) {
        this(reservePercent, 0);
    }

    /**
     * @param bucketReservePercent share of each endpoint bucket left to others: a reconcile leaves part of the
     *                             export's 10 a minute to the collecting passes
     */
    public RatePacer(double reservePercent, double bucketReservePercent) {
        this.reservePercent = reservePercent;
        this.bucketReservePercent = bucketReservePercent;
    }

    /** How long {@code stream} must wait before its next request, from {@code now}. */
    Duration waitBefore(String stream, Instant now) {
        Instant at = nextAllowed.get(stream);
        return at == null || !at.isAfter(now) ? Duration.ZERO : Duration.between(now, at);
    }

    /** Reads the headers of an answer received at {@code now}. */
    void observe(String stream, Response response, Instant now) {
        Duration pause = Duration.ZERO;
        for (Map.Entry<String, java.util.List<Object>> h : response.getHeaders().entrySet()) {
            String name = h.getKey().toLowerCase(Locale.ROOT);
            if (!name.startsWith("zendesk-ratelimit-") || h.getValue().isEmpty()) continue;
            Matcher m = BUCKET.matcher(String.valueOf(h.getValue().get(0)));
            if (!m.find()) continue;
            long total = Long.parseLong(m.group(1));
            long remaining = Long.parseLong(m.group(2));
            Instant resetBy = now.plusSeconds(Long.parseLong(m.group(3)));
            String key = stream + " " + name;
            BucketWindow previous = windows.get(key);
            // Same window while requests are only used up and its reset is still ahead.
            if (previous != null && remaining <= previous.remaining() && previous.resetBy().isAfter(now)
                    && previous.resetBy().isBefore(resetBy)) {
                resetBy = previous.resetBy();
            }
            windows.put(key, new BucketWindow(resetBy, remaining));
            Duration untilReset = remaining > total * bucketReservePercent / 100.0 && remaining > 0
                    ? Duration.ZERO : Duration.between(now, resetBy);
            if (untilReset.compareTo(pause) > 0) pause = untilReset;
        }
        Optional<Duration> account = accountPause(response, now);
        if (account.isPresent() && account.get().compareTo(pause) > 0) pause = account.get();
        nextAllowed.put(stream, now.plus(pause));
    }

    private Optional<Duration> accountPause(Response response, Instant now) {
        Optional<Long> limit = number(response, "ratelimit-limit").or(() -> number(response, "X-Rate-Limit"));
        Optional<Long> remaining = number(response, "ratelimit-remaining").or(() -> number(response, "X-Rate-Limit-Remaining"));
        if (limit.isEmpty() || remaining.isEmpty()) return Optional.empty();
        if (remaining.get() > limit.get() * reservePercent / 100.0) return Optional.of(Duration.ZERO);
        return Optional.of(untilReset(response, "ratelimit-reset", now).orElse(ACCOUNT_WINDOW));
    }

    /**
     * How long until the moment a rate-limit header of {@code response} names, in any of the forms Zendesk
     * uses: seconds ({@code 42}), an HTTP date ({@code Wed, 25 Nov 2026 18:05:00 GMT}) or an ISO 8601 time
     * ({@code 2026-11-25T18:05:00Z}: the access-log reference calls {@code ratelimit-reset} "a date-time").
     * A moment is measured from the answer's {@code Date}, Zendesk's clock, when it has one: a local clock
     * that is off would otherwise wait too long or not at all. Empty when the header is absent or unreadable.
     */
    static Optional<Duration> untilReset(Response response, String header, Instant now) {
        String value = response.getHeaderString(header);
        if (value == null || value.isBlank()) return Optional.empty();
        value = value.strip();
        Optional<Instant> at;
        try {
            long n = Long.parseLong(value);
            if (n < UNIX_TIME_FROM) return Optional.of(Duration.ofSeconds(Math.max(n, 0)));
            at = Optional.of(Instant.ofEpochSecond(n)); // too large for a delay: a Unix time
        } catch (NumberFormatException e) {
            at = moment(value);
        }
        Instant zendeskNow = answeredAt(response).orElse(now);
        return at.map(t -> t.isAfter(zendeskNow) ? Duration.between(zendeskNow, t) : Duration.ZERO);
    }

    private static Optional<Instant> moment(String value) {
        for (DateTimeFormatter format : new DateTimeFormatter[] {DateTimeFormatter.RFC_1123_DATE_TIME, DateTimeFormatter.ISO_OFFSET_DATE_TIME}) {
            try {
                return Optional.of(OffsetDateTime.parse(value, format).toInstant());
            } catch (DateTimeParseException e) {
                // the next form
            }
        }
        try {
            return Optional.of(LocalDateTime.parse(value).toInstant(ZoneOffset.UTC)); // a time without a zone is UTC
        } catch (DateTimeParseException e) {
            return Optional.empty();
        }
    }

    /** The answer's {@code Date} header. */
    private static Optional<Instant> answeredAt(Response response) {
        String date = response.getHeaderString("Date");
        if (date == null) return Optional.empty();
        try {
            return Optional.of(OffsetDateTime.parse(date.strip(), DateTimeFormatter.RFC_1123_DATE_TIME).toInstant());
        } catch (DateTimeParseException e) {
            return Optional.empty();
        }
    }

    private static Optional<Long> number(Response response, String header) {
        String v = response.getHeaderString(header);
        if (v == null) return Optional.empty();
        try {
            return Optional.of(Long.parseLong(v.strip()));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }
}
