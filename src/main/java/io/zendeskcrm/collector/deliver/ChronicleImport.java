package io.zendeskcrm.collector.deliver;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.zendeskcrm.collector.config.SecOps;
import io.zendeskcrm.collector.stream.Deadline;
import io.zendeskcrm.collector.stream.OutOfTimeException;
import io.zendeskcrm.collector.zendesk.NetworkFailure;
import io.zendeskcrm.collector.zendesk.RetryingRequests;
import io.zendeskcrm.collector.zendesk.Sleeper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.function.DoubleSupplier;

/**
 * Sends one body to {@code logs:import} until SecOps takes it or refuses it for good. 429 and 5xx are
 * waited out (Retry-After, else the collector's backoff) within the pass's time budget; 5xx, I/O errors
 * and failed token exchanges count against {@code HTTP_RETRIES}. 400, 403 and 404 fail at once, naming
 * what to fix. The access token goes in the request's header only; no message carries it or a record.
 */
public final class ChronicleImport {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration MAX_THROTTLED = Duration.ofMinutes(15);

    private final SecOps secOps;
    private final URI uri;
    private final AccessTokens tokens;
    private final HttpClient http;
    private final Duration timeout;
    private final int retries;
    private final Sleeper sleeper;
    private final Clock clock;
    private final Deadline deadline;
    private final DoubleSupplier jitter;

    public ChronicleImport(SecOps secOps, AccessTokens tokens, HttpClient http, Duration timeout, int retries, Sleeper sleeper,
                           Clock clock, Deadline deadline, DoubleSupplier jitter) {
        this.secOps = secOps;
        this.uri = secOps.importUri();
        this.tokens = tokens;
        this.http = http;
        this.timeout = timeout;
        this.retries = retries;
        this.sleeper = sleeper;
        this.clock = clock;
        this.deadline = deadline;
        this.jitter = jitter;
    }

    /**
     * @param what     the records in the body, for messages ({@code records 1-250 of <key>})
     * @param notTaken run before giving up when every attempt was answered with a refusal, so that SecOps
     *                 certainly did not take the body (an attempt without an answer may have landed)
     * @throws DeliveryException  when SecOps refuses the body, or keeps failing past {@code HTTP_RETRIES}
     * @throws OutOfTimeException when waiting to send again would pass the pass's time budget
     */
    void send(String stream, String what, byte[] body, Runnable notTaken) {
        int failures = 0;
        boolean renewed = false;
        boolean unanswered = false;
        Duration throttledFor = Duration.ZERO;
        for (int attempt = 1; ; attempt++) {
            String problem;
            Duration wait;
            boolean throttled = false;
            String token;
            try {
                token = tokens.token(stream);
            } catch (DeliveryException e) {
                // Nothing was sent: the token exchange (AWS identity to Google STS, perhaps impersonation) failed, and a
                // blip there is waited out as an import's 5xx is; a configuration that is wrong fails the same way each time.
                if (++failures > retries) throw giveUp(unanswered, notTaken, e);
                backOff(stream, what, "the token exchange failed", RetryingRequests.backoff(failures, jitter.getAsDouble()),
                        unanswered, notTaken);
                continue;
            }
            HttpRequest request = HttpRequest.newBuilder(uri).timeout(timeout)
                    .header("Authorization", "Bearer " + token)
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build();
            try {
                HttpResponse<byte[]> response = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
                int status = response.statusCode();
                if (status / 100 == 2) return;
                if (status == 401 && !renewed) {
                    renewed = true; // a token that expired in flight: once, with a new one
                    tokens.forget();
                    continue;
                }
                if (status == 429 || status >= 500) {
                    problem = "HTTP " + status;
                    throttled = status == 429;
                    if (!throttled) failures++;
                    wait = retryAfter(response).orElse(RetryingRequests.backoff(throttled ? attempt : failures, jitter.getAsDouble()));
                } else {
                    throw giveUp(unanswered, notTaken, new DeliveryException(stream + ": " + refusal(status, what, googleSays(response.body()))));
                }
            } catch (IOException e) {
                unanswered = true; // sent, perhaps taken, and the answer lost
                problem = NetworkFailure.describe(e);
                wait = RetryingRequests.backoff(++failures, jitter.getAsDouble());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new DeliveryException(stream + ": interrupted while sending " + what + " to SecOps");
            }
            if (failures > retries) {
                throw giveUp(unanswered, notTaken, new DeliveryException(stream + ": logs:import of " + what + " failed after "
                        + attempt + " attempts; last failure: " + problem + " (HTTP_RETRIES=" + retries + "); the next pass"
                        + " sends it again"));
            }
            if (throttled) {
                throttledFor = throttledFor.plus(wait);
                if (throttledFor.compareTo(MAX_THROTTLED) > 0) {
                    throw giveUp(unanswered, notTaken, new OutOfTimeException(stream + ": SecOps throttled logs:import for "
                            + throttledFor.toSeconds() + " s in all; " + what + " waits for the next pass"));
                }
            }
            backOff(stream, what, problem, wait, unanswered, notTaken);
        }
    }

