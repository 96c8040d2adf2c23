package io.zendeskcrm.collector.zendesk;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.zendeskcrm.collector.Deadline;
import jakarta.ws.rs.core.Response;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Sends a request until it yields a JSON object or fails for good, deciding in this one place what a
 * failure means: 429, 5xx, I/O errors and truncated or unparsable bodies are retried up to
 * {@code HTTP_RETRIES} times (429 after {@code Retry-After}, else {@code ratelimit-reset}, else backoff);
 * any other status fails at once. Messages never carry credentials or record contents.
 */
public final class RetryingRequests {
    static final Duration MAX_BACKOFF = Duration.ofSeconds(60);
    /** A Retry-After beyond this is not waited out inside one run; the next run carries on. */
    static final Duration MAX_RETRY_AFTER = Duration.ofMinutes(5);
    private static final ObjectMapper JSON = new ObjectMapper();

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

    public RetryingRequests(int retries, Sleeper sleeper, RequestStats stats, Clock clock, Deadline deadline, RatePacer pacer) {
        this.retries = retries;
        this.pacer = pacer;
        this.sleeper = sleeper;
        this.stats = stats;
        this.clock = clock;
        this.deadline = deadline;
    }

    /**
     * @param stream the stream the request serves, for messages and counts
     * @param where  what is being read (a cursor, a time window, the token endpoint; never a secret)
     */
    public JsonNode send(String stream, String where, Supplier<Response> request, FatalStatus fatal) {
        for (int attempt = 1; ; attempt++) {
            pace(stream, where);
            stats.request(stream);
            Duration wait;
            String problem;
            boolean throttled = false;
            try (Response response = request.get()) {
                pacer.observe(stream, response, clock.instant());
                int status = response.getStatus();
                if (status == 200) {
                    Optional<JsonNode> body = parse(response);
                    if (body.isPresent()) return body.get();
                    problem = "a truncated or unparsable response body";
                    wait = backoff(attempt);
                } else if (status == 429) {
                    problem = "429 Too Many Requests";
                    throttled = true;
                    wait = retryAfter(response).orElse(backoff(attempt));
                } else if (status >= 500) {
                    problem = "HTTP " + status;
                    wait = backoff(attempt);
                } else {
                    throw new ZendeskException(stream + ": Zendesk answered " + status + " at " + where + ": "
                            + fatal.explain(status, zendeskError(response)), status);
                }
            } catch (ZendeskException e) {
                throw e;
            } catch (RuntimeException e) {
                // Connection refused or reset, timeouts, a body cut off mid-transfer.
                problem = "an I/O error (" + e.getClass().getSimpleName() + ")";
                wait = backoff(attempt);
            }
            if (attempt > retries) {
                throw new ZendeskException(stream + ": Zendesk request at " + where + " failed after " + attempt
                        + " attempts; last failure: " + problem + " (HTTP_RETRIES=" + retries + ")", 0);
            }
            if (wait.compareTo(MAX_RETRY_AFTER) > 0) {
                throw new ZendeskException(stream + ": Zendesk asked to wait " + wait.toSeconds() + " s at " + where
                        + ", longer than a run waits; the next run carries on from the last committed page", 0);
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
        if (deadline.wouldPass(clock.instant(), wait)) {
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

    private static Optional<JsonNode> parse(Response response) {
        try {
            JsonNode node = JSON.readTree(response.readEntity(byte[].class));
            return node != null && node.isObject() ? Optional.of(node) : Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /** {@code Retry-After} in seconds, else Zendesk's {@code ratelimit-reset}; at least one second. */
    static Optional<Duration> retryAfter(Response response) {
        for (String header : new String[] {"Retry-After", "ratelimit-reset"}) {
            String value = response.getHeaderString(header);
            if (value == null) continue;
            try {
                return Optional.of(Duration.ofSeconds(Math.max(1, Long.parseLong(value.strip()))));
            } catch (NumberFormatException ignored) {
                // An HTTP-date or junk: try the next header, then fall back to backoff.
            }
        }
        return Optional.empty();
    }

    /** 1 s, 2 s, 4 s, ... capped at {@link #MAX_BACKOFF}. */
    static Duration backoff(int attempt) {
        long seconds = 1L << Math.min(attempt - 1, 6);
        return Duration.ofSeconds(Math.min(seconds, MAX_BACKOFF.toSeconds()));
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
