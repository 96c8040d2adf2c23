package io.zendeskcrm.collector.runner;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.quarkus.runtime.annotations.RegisterForReflection;
import java.util.List;

/**
 * The EventBridge (Scheduler) event that invokes the function; only logged, never needed. A test event
 * {@code {"check": true}} asks for {@code check} instead of a pass.
 */
@RegisterForReflection
@JsonIgnoreProperties(ignoreUnknown = true)
public record ScheduledEvent(String id, @JsonProperty("detail-type") String detailType, String source, String time,
                             List<String> resources, Boolean check) {}
