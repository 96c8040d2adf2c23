package io.zendeskcrm.collector.reconcile;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.util.List;

/**
 * What reconcile found for one stream over {@code [from, to]}.
 *
 * @param inZendesk      records Zendesk holds now for the period
 * @param inBucket       distinct records the bucket holds for the period
 * @param missing        records Zendesk holds that the bucket does not (before any repair)
 * @param duplicated     records the bucket holds more than once
 * @param repaired       missing records written by {@code --repair}
 * @param missingIds     the first {@value DayIndex#LISTED} missing records' ids
 * @param duplicatedIds  the first {@value DayIndex#LISTED} duplicated records' ids
 * @param duplicatedKeys objects that hold the duplicates (at most 100)
 * @param complete       false when the check stopped before {@code to} ({@code to} is then how far it got)
 * @param error          why the stream could not be checked, if it could not
 */
@io.quarkus.runtime.annotations.RegisterForReflection
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonPropertyOrder({"stream", "from", "to", "in_zendesk", "in_bucket", "missing", "duplicated", "repaired", "missing_ids",
        "duplicated_ids", "duplicated_keys", "complete", "error"})
public record StreamReport(String stream, String from, String to,
                           @JsonProperty("in_zendesk") long inZendesk,
                           @JsonProperty("in_bucket") long inBucket,
                           long missing, long duplicated, long repaired,
                           @JsonProperty("missing_ids") List<String> missingIds,
                           @JsonProperty("duplicated_ids") List<String> duplicatedIds,
                           @JsonProperty("duplicated_keys") List<String> duplicatedKeys,
                           Boolean complete, String error) {

    /** Nothing missing that was not repaired, nothing duplicated, and the whole period checked. */
    @com.fasterxml.jackson.annotation.JsonIgnore
    public boolean clean() {
        return error == null && missing == repaired && duplicated == 0;
    }

    @com.fasterxml.jackson.annotation.JsonIgnore
    public boolean failed() {
        return error != null;
    }
}
