package io.zendeskcrm.collector.runner;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.quarkus.runtime.annotations.RegisterForReflection;
import java.util.List;

/**
 * The EventBridge (Scheduler) event that invokes the function; only logged, never needed, except
 * {@code reconcile}: when present the invocation reconciles instead of collecting. A test event
 * {@code {"check": true}} asks for {@code check} instead of a pass.
 */
@RegisterForReflection
@JsonIgnoreProperties(ignoreUnknown = true)
public record ScheduledEvent(String id, @JsonProperty("detail-type") String detailType, String source, String time,
                             List<String> resources, Reconcile reconcile, Boolean check) {

    /**
     * {@code {"reconcile": {"since": "3d", "repair": true}}}: the command line's {@code --since},
     * {@code --until} and {@code --repair}.
     */
    @RegisterForReflection
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Reconcile(String since, String until, Boolean repair) {
        public List<String> arguments() {
            List<String> args = new java.util.ArrayList<>();
            if (since != null) args.addAll(List.of("--since", since));
            if (until != null) args.addAll(List.of("--until", until));
            if (Boolean.TRUE.equals(repair)) args.add("--repair");
            return args;
        }
    }
}
