package io.zendeskcrm.collector.runner;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import io.zendeskcrm.collector.RunSummary;
import io.zendeskcrm.collector.reconcile.ReconcileReport;
import io.zendeskcrm.collector.reconcile.ReconcileRequest;
import io.zendeskcrm.collector.reconcile.StreamReport;
import jakarta.inject.Inject;
import jakarta.inject.Named;

/**
 * One pass per scheduled invocation. A pass with a failed stream fails the invocation, so Lambda's
 * error metric, retries and the dead-letter queue see it. A replayed or overlapping invocation is
 * harmless: the newer pass fences the older one out (which then succeeds as superseded), and objects
 * are write-once.
 */
@Named("collector")
public class CollectorLambda implements RequestHandler<ScheduledEvent, Object> {

    @Inject
    Collector collector;

    @Inject
    SummaryLog summaryLog;

    @Inject
    java.time.Clock clock;

    /** @return the pass's {@link RunSummary}, or the {@link ReconcileReport} of a reconcile event */
    @Override
    public Object handleRequest(ScheduledEvent event, Context context) {
        if (event != null && event.reconcile() != null) return reconcile(event.reconcile(), context);
        if (event != null && Boolean.TRUE.equals(event.check())) {
            // {"check": true}: the check's lines as the invocation's result, nothing collected; a failed check is
            // an answer, not a failed invocation (no retry, no dead letter).
            return collector.check(remaining(context));
        }
        RunSummary summary = context != null && context.getRemainingTimeInMillis() > 0
                ? collector.runWithin(java.time.Duration.ofMillis(context.getRemainingTimeInMillis()))
                : collector.run();
        summaryLog.log(summary);
        String function = context != null && context.getFunctionName() != null ? context.getFunctionName() : "local";
        RunMetrics.emf(summary, function, java.time.Instant.now()).forEach(System.out::println);
        if (!summary.ok()) throw new CollectionFailedException(summary.failures());
        return summary;
    }

    /**
     * A reconcile event: the report as one log line and EMF metrics; the invocation fails when a stream
     * could not be checked (or ran out of time), not for discrepancies, which the metrics and alarm show.
     */
    private ReconcileReport reconcile(ScheduledEvent.Reconcile event, Context context) {
        ReconcileReport report = collector.reconcile(ReconcileRequest.parse(event.arguments(), clock.instant()), remaining(context));
        System.out.println(report.toJson());
        String function = context != null && context.getFunctionName() != null ? context.getFunctionName() : "local";
        ReconcileMetrics.emf(report, function, clock.instant()).forEach(System.out::println);
        if (report.exitStatus() == ReconcileReport.EXIT_FAILED) {
            throw new CollectionFailedException(report.streams().stream().filter(StreamReport::failed)
                    .map(StreamReport::error).collect(java.util.stream.Collectors.joining("; ")));
        }
        return report;
    }

    private static java.util.Optional<java.time.Duration> remaining(Context context) {
        return context != null && context.getRemainingTimeInMillis() > 0
                ? java.util.Optional.of(java.time.Duration.ofMillis(context.getRemainingTimeInMillis())) : java.util.Optional.empty();
    }

    /** The invocation's error: the failed streams' messages. */
    public static class CollectionFailedException extends RuntimeException {
        CollectionFailedException(String message) {
            super(message);
        }
    }
}
