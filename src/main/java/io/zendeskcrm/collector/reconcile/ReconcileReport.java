package io.zendeskcrm.collector.reconcile;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;

/** What reconcile found, printed as one JSON line; {@code ok} when every stream is {@link StreamReport#clean()}. */
@io.quarkus.runtime.annotations.RegisterForReflection
@JsonPropertyOrder({"ok", "streams"})
public record ReconcileReport(List<StreamReport> streams) {
    public static final int EXIT_FAILED = 1;
    public static final int EXIT_DISCREPANCIES = 3;
    private static final ObjectMapper JSON = new ObjectMapper();

    @com.fasterxml.jackson.annotation.JsonProperty("ok")
    public boolean ok() {
        return streams.stream().allMatch(StreamReport::clean);
    }

    /** 0 nothing missing (after repair) and nothing duplicated; 1 a stream failed; 3 discrepancies remain. */
    @JsonIgnore
    public int exitStatus() {
        if (streams.stream().anyMatch(StreamReport::failed)) return EXIT_FAILED;
        return ok() ? 0 : EXIT_DISCREPANCIES;
    }

    public String toJson() {
        try {
            return JSON.writeValueAsString(this);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
