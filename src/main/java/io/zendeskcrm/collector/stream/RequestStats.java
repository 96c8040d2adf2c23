package io.zendeskcrm.collector.stream;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/** Counts requests, retries and rate-limit waits per stream, for the run summary and metrics. */
public final class RequestStats {
    public record Counts(long requests, long retries, long throttledWaits, long pacedMillis) {}

    private final Map<String, LongAdder[]> byStream = new ConcurrentHashMap<>();

    public void request(String stream) {
        counters(stream)[0].increment();
    }

    public void paced(String stream, java.time.Duration wait) {
        counters(stream)[3].add(wait.toMillis());
    }

    public void retry(String stream, boolean throttled) {
        counters(stream)[1].increment();
        if (throttled) counters(stream)[2].increment();
    }

    public Counts of(String stream) {
        LongAdder[] c = counters(stream);
        return new Counts(c[0].sum(), c[1].sum(), c[2].sum(), c[3].sum());
    }

    private LongAdder[] counters(String stream) {
        return byStream.computeIfAbsent(stream, s -> new LongAdder[] {new LongAdder(), new LongAdder(), new LongAdder(), new LongAdder()});
    }
}
