package io.zendeskcrm.collector;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.quarkus.runtime.annotations.RegisterForReflection;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * What one stream did in one run.
 *
 * @param more        true when the run stopped (MAX_PAGES, time budget) before the end of the stream
 * @param pacedSeconds time spent waiting so as to stay inside Zendesk's rate limits
 * @param seconds     how long the stream took in this run
 * @param position    the committed position after the run
 * @param lagSeconds  how far the committed position is behind the run's start; 0 when the stream reached its end
 * @param error       why the stream failed (no credentials, no record data), or null
 */
@RegisterForReflection
@JsonInclude(JsonInclude.Include.NON_NULL)
public record StreamResult(
        String stream,
        boolean ok,
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
        String error) {}
