package io.zendeskcrm.collector;

import io.quarkus.runtime.annotations.RegisterForReflection;
import java.util.List;

/** The outcome of one pass: {@code ok} only when every stream succeeded. */
@RegisterForReflection
public record RunSummary(boolean ok, String destination, List<StreamResult> streams) {

    public static RunSummary of(String destination, List<StreamResult> streams) {
        return new RunSummary(streams.stream().allMatch(StreamResult::ok), destination, List.copyOf(streams));
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
