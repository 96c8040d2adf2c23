package io.zendeskcrm.collector.reconcile;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.zendeskcrm.collector.checkpoint.Checkpoint;
import io.zendeskcrm.collector.checkpoint.CheckpointStore;
import io.zendeskcrm.collector.config.Settings;
import io.zendeskcrm.collector.sink.NdjsonEncoder;
import io.zendeskcrm.collector.sink.RecordSink;
import io.zendeskcrm.collector.stream.Deadline;
import io.zendeskcrm.collector.stream.ZendeskStream;
import io.zendeskcrm.collector.zendesk.AccessLogStream;
import io.zendeskcrm.collector.zendesk.AuditLogStream;
import io.zendeskcrm.collector.zendesk.RatePacer;
import io.zendeskcrm.collector.zendesk.Streams;
import io.zendeskcrm.collector.zendesk.TicketStream;
import io.zendeskcrm.collector.zendesk.TimestampField;
import io.zendeskcrm.collector.zendesk.WindowedStream;
import io.zendeskcrm.collector.zendesk.ZendeskTime;
import io.zendeskcrm.collector.zendesk.ZendeskClient;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * {@code reconcile}: for each stream of {@code RESOURCES}, what Zendesk holds now for the period against
 * what the bucket holds, and with {@code --repair} the missing records written. The period ends where the
 * collector has got to: a record after the stream's checkpoint position (less its overlap) is not missing
 * yet, and writing it would make the collector's next pass write it a second time.
 */
public final class Reconciliation {
    /** The ticket export leaves out the last minute; asking for less than that is refused. */
    static final Duration TICKET_DELAY = Duration.ofSeconds(61);
    /** Reconcile leaves this much more of the account's request budget to others than a collecting pass does. */
    static final int EXTRA_RESERVE_PERCENT = 20;

    private final Settings settings;
    private final ZendeskClient client;
    private final RecordSink sink;
    private final CheckpointStore checkpoint;
    private final NdjsonEncoder encoder;
    private final Clock clock;
    private final Deadline deadline;

    public Reconciliation(Settings settings, ZendeskClient client, RecordSink sink, CheckpointStore checkpoint,
                          NdjsonEncoder encoder, Clock clock, Deadline deadline) {
        this.settings = settings;
        this.client = client;
        this.sink = sink;
        this.checkpoint = checkpoint;
        this.encoder = encoder;
        this.clock = clock;
        this.deadline = deadline;
    }

    /** Reconcile uses an endpoint bucket (the export's 10 a minute) only down to this share, which is left to the passes. */
    static final int BUCKET_RESERVE_PERCENT = 50;

    /**
     * How reconcile paces itself: it leaves {@value #EXTRA_RESERVE_PERCENT} points more of the account's budget
     * to others than {@code RATE_LIMIT_RESERVE_PERCENT} does for a pass, and half of each endpoint bucket, so
     * that a collecting pass running beside it still finds requests in every window.
     */
    public static RatePacer pacer(int configuredReservePercent) {
        return new RatePacer(Math.min(90, configuredReservePercent + EXTRA_RESERVE_PERCENT), BUCKET_RESERVE_PERCENT);
    }

    public ReconcileReport run(ReconcileRequest request) {
        Instant now = clock.instant();
        Optional<Checkpoint> positions = checkpoint.load().map(s -> Checkpoint.parse(s.content(), checkpoint.location()));
        List<StreamReport> reports = new ArrayList<>();
        for (String name : settings.resources()) {
            Instant until = request.until().orElse(now.minus(delay(name)));
            Optional<Instant> collected = positions.flatMap(p -> p.position(name)).map(p -> collectedUntil(name, p));
            if (collected.isPresent() && collected.get().isBefore(until)) until = collected.get();
            StreamIdentity identity = identity(name);
            RepairObjects repair = request.repair()
                    ? new RepairObjects(sink, encoder, settings.prefix(), name, settings.compression().extension) : null;
            reports.add(new StreamReconciliation(name, identity, new StoredObjects(sink, settings.prefix(), name),
                    zendesk(name, identity, request.since()), repair, clock, deadline).run(request.since(), until));
        }
        return new ReconcileReport(reports);
    }

    /** How the stream's records are told apart. */
    static StreamIdentity identity(String name) {
        return switch (name) {
            case AuditLogStream.NAME -> new StreamIdentity(AuditLogStream.ENDPOINT.idField(), AuditLogStream.ENDPOINT.timeField(), false);
            case AccessLogStream.NAME -> {
                WindowedStream.Endpoint e = AccessLogStream.endpoint(1);
                yield new StreamIdentity(e.idField(), e.timeField(), false);
            }
            case TicketStream.NAME -> new StreamIdentity("id", "generated_timestamp", true);
            default -> throw new IllegalArgumentException("unknown stream " + name);
        };
    }

    /** How long after a record's time Zendesk lists it, as the collector assumes: the default end of the period. */
    private Duration delay(String name) {
        return switch (name) {
            case AuditLogStream.NAME -> settings.auditLogDelay();
            case AccessLogStream.NAME -> settings.accessLogDelay();
            default -> TICKET_DELAY;
        };
    }

    /**
     * Up to when the collector has read the stream for good: its position, less the overlap its next window
     * reads again (late records there are still the collector's to write), or for tickets less a second
     * (more versions of that second may follow the cursor).
     */
    private Instant collectedUntil(String name, ObjectNode position) {
        ZendeskStream collecting = Streams.create(name, client, settings, encoder);
        Instant at = collecting.positionTime(position);
        return switch (name) {
            case AuditLogStream.NAME -> at.minus(settings.auditLogOverlap());
            case AccessLogStream.NAME -> at.minus(settings.accessLogOverlap());
            default -> at.minusSeconds(1);
        };
    }

    /** The stream read back with the collector's own requests: windows for the logs, the cursor export for tickets. */
    private ZendeskRecords zendesk(String name, StreamIdentity identity, Instant since) {
        TimestampField timestamp = TimestampField.of(settings.addTimestamp());
        // The windows end where reconcile says (a day's end, the checkpoint), not at Zendesk's present: a
        // clock that no answer moves keeps them there.
        ZendeskTime fixedEnds = new ZendeskTime(clock);
        return switch (name) {
            case AuditLogStream.NAME -> ZendeskRecords.windowed(from -> new WindowedStream(client, fixedEnds, AuditLogStream.ENDPOINT,
                    settings.lookback(), from, settings.auditLogOverlap(), Duration.ZERO, timestamp, encoder), encoder, clock, deadline);
            case AccessLogStream.NAME -> ZendeskRecords.windowed(from -> new WindowedStream(client, fixedEnds,
                    AccessLogStream.endpoint(settings.accessLogPageSize()), settings.lookback(), from, settings.accessLogOverlap(),
                    Duration.ZERO, timestamp, encoder), encoder, clock, deadline);
            default -> ZendeskRecords.export(new TicketStream(client, settings.lookback(), since, timestamp, encoder),
                    identity, encoder, clock, deadline);
        };
    }
}
