package io.zendeskcrm.collector.runner;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.zendeskcrm.collector.RunSummary;
import io.zendeskcrm.collector.StreamResult;
import io.zendeskcrm.collector.reconcile.ReconcileReport;
import io.zendeskcrm.collector.reconcile.StreamReport;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The metric lists of both READMEs, and the template's alarms, against the metrics the code emits. */
class MetricsDocumentedTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** Every metric a pass or a reconcile can emit: a summary with every optional figure set. */
    private static Set<String> emitted() throws Exception {
        RunSummary pass = RunSummary.of("s3://b", List.of(new StreamResult("audit_logs", StreamResult.Outcome.OK,
                1, 1, false, 1, 0, 0, 0, 0, null, 0L, 60L, 5L, 0, 0, 0, 0, 0, false, null, 1L, 0L))).withOAuth(86_400L, null);
        List<String> lines = new java.util.ArrayList<>(RunMetrics.emf(pass, "fn", Instant.EPOCH));
        lines.addAll(ReconcileMetrics.emf(new ReconcileReport(List.of(new StreamReport("audit_logs", "a", "b", 1, 1, 0, 0, 0,
                List.of(), List.of(), List.of(), null, null))), "fn", Instant.EPOCH));
        Set<String> names = new TreeSet<>();
        for (String line : lines) {
            for (JsonNode metric : JSON.readTree(line).at("/_aws/CloudWatchMetrics/0/Metrics")) names.add(metric.get("Name").asText());
        }
        return names;
    }

    @Test
    void bothReadmesNameEveryMetricTheCodeEmits() throws Exception {
        Set<String> names = emitted();
        assertTrue(names.containsAll(Set.of("Records", "StuckCursors", "RefreshTokenExpiresInSeconds", "MissingRecords")), names.toString());
        for (String doc : List.of("README.md", "deploy/README.md")) {
            String text = Files.readString(Path.of(doc));
            Set<String> missing = new TreeSet<>();
            for (String name : names) if (!text.contains("`" + name + "`")) missing.add(name);
            assertEquals(Set.of(), missing, doc + " does not list these metrics");
        }
    }

    @Test
    void everyAlarmOnTheCollectorsNamespaceWatchesAMetricTheCodeEmits() throws Exception {
        Set<String> names = emitted();
        Matcher m = Pattern.compile("MetricName: (\\w+)\\n(?:.*\\n){0,3}?.*Namespace: ZendeskCrmCollector|Namespace: ZendeskCrmCollector\\n\\s*MetricName: (\\w+)")
                .matcher(Files.readString(Path.of("template.yaml")));
        Set<String> watched = new TreeSet<>();
        while (m.find()) watched.add(m.group(1) != null ? m.group(1) : m.group(2));
        assertTrue(watched.size() >= 5, "alarms found: " + watched);
        watched.removeAll(names);
        assertEquals(Set.of(), watched, "alarms on metrics the code never emits");
    }
}
