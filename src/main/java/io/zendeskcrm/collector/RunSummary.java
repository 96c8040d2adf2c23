package io.zendeskcrm.collector;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.quarkus.runtime.annotations.RegisterForReflection;
import java.util.List;

/**
 * The outcome of one pass: {@code ok} unless a stream failed. A pass that another pass fenced out is
 * {@code superseded}: it stopped without writing more, which is not a failure.
 */
@RegisterForReflection
public record RunSummary(boolean ok, @JsonInclude(JsonInclude.Include.NON_DEFAULT) boolean superseded, String destination,
                         List<StreamResult> streams) {

    public static RunSummary of(String destination, List<StreamResult> streams) {
        return new RunSummary(streams.stream().allMatch(StreamResult::ok), streams.stream().anyMatch(StreamResult::superseded),
                destination, List.copyOf(streams));
    }

    /** The failed streams' errors, one per line, for an exception or exit message. */
    public String failures() {
        StringBuilder out = new StringBuilder();
        for (StreamResult s : streams) {
            if (!s.ok()) out.append(out.length() > 0 ? "\n" : "").append(s.error());
        }
        return out.toString();
    }
}
