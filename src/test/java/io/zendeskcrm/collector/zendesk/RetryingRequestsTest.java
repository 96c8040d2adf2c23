package io.zendeskcrm.collector.zendesk;

import jakarta.ws.rs.core.Response;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** How long a 429 asks to wait, in every form Zendesk writes it. */
class RetryingRequestsTest {
    static final Instant NOW = Instant.parse("2026-11-25T18:04:00.300Z");

    private static Optional<Duration> wait(String... headers) {
        Response.ResponseBuilder answer = Response.status(429);
        for (int i = 0; i < headers.length; i += 2) answer.header(headers[i], headers[i + 1]);
        return RetryingRequests.retryAfter(answer.build(), NOW);
    }

    @Test
    void secondsAndHttpDatesAsBefore() {
        assertEquals(Optional.of(Duration.ofSeconds(42)), wait("Retry-After", "42"));
        assertEquals(Optional.of(Duration.ofMillis(59_700)), wait("Retry-After", "Wed, 25 Nov 2026 18:05:00 GMT"));
        assertEquals(Optional.of(Duration.ofSeconds(7)), wait("Retry-After", "soon", "ratelimit-reset", "7"));
        assertEquals(Optional.of(Duration.ofSeconds(1)), wait("ratelimit-reset", "0"), "at least a second");
        assertEquals(Optional.empty(), wait("ratelimit-reset", "soon"));
    }

    /** Regression: Zendesk's access-log reference calls ratelimit-reset "a date-time"; only seconds and HTTP dates were read. */
    @Test
    void aRatelimitResetAsAnIso8601TimeIsWaitedFor() {
        assertEquals(Optional.of(Duration.ofMillis(59_700)), wait("ratelimit-reset", "2026-11-25T18:05:00Z"));
        assertEquals(Optional.of(Duration.ofMillis(59_700)), wait("ratelimit-reset", "2026-11-25T19:05:00+01:00"));
        assertEquals(Optional.of(Duration.ofMillis(59_700)), wait("ratelimit-reset", "2026-11-25T18:05:00"), "no zone: UTC");
        assertEquals(Optional.of(Duration.ofMillis(59_700)), wait("ratelimit-reset", String.valueOf(Instant.parse("2026-11-25T18:05:00Z")
                .getEpochSecond())), "a number too large for a delay is a Unix time");
    }

    /** A local clock 10 minutes ahead would see the reset long past; Zendesk's Date says how far off it still is. */
    @Test
    void aMomentIsMeasuredFromZendesksDateWhenTheAnswerHasOne() {
        assertEquals(Optional.of(Duration.ofSeconds(600)), wait("ratelimit-reset", "2026-11-25T18:05:00Z",
                "Date", "Wed, 25 Nov 2026 17:55:00 GMT"));
        assertEquals(Optional.of(Duration.ofSeconds(30)), wait("Retry-After", "Wed, 25 Nov 2026 18:05:00 GMT",
                "Date", "Wed, 25 Nov 2026 18:04:30 GMT"));
        assertEquals(Optional.of(Duration.ofSeconds(42)), wait("Retry-After", "42", "Date", "Wed, 25 Nov 2026 17:55:00 GMT"),
                "seconds are a delay whatever the clocks say");
    }
}
