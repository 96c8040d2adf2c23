package io.zendeskcrm.collector.runner;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.zendeskcrm.collector.reconcile.ReconcileReport;
import io.zendeskcrm.collector.reconcile.StreamReport;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * A reconcile's findings as CloudWatch Embedded Metric Format lines, one per stream, in the namespace of
 * the pass metrics: {@code MissingRecords} (found missing), {@code RepairedRecords} (written by the repair)
 * and {@code DuplicatedRecords}, by {@code FunctionName} and {@code Stream} and by {@code FunctionName}
 * alone (what the alarm on records still missing after repair watches).
 */
public final class ReconcileMetrics {
    private static final ObjectMapper JSON = new ObjectMapper();

    private ReconcileMetrics() {}

    public static List<String> emf(ReconcileReport report, String functionName, Instant at) {
        List<String> lines = new ArrayList<>();
        for (StreamReport s : report.streams()) {
            ObjectNode line = JSON.createObjectNode();
            ObjectNode aws = line.putObject("_aws");
            aws.put("Timestamp", at.toEpochMilli());
            ObjectNode directive = aws.putArray("CloudWatchMetrics").addObject();
            directive.put("Namespace", RunMetrics.NAMESPACE);
            ArrayNode dimensions = directive.putArray("Dimensions");
            dimensions.addArray().add("FunctionName").add("Stream");
            dimensions.addArray().add("FunctionName");
            ArrayNode metrics = directive.putArray("Metrics");
            line.put("FunctionName", functionName);
            line.put("Stream", s.stream());
            metric(metrics, line, "MissingRecords", s.missing());
            metric(metrics, line, "RepairedRecords", s.repaired());
            metric(metrics, line, "DuplicatedRecords", s.duplicated());
            lines.add(line.toString());
        }
        return lines;
    }

    private static void metric(ArrayNode metrics, ObjectNode line, String name, long value) {
        metrics.addObject().put("Name", name).put("Unit", "Count");
        line.put(name, value);
    }
}
