package io.zendeskcrm.collector.stream;

import java.time.Duration;
import java.time.Instant;

/**
 * When a pass must stop starting new work: the Lambda invocation's end less a safety margin, or a
 * {@code TIME_BUDGET_SECONDS} for {@code once}. Work already committed stays; the next pass continues.
 */
public record Deadline(Instant at) {
    public static final Deadline NONE = new Deadline(Instant.MAX);

    public static Deadline after(Instant start, Duration budget) {
        return new Deadline(start.plus(budget));
    }

    public boolean passed(Instant now) {
        return !now.isBefore(at);
    }

    /** True when waiting {@code wait} from {@code now} would end past the deadline. */
    public boolean wouldPass(Instant now, Duration wait) {
        return at != Instant.MAX && now.plus(wait).isAfter(at);
    }
}