    /** Waits {@code wait} before the next attempt, unless that would pass the run's time budget. */
    private void backOff(String stream, String what, String problem, Duration wait, boolean unanswered, Runnable notTaken) {
        if (deadline.wouldPass(clock.instant(), wait)) {
            throw giveUp(unanswered, notTaken, new OutOfTimeException(stream + ": logs:import of " + what + " ("
                    + problem + "): waiting " + wait.toSeconds() + " s to send again would pass the run's time budget"));
        }
        try {
            sleeper.sleep(wait);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DeliveryException(stream + ": interrupted while waiting to send " + what + " to SecOps");
        }
    }

    /** Every attempt answered with a refusal: SecOps did not take the body, and the caller may say so. */
    private static RuntimeException giveUp(boolean unanswered, Runnable notTaken, RuntimeException failure) {
        if (!unanswered) notTaken.run();
        return failure;
    }

    private String refusal(int status, String what, String google) {
        return switch (status) {
            case 401 -> "SecOps refused the Google access token (401" + google + "); check the workload identity pool's"
                    + " provider and the credential configuration in " + secOps.configSource();
            case 403 -> "SecOps answered 403 to logs:import on " + secOps.instance() + google + ": the function's identity"
                    + " needs the permission chronicle.logs.import on that instance (roles/chronicle.editor, or a custom role"
                    + " with it), granted to the workload identity principal (or the impersonated service account)";
            case 404 -> "SecOps answered 404: there is no instance " + secOps.instance() + " at " + secOps.endpoint()
                    + google + "; check SECOPS_INSTANCE (projects/{project}/locations/{location}/instances/{instance})"
                    + " and SECOPS_REGION";
            case 400 -> "SecOps refused " + what + " (400" + google + "); they stay in the bucket and pending";
            default -> "SecOps answered " + status + " to logs:import of " + what + google;
        };
    }

    /** Google's own {@code error.status} and {@code error.message}, short: what it says is wrong. */
    private static String googleSays(byte[] body) {
        try {
            JsonNode error = JSON.readTree(body).path("error");
            String status = error.path("status").asText("");
            String message = error.path("message").asText("");
            if (message.length() > 200) message = message.substring(0, 200) + "...";
            String said = (status + (status.isEmpty() || message.isEmpty() ? "" : ": ") + message).strip();
            return said.isEmpty() ? "" : ", " + said;
        } catch (IOException | RuntimeException e) {
            return "";
        }
    }

    private static Optional<Duration> retryAfter(HttpResponse<?> response) {
        return response.headers().firstValue("Retry-After").flatMap(v -> {
            try {
                return Optional.of(Duration.ofSeconds(Math.max(1, Long.parseLong(v.strip()))));
            } catch (NumberFormatException e) {
                return Optional.empty();
            }
        });
    }
}
