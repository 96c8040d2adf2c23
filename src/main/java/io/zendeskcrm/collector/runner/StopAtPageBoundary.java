package io.zendeskcrm.collector.runner;

import io.zendeskcrm.collector.Progress;
import io.zendeskcrm.collector.stream.OutOfTimeException;
import java.time.Instant;

/**
 * Ends a stream's pass at the first page boundary after a stop was requested. The job tells its
 * {@link Progress} after every committed page and ends a stream that runs out of time as a success
 * with more to do, so an {@link OutOfTimeException} thrown here is exactly "stop after this page".
 */
final class StopAtPageBoundary implements Progress {
    private final StopRequest stop;
    private final Progress progress;

    StopAtPageBoundary(StopRequest stop, Progress progress) {
        this.stop = stop;
        this.progress = progress;
    }

    @Override
    public void page(String stream, int pages, long records, Instant position, Instant now) {
        progress.page(stream, pages, records, position, now);
        if (stop.requested()) {
            throw new OutOfTimeException(stream + ": stopping after page " + pages + " of this run (" + stop.signal() + ")");
        }
    }
}
