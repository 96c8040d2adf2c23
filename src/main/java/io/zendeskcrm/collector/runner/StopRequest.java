package io.zendeskcrm.collector.runner;

import com.fasterxml.jackson.databind.JsonNode;
import io.zendeskcrm.collector.RunSummary;
import io.zendeskcrm.collector.StreamResult;
import jakarta.inject.Singleton;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;
import sun.misc.Signal;

/**
 * The process was asked to stop (SIGTERM, or SIGINT from a terminal) while a pass may be running. The
 * pass then starts no new page: each stream ends after the page in hand is written and committed (or
 * when its current request ends), a retry or rate-limit wait ends at once, and the run reports where the
 * next one continues. A second signal stops the process at once, as the JVM would have.
 */
@Singleton
public class StopRequest {
    private static final Logger LOG = Logger.getLogger(StopRequest.class);

    private final CountDownLatch requested = new CountDownLatch(1);
    private volatile String signal;
    private volatile int exitCode;

    /**
     * Handles SIGTERM and SIGINT from now on: the first is recorded and {@code then} runs; the second exits.
     * Where signals cannot be handled (some native builds), the JVM's default stays: stop at once.
     */
    void handleSignals(Runnable then) {
        for (String name : List.of("TERM", "INT")) {
            try {
                Signal.handle(new Signal(name), s -> {
                    if (requested()) {
                        // At once, as the JVM would, but without the shutdown that would fail the requests in
                        // flight with traces: what is committed is whole (objects are write-once, commits atomic).
                        System.err.println("stopped at once by a second SIG" + s.getName() + "; the pages in hand are not"
                                + " committed, and the next run reads them again without writing any record twice");
                        Runtime.getRuntime().halt(128 + s.getNumber());
                    }
                    request("SIG" + s.getName(), 128 + s.getNumber());
                    then.run();
                });
            } catch (IllegalArgumentException | UnsupportedOperationException e) {
                LOG.debugf("SIG%s cannot be handled here (%s): it stops the process at once", name, e.getMessage());
            }
        }
    }

    void request(String signal, int exitCode) {
        this.signal = signal;
        this.exitCode = exitCode;
        requested.countDown();
        LOG.warnf("%s received: no new page is started; the pages in hand are written and committed, then the run"
                + " stops (send it again to stop at once)", signal);
    }

    public boolean requested() {
        return requested.getCount() == 0;
    }

    /** Waits up to {@code wait}; true when the stop was requested before or meanwhile. */
    boolean await(Duration wait) throws InterruptedException {
        return requested.await(wait.toNanos(), TimeUnit.NANOSECONDS);
    }

    /** {@code SIGTERM} or {@code SIGINT}; null until requested. */
    public String signal() {
        return signal;
    }

    /** 128 + the signal's number, as a process killed by it would exit (143 for SIGTERM). */
    int exitCode() {
        return exitCode;
    }

    /**
     * The line that ends an interrupted run: {@code "stopped by SIGTERM; the next run continues from the
     * checkpoint at <where>: audit_logs from 2026-11-20T11:59:00Z, incremental_tickets from ..."}.
     */
    String stoppedLine(RunSummary summary, String checkpoint) {
        List<String> streams = new ArrayList<>();
        for (StreamResult s : summary.streams()) streams.add(s.stream() + " " + from(s.position()));
        return "stopped by " + signal + "; what was written is committed, and the next run continues from the checkpoint at "
                + checkpoint + ": " + String.join(", ", streams);
    }

    /** Where a stream's committed position lies, from the position the summary shows. */
    static String from(JsonNode position) {
        if (position == null || position.isNull()) return "from its start (nothing committed yet)";
        if (position.has("window_end")) return "from " + position.path("last_time").asText() + " (inside the window to "
                + position.path("window_end").asText() + ")";
        if (position.has("watermark")) return "from " + position.path("watermark").asText();
        if (position.has("cursor")) return "from its export cursor (tickets changed up to "
                + Instant.ofEpochSecond(position.path("generated_timestamp").asLong()) + ")";
        if (position.has("start_time")) return "from " + Instant.ofEpochSecond(position.path("start_time").asLong());
        return "from " + position;
    }
}
