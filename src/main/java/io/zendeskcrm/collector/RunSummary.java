package io.zendeskcrm.collector;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.quarkus.runtime.annotations.RegisterForReflection;
import java.util.List;

/**
 * The outcome of one pass: {@code ok} unless a stream failed (or the pass's OAuth {@code error}). A pass
 * that another pass fenced out is {@code superseded}: it stopped without writing more, which is not a failure.
 *
 * @param refreshTokenExpiresInSeconds with {@code oauth_refresh_token}, how long the stored refresh token has
 *                                     left, when Zendesk said; else null
 * @param error                        a failure of the pass outside any stream (a rotated refresh token that
 *                                     could not be stored), or null
 */
@RegisterForReflection
public record RunSummary(boolean ok, @JsonInclude(JsonInclude.Include.NON_DEFAULT) boolean superseded, String destination,
                         List<StreamResult> streams,
                         @JsonProperty("refresh_token_expires_in_seconds") @JsonInclude(JsonInclude.Include.NON_NULL)
                         Long refreshTokenExpiresInSeconds,
                         @JsonInclude(JsonInclude.Include.NON_NULL) String error) {

    public static RunSummary of(String destination, List<StreamResult> streams) {
        return new RunSummary(streams.stream().allMatch(StreamResult::ok), streams.stream().anyMatch(StreamResult::superseded),
                destination, List.copyOf(streams), null, null);
    }

    /** This summary with the pass's OAuth figures: an {@code error} fails the pass. */
    public RunSummary withOAuth(Long refreshTokenExpiresInSeconds, String error) {
        return new RunSummary(ok && error == null, superseded, destination, streams, refreshTokenExpiresInSeconds, error);
    }

    /** The failed streams' errors, one per line, for an exception or exit message. */
    public String failures() {
        StringBuilder out = new StringBuilder();
        for (StreamResult s : streams) {
            if (!s.ok()) out.append(out.length() > 0 ? "\n" : "").append(s.error());
        }
        if (error != null) out.append(out.length() > 0 ? "\n" : "").append(error);
        return out.toString();
    }
}
