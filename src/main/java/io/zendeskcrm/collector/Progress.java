package io.zendeskcrm.collector;

import java.time.Instant;

/** Told after every committed page; a terminal shows it during a long backfill. */
@FunctionalInterface
public interface Progress {
    Progress NONE = (stream, pages, records, position, now) -> { };

    /** @param position the time up to which the stream has now been collected */
    void page(String stream, int pages, long records, Instant position, Instant now);
}
