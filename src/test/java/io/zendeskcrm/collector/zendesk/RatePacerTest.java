package io.zendeskcrm.collector.zendesk;

import jakarta.ws.rs.core.Response;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

class RatePacerTest {
    static final Instant T0 = Instant.parse("2026-11-20T12:00:00.100Z");

    static Response answer(long remaining, long resets) {
        return Response.ok().header("zendesk-ratelimit-incremental-exports",
                "total=10; remaining=" + remaining + "; resets=" + resets).build();
    }

    /** The bucket resets 5.3 s after T0; Zendesk says so in whole seconds, rounded up, on every answer. */
    @Test
    void anEmptyBucketIsWaitedOutToTheTightestResetTheWindowsAnswersAllow() {
        RatePacer pacer = new RatePacer(20);
        Instant reset = T0.plusMillis(5_300);
        Instant now = T0;
        for (long remaining = 9; remaining >= 0; remaining--) {
            long resets = (Duration.between(now, reset).toMillis() + 999) / 1000;
            pacer.observe("incremental_tickets", answer(remaining, resets), now);
            if (remaining > 0) assertEquals(Duration.ZERO, pacer.waitBefore("incremental_tickets", now));
            now = now.plusMillis(130);
        }
        Instant last = now.minusMillis(130);
        Duration wait = pacer.waitBefore("incremental_tickets", last);
        // The last answer alone (resets=5 at 1.17 s) would wait until 6.17 s; the answer at 0.39 s (resets=5,
        // the first to round down to 5) bounds the reset to 5.39 s, 0.09 s after the true one.
        assertEquals(Duration.ofMillis(5_390 - 1_170), wait);
    }

    /** A pacer that leaves half of each bucket to others (a reconcile) waits once 5 of the 10 are left. */
    @Test
    void aBucketReserveIsLeftToOthers() {
        RatePacer pacer = new RatePacer(40, 50);
        pacer.observe("s", answer(6, 40), T0);
        assertEquals(Duration.ZERO, pacer.waitBefore("s", T0));
        pacer.observe("s", answer(5, 40), T0.plusSeconds(1));
        assertEquals(Duration.ofSeconds(39), pacer.waitBefore("s", T0.plusSeconds(1)));
        RatePacer pass = new RatePacer(20);
        pass.observe("s", answer(1, 40), T0);
        assertEquals(Duration.ZERO, pass.waitBefore("s", T0), "a pass uses the bucket to its last request");
    }

    @Test
    void aNewWindowStartsANewEstimate() {
        RatePacer pacer = new RatePacer(20);
        pacer.observe("s", answer(0, 1), T0);
        Instant later = T0.plusSeconds(2);
        pacer.observe("s", answer(9, 60), later);
        pacer.observe("s", answer(0, 59), later.plusMillis(500));
        assertEquals(Duration.ofMillis(59_000), pacer.waitBefore("s", later.plusMillis(500)));
    }
    /** Regression: the account budget's ratelimit-reset was read as seconds only; a date-time waited the default minute. */
    @Test
    void theAccountBudgetsResetIsReadAsSecondsOrADateTime() {
        Instant reset = Instant.parse("2026-11-20T12:00:20Z");
        for (String value : List.of("20", "2026-11-20T12:00:20Z", "Fri, 20 Nov 2026 12:00:20 GMT")) {
            RatePacer pacer = new RatePacer(20);
            Response answer = Response.ok().header("ratelimit-limit", "700").header("ratelimit-remaining", "100")
                    .header("ratelimit-reset", value).header("Date", "Fri, 20 Nov 2026 12:00:00 GMT").build();
            pacer.observe("access_logs", answer, T0);
            assertEquals(Duration.between(T0, T0.plusSeconds(20)), pacer.waitBefore("access_logs", T0), value);
        }
        RatePacer pacer = new RatePacer(20);
        pacer.observe("access_logs", Response.ok().header("ratelimit-limit", "700").header("ratelimit-remaining", "100")
                .header("ratelimit-reset", reset.toString()).build(), T0);
        assertEquals(Duration.between(T0, reset), pacer.waitBefore("access_logs", T0), "without a Date, from the local clock");
    }
}
