package io.zendeskcrm.collector.zendesk;

import io.zendeskcrm.collector.config.Settings;
import io.zendeskcrm.collector.sink.NdjsonEncoder;
import io.zendeskcrm.collector.stream.ZendeskStream;
import java.util.Map;
import java.util.Set;

/** Every stream the collector knows, by its name in {@code RESOURCES}: one line to add another. */
public final class Streams {

    /** Builds a stream from the settings. */
    @FunctionalInterface
    interface Factory {
        ZendeskStream create(ZendeskClient client, Settings s, TimestampField timestamp, NdjsonEncoder encoder);
    }

    private static final Map<String, Factory> ALL = Map.of(
            AuditLogStream.NAME, (client, s, timestamp, encoder) -> new WindowedStream(client, client.zendeskTime(), AuditLogStream.ENDPOINT,
                    s.lookback(), s.startTime().orElse(null), s.auditLogOverlap(), s.auditLogDelay(), timestamp, encoder),
            AccessLogStream.NAME, (client, s, timestamp, encoder) -> new WindowedStream(client, client.zendeskTime(),
                    AccessLogStream.endpoint(s.accessLogPageSize()), s.lookback(), s.startTime().orElse(null),
                    s.accessLogOverlap(), s.accessLogDelay(), timestamp, encoder),
            TicketStream.NAME, (client, s, timestamp, encoder) -> new TicketStream(client, s.lookback(),
                    s.startTime().orElse(null), timestamp, encoder));

    private Streams() {}

    public static Set<String> names() {
        return ALL.keySet();
    }

    /** The stream named {@code name}; {@link Settings} admits only known names. */
    public static ZendeskStream create(String name, ZendeskClient client, Settings settings, NdjsonEncoder encoder) {
        Factory factory = ALL.get(name);
        if (factory == null) throw new IllegalArgumentException("unknown stream " + name);
        return factory.create(client, settings, TimestampField.of(settings.addTimestamp()), encoder);
    }
}
