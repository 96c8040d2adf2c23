package io.zendeskcrm.collector;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * What one stream did in one run.
 *
 * @param outcome        OK, FAILED, or SUPERSEDED (another pass took over the checkpoint: not a failure)
 * @param more           true when the run stopped (MAX_PAGES, time budget) before the end of the stream
 * @param pacedSeconds   time spent waiting so as to stay inside Zendesk's rate limits
 * @param seconds        how long the stream took in this run
 * @param position       the committed position after the run, as the stream shows it (counts, not ids)
 * @param lagSeconds     how far the committed position is behind the run's start; 0 when the stream reached its end
 * @param newestRecordAgeSeconds how old the newest record the stream has in the bucket is (written by this pass or an
 *                       earlier one), by Zendesk's clock at the end of the stream's pass; null before the first record
 * @param watermarkAgeSeconds how far the stream's watermark (every record created before it has been read, late
 *                       records aside) is behind Zendesk's clock at the end of the stream's pass
 * @param rereadRecords  records read again in a window's overlap and skipped, already written
 * @param rereadRequests requests whose page held nothing but such records: the price of the overlap
 * @param withoutId      records without an {@code id}, written all the same
 * @param alreadyWritten records of a re-read page found already written by an earlier pass (not written again)
 * @param gapSeconds     seconds of records Zendesk deleted before this stream could collect them (retention),
 *                       found by this run (also when it then failed)
 * @param stuckCursor    the stream failed because Zendesk kept answering the same cursor
 * @param error          why the stream failed or was superseded, or null
 * @param delivered      with direct delivery to SecOps: records imported by this run (null when delivery is off)
 * @param reimported     of those, records sent again after a pass stopped between importing and recording it
 */
@RegisterForReflection
@JsonInclude(JsonInclude.Include.NON_NULL)
public record StreamResult(
        String stream,
        @JsonIgnore Outcome outcome,
        int pages,
        long records,
        boolean more,
        long requests,
        long retries,
        @JsonProperty("throttled_waits") long throttledWaits,
        @JsonProperty("paced_seconds") long pacedSeconds,
        double seconds,
        ObjectNode position,
        @JsonProperty("lag_seconds") Long lagSeconds,
        @JsonProperty("newest_record_age_seconds") Long newestRecordAgeSeconds,
        @JsonProperty("watermark_age_seconds") Long watermarkAgeSeconds,
        @JsonProperty("reread_records") long rereadRecords,
        @JsonProperty("reread_requests") long rereadRequests,
        @JsonProperty("records_without_id") long withoutId,
        @JsonProperty("already_written") long alreadyWritten,
        @JsonProperty("gap_seconds") long gapSeconds,
        @JsonProperty("stuck_cursor") @JsonInclude(JsonInclude.Include.NON_DEFAULT) boolean stuckCursor,
        String error,
        @JsonProperty("delivered_records") Long delivered,
        @JsonProperty("reimported_records") Long reimported) {

    public enum Outcome { OK, FAILED, SUPERSEDED }

    /** A result without delivery to SecOps. */
    public StreamResult(String stream, Outcome outcome, int pages, long records, boolean more, long requests, long retries,
                        long throttledWaits, long pacedSeconds, double seconds, ObjectNode position, Long lagSeconds,
                        Long newestRecordAgeSeconds, Long watermarkAgeSeconds, long rereadRecords, long rereadRequests, long withoutId, long alreadyWritten, long gapSeconds,
                        boolean stuckCursor, String error) {
        this(stream, outcome, pages, records, more, requests, retries, throttledWaits, pacedSeconds, seconds, position,
                lagSeconds, newestRecordAgeSeconds, watermarkAgeSeconds, rereadRecords, rereadRequests, withoutId, alreadyWritten,
                gapSeconds, stuckCursor, error, null, null);
    }

    /** False only when the stream failed; a superseded stream stopped as it should. */
    @JsonProperty("ok")
    public boolean ok() {
        return outcome != Outcome.FAILED;
    }

    @JsonProperty("superseded")
    @JsonInclude(JsonInclude.Include.NON_DEFAULT)
    public boolean superseded() {
        return outcome == Outcome.SUPERSEDED;
    }
}
