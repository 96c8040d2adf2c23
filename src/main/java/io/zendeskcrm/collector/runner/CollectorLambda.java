package io.zendeskcrm.collector.runner;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import io.zendeskcrm.collector.RunSummary;
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

    @Override
    public Object handleRequest(ScheduledEvent event, Context context) {
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
