package io.zendeskcrm.collector.zendesk;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.zendeskcrm.collector.stream.OutOfTimeException;
import io.zendeskcrm.collector.stream.RequestStats;
import io.zendeskcrm.collector.stream.Deadline;
import jakarta.ws.rs.core.Response;
import java.io.IOException;
import java.io.InputStream;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.DoubleSupplier;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Sends a request until it yields a JSON object or fails for good, deciding in this one place what a
 * failure means:
 * <ul>
 *   <li>5xx, I/O errors and bodies that end early are retried up to {@code HTTP_RETRIES} times,
 *       after a jittered exponential backoff;</li>
 *   <li>a 200 answer that arrived and is not JSON (an HTML page, bytes that are not UTF-8, a record over the
 *       parser's limits) fails at once, saying which: asking again gets the same bytes;</li>
 *   <li>429 is waited out ({@code Retry-After}, else {@code ratelimit-reset}, as seconds or a date-time,
 *       else backoff) without using up {@code HTTP_RETRIES}: throttling is Zendesk pacing us, not a fault.
 *       A wait that would pass the run's time budget, or is longer than {@link #MAX_WAIT},
 *       ends the stream's pass as out of time (success, more to do), never as a failure;</li>
 *   <li>any other status fails at once.</li>
 * </ul>
 * Messages never carry credentials or record contents.
 */
public final class RetryingRequests {
    static final Duration MAX_BACKOFF = Duration.ofSeconds(60);
    /** A single wait beyond this is not sat out inside one run; the next run carries on. */
    static final Duration MAX_WAIT = Duration.ofMinutes(5);
    /** Throttled waits for one request add up to at most this; then the next run carries on. */
    static final Duration MAX_THROTTLED = Duration.ofMinutes(15);
    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * Reads a 200 answer's body as it arrives. An {@link IOException} (a body cut off) means the answer is
     * retried, unless it is a {@link NotJsonException} or a parser's verdict that the bytes are not JSON;
     * a {@link ZendeskException} means the answer is wrong and fails.
     */
    @FunctionalInterface
    public interface BodyReader<T> {
        T read(InputStream body) throws IOException;
    }

    /** The whole body as one JSON object. */
    public static final BodyReader<JsonNode> JSON_OBJECT = body -> {
        JsonNode node = JSON.readTree(body);
        if (node == null || node.isMissingNode()) throw new IOException("an empty body");
        if (!node.isObject()) throw new NotJsonException("JSON that is not an object");
        return node;
    };

    /** Explains a status that is not retried; {@code zendeskSays} is Zendesk's own short error text, if any. */
    @FunctionalInterface
    public interface FatalStatus {
        String explain(int status, Optional<String> zendeskSays);
    }

    private final int retries;
    private final Sleeper sleeper;
    private final RequestStats stats;
    private final Clock clock;
    private final Deadline deadline;
    private final RatePacer pacer;
    private final DoubleSupplier jitter;
    private final ZendeskTime zendeskTime;

    /** @param jitter a number in [0, 1) per backoff, spreading the retries of runs that failed together */
    public RetryingRequests(int retries, Sleeper sleeper, RequestStats stats, Clock clock, Deadline deadline, RatePacer pacer,
                            DoubleSupplier jitter) {
        this.retries = retries;
        this.pacer = pacer;
        this.sleeper = sleeper;
        this.stats = stats;
        this.clock = clock;
        this.deadline = deadline;
        this.jitter = jitter;
        this.zendeskTime = new ZendeskTime(clock);
    }

    public RetryingRequests(int retries, Sleeper sleeper, RequestStats stats, Clock clock, Deadline deadline, RatePacer pacer) {
        this(retries, sleeper, stats, clock, deadline, pacer, () -> ThreadLocalRandom.current().nextDouble());
    }

    /** Zendesk's clock, from the {@code Date} of every answer this sends. */
    public ZendeskTime zendeskTime() {
        return zendeskTime;
    }

    /**
     * @param stream the stream the request serves, for messages, counts and its share of the time
     * @param where  what is being read (a cursor, a time window, the token endpoint; never a secret)
     */
    public JsonNode send(String stream, String where, Supplier<Response> request, FatalStatus fatal) {
        return send(stream, where, request, fatal, JSON_OBJECT);
    }

    /** As {@link #send(String, String, Supplier, FatalStatus)}, reading a 200 answer's body with {@code reader}. */
    public <T> T send(String stream, String where, Supplier<Response> request, FatalStatus fatal, BodyReader<T> reader) {
        int failures = 0;
        Duration throttledFor = Duration.ZERO;
        for (int attempt = 1; ; attempt++) {
            pace(stream, where);
            stats.request(stream);
            Duration wait;
            String problem;
            boolean throttled = false;
            try (Response response = request.get()) {
                pacer.observe(stream, response, clock.instant());
                zendeskTime.observe(response.getHeaderString("Date"));
                int status = response.getStatus();
                if (status == 200) {
                    try (InputStream body = response.readEntity(InputStream.class)) {
                        return reader.read(NotJsonException.refuseHtml(response.getMediaType(), body));
                    } catch (IOException e) {
                        Optional<NotJsonException> notJson = NotJsonException.of(e);
                        if (notJson.isPresent()) {
                            throw new ZendeskException(stream + ": Zendesk answered 200 with " + notJson.get().getMessage()
                                    + ", at " + where + notJson.get().advice(), 200);
                        }
                        // The connection failing under the body names its cause; a body that ends early names only
                        // its kind (a parser's message would quote the answer's records).
                        problem = e.getCause() != null ? NetworkFailure.describe(e)
                                : "a truncated response body (" + e.getClass().getSimpleName() + ")";
                        wait = backoff(++failures);
                    }
                } else if (status == 429) {
                    problem = "429 Too Many Requests";
                    throttled = true;
                    wait = retryAfter(response, clock.instant()).orElse(null);
                    if (wait == null) wait = backoff(attempt);
                } else if (status >= 500) {
                    problem = "HTTP " + status;
                    wait = backoff(++failures);
                } else {
                    throw new ZendeskException(stream + ": Zendesk answered " + status + " at " + where + ": "
                            + fatal.explain(status, zendeskError(response)), status);
                }
            } catch (ZendeskException e) {
                throw e;
            } catch (RuntimeException e) {
                // Connection refused or reset, DNS, TLS, timeouts, a body cut off mid-transfer: said which.
                problem = NetworkFailure.describe(e);
                wait = backoff(++failures);
            }
            if (failures > retries) {
                throw new ZendeskException(stream + ": Zendesk request at " + where + " failed after " + attempt
                        + " attempts; last failure: " + problem + " (HTTP_RETRIES=" + retries + ")", 0);
            }
            if (wait.compareTo(MAX_WAIT) > 0) {
                throw new OutOfTimeException(stream + ": stopping at " + where + ": Zendesk asked to wait " + wait.toSeconds()
                        + " s (" + problem + "), longer than a run waits");
            }
            if (throttled) {
                throttledFor = throttledFor.plus(wait);
                if (throttledFor.compareTo(MAX_THROTTLED) > 0) {
                    throw new OutOfTimeException(stream + ": stopping at " + where + ": throttled for "
                            + throttledFor.toSeconds() + " s in all");
                }
            }
            if (deadline.wouldPass(clock.instant(), wait)) {
                throw new OutOfTimeException(stream + ": stopping at " + where + " (" + problem + "): waiting "
                        + wait.toSeconds() + " s to retry would pass the run's time budget");
            }
            stats.retry(stream, throttled);
            sleep(stream, wait);
        }
    }

    /** Waits as long as the rate-limit headers ask, unless that would pass the deadline. */
    private void pace(String stream, String where) {
        Duration wait = pacer.waitBefore(stream, clock.instant());
        if (wait.isZero()) return;
        if (wait.compareTo(MAX_WAIT) > 0 || deadline.wouldPass(clock.instant(), wait)) {
            throw new OutOfTimeException(stream + ": stopping before " + where + ": the rate limit asks to wait "
                    + wait.toSeconds() + " s, past the run's time budget");
        }
        stats.paced(stream, wait);
        sleep(stream, wait);
    }

    private void sleep(String stream, Duration wait) {
        try {
            sleeper.sleep(wait);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ZendeskException(stream + ": interrupted while waiting", 0);
        }
    }

    /** {@code Retry-After}, else Zendesk's {@code ratelimit-reset}, in any form Zendesk sends them; at least one second. */
    static Optional<Duration> retryAfter(Response response, Instant now) {
        return RatePacer.untilReset(response, "Retry-After", now).or(() -> RatePacer.untilReset(response, "ratelimit-reset", now))
                .map(wait -> wait.compareTo(Duration.ofSeconds(1)) < 0 ? Duration.ofSeconds(1) : wait);
    }

    /** About 1 s, 2 s, 4 s, ... capped at {@link #MAX_BACKOFF}, each between half and all of that (jitter). */
    Duration backoff(int attempt) {
        return backoff(attempt, jitter.getAsDouble());
    }

    /** The same backoff for other services' requests; {@code jitter} is a number in [0, 1). */
    public static Duration backoff(int attempt, double jitter) {
        long millis = Math.min(1000L << Math.min(attempt - 1, 6), MAX_BACKOFF.toMillis());
        return Duration.ofMillis(millis / 2 + (long) (millis / 2 * jitter));
    }

    /** Zendesk's own {@code error}/{@code description} words from an error body, short; never record data. */
    private static Optional<String> zendeskError(Response response) {
        try {
            JsonNode body = JSON.readTree(response.readEntity(byte[].class));
            if (body == null || !body.isObject()) return Optional.empty();
            StringBuilder out = new StringBuilder();
            for (String field : new String[] {"error", "description", "error_description"}) {
                JsonNode v = body.get(field);
                if (v != null && v.isTextual()) out.append(out.length() > 0 ? ": " : "").append(v.asText());
            }
            String text = out.toString();
            return text.isEmpty() ? Optional.empty() : Optional.of(text.length() > 200 ? text.substring(0, 200) + "..." : text);
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }
}
