package io.zendeskcrm.collector.stream;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** One Zendesk endpoint read as a resumable stream of pages. Positions are the checkpoint's JSON for this stream. */
public interface ZendeskStream {

    /** The stream's name in {@code RESOURCES}, object keys and the checkpoint. */
    String name();

    /**
     * What keeps a position read from the checkpoint from being resumed (a field missing, or holding a value
     * of the wrong type), naming the field; empty when it can be resumed. Checked before a pass writes anything.
     */
    default Optional<String> positionProblem(ObjectNode position) {
        return Optional.empty();
    }

    /**
     * Whether a position read from the checkpoint was never collected from: where a first run began that
     * failed before its first page was written. {@code START_TIME} still applies to such a stream.
     */
    default boolean collectedNothing(ObjectNode position) {
        return false;
    }

    /** Where a stream with no checkpoint starts. */
    ObjectNode initialPosition(Instant now);

    /**
     * The position the next request reads from, or empty when there is nothing to read yet. It may
     * differ from {@code position} (a new time window is opened); the caller commits it before
     * fetching, so a re-run after a crash reads exactly the same request.
     */
    Optional<ObjectNode> nextRequest(ObjectNode position, Instant now);

    /** Reads the page at a position returned by {@link #nextRequest}. */
    Page fetch(ObjectNode request, Instant now);

    /**
     * The position after a page, given records that an earlier pass already wrote for the same request
     * but that are not on this page: a stream that can meet them again later marks them as written.
     */
    default ObjectNode alreadyWritten(ObjectNode next, List<ObjectNode> records) {
        return next;
    }

    /**
     * Seconds of records that a request newly opened by {@link #nextRequest} can no longer collect,
     * because Zendesk deleted them before this stream got to them (0 for endpoints that keep records).
     */
    default long gapSeconds(ObjectNode request) {
        return 0;
    }

    /** The time up to which the stream has been collected, for the lag figure. */
    Instant positionTime(ObjectNode position);

    /**
     * The stream's watermark for freshness: every record created before it has been read, late records aside.
     *
     * @param reachedEnd whether this pass read the stream to its end, at {@code zendeskNow} by Zendesk's clock
     */
    default Instant readUpTo(ObjectNode position, boolean reachedEnd, Instant zendeskNow) {
        return positionTime(position);
    }

    /** The position as the run summary shows it: small, no record ids. */
    default ObjectNode describe(ObjectNode position) {
        return position;
    }
}
