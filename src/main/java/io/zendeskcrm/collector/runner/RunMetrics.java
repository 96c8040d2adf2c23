package io.zendeskcrm.collector.runner;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.zendeskcrm.collector.RunSummary;
import io.zendeskcrm.collector.StreamResult;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The run's figures as CloudWatch Embedded Metric Format lines, one per stream: printed to the
 * function's log, CloudWatch turns them into metrics without any API call. Namespace
 * {@code ZendeskCrmCollector}, dimensions {@code FunctionName} and {@code Stream}; and one line for the
 * pass ({@code SupersededPasses}, {@code StuckCursors}, the stalest stream's {@code WatermarkAgeSeconds} and, with {@code oauth_refresh_token},
 * {@code RefreshTokenExpiresInSeconds}; dimension {@code FunctionName}).
 */
public final class RunMetrics {
    public static final String NAMESPACE = "ZendeskCrmCollector";
    private static final ObjectMapper JSON = new ObjectMapper();

    private RunMetrics() {}

    public static List<String> emf(RunSummary summary, String functionName, Instant at) {
        List<String> lines = new ArrayList<>();
        for (StreamResult s : summary.streams()) {
            ObjectNode line = JSON.createObjectNode();
            ObjectNode aws = line.putObject("_aws");
            aws.put("Timestamp", at.toEpochMilli());
            ObjectNode directive = aws.putArray("CloudWatchMetrics").addObject();
            directive.put("Namespace", NAMESPACE);
            directive.putArray("Dimensions").addArray().add("FunctionName").add("Stream");
            ArrayNode metrics = directive.putArray("Metrics");
            line.put("FunctionName", functionName);
            line.put("Stream", s.stream());
            metric(metrics, line, "Records", "Count", s.records());
            metric(metrics, line, "Pages", "Count", s.pages());
            metric(metrics, line, "Retries", "Count", s.retries());
            metric(metrics, line, "ThrottledWaits", "Count", s.throttledWaits());
            metric(metrics, line, "StreamFailed", "Count", s.ok() ? 0 : 1);
            metric(metrics, line, "RereadRecords", "Count", s.rereadRecords());
            metric(metrics, line, "RecordsWithoutId", "Count", s.withoutId());
            metric(metrics, line, "RetentionGap", "Seconds", s.gapSeconds());
            if (s.lagSeconds() != null) metric(metrics, line, "CheckpointLagSeconds", "Seconds", s.lagSeconds());
            // Freshness: the newest record's age grows while an account is quiet; the watermark's does not.
            if (s.newestRecordAgeSeconds() != null) metric(metrics, line, "NewestRecordAgeSeconds", "Seconds", s.newestRecordAgeSeconds());
            if (s.watermarkAgeSeconds() != null) metric(metrics, line, "WatermarkAgeSeconds", "Seconds", s.watermarkAgeSeconds());
            // With direct delivery to SecOps only: records imported, and of those the ones sent again after a crash.
            if (s.delivered() != null) metric(metrics, line, "DeliveredRecords", "Count", s.delivered());
            if (s.reimported() != null) metric(metrics, line, "ReimportedRecords", "Count", s.reimported());
            lines.add(line.toString());
        }
        // Per pass, not per stream: a pass fenced out by a newer one (not a failure; see README).
        ObjectNode line = JSON.createObjectNode();
        ObjectNode aws = line.putObject("_aws");
        aws.put("Timestamp", at.toEpochMilli());
        ObjectNode directive = aws.putArray("CloudWatchMetrics").addObject();
        directive.put("Namespace", NAMESPACE);
        directive.putArray("Dimensions").addArray().add("FunctionName");
        line.put("FunctionName", functionName);
        ArrayNode passMetrics = directive.putArray("Metrics");
        metric(passMetrics, line, "SupersededPasses", "Count", summary.superseded() ? 1 : 0);
        // Streams that failed on a cursor Zendesk would not move: one alarm for all of them.
        metric(passMetrics, line, "StuckCursors", "Count", summary.streams().stream().filter(StreamResult::stuckCursor).count());
        // The stalest stream's watermark, for one freshness alarm over all streams.
        summary.streams().stream().map(StreamResult::watermarkAgeSeconds).filter(java.util.Objects::nonNull).max(Long::compare)
                .ifPresent(age -> metric(passMetrics, line, "WatermarkAgeSeconds", "Seconds", age));
        // oauth_refresh_token only: how long the stored refresh token has left (its alarm fires days before it lapses).
        if (summary.refreshTokenExpiresInSeconds() != null) {
            metric(passMetrics, line, "RefreshTokenExpiresInSeconds", "Seconds", summary.refreshTokenExpiresInSeconds());
        }
        lines.add(line.toString());
        return lines;
    }

    private static void metric(ArrayNode metrics, ObjectNode line, String name, String unit, long value) {
        metrics.addObject().put("Name", name).put("Unit", unit);
        line.put(name, value);
    }
}
