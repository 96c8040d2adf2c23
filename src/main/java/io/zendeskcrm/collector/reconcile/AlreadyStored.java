package io.zendeskcrm.collector.reconcile;

import io.zendeskcrm.collector.sink.EncodedRecords;
import io.zendeskcrm.collector.sink.NdjsonEncoder;
import io.zendeskcrm.collector.sink.RecordSink;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The records the bucket already holds for a period a stream is collecting again: after its checkpoint
 * position was deleted, or when history is re-collected with an earlier {@code START_TIME}. A page's
 * records found here are not written a second time.
 *
 * <p>A stream collects again when it has no position while it has objects, or when its position is behind
 * the newest record of its newest object (in normal collection a position is never behind a record it
 * wrote). The records of a day are found as {@code reconcile} finds them, from the
 * objects dated up to that day; a few recent days are kept, each as its identities only.
 */
public final class AlreadyStored {
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'");
    private static final int DAYS_KEPT = 3;

    private final StoredObjects stored;
    private final List<LocalDate> days;
    private final StreamIdentity identity;
    private final NdjsonEncoder encoder;
    private final Map<LocalDate, LongIntMap> recent = new LinkedHashMap<>(4, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<LocalDate, LongIntMap> eldest) {
            return size() > DAYS_KEPT;
        }
    };

    private AlreadyStored(StoredObjects stored, List<LocalDate> days, StreamIdentity identity, NdjsonEncoder encoder) {
        this.stored = stored;
        this.days = days;
        this.identity = identity;
        this.encoder = encoder;
    }

    /** How a pass finds, per stream, what it would write a second time. */
    @FunctionalInterface
    public interface Finder {
        Finder NONE = (stream, positionTime) -> Optional.empty();

        /**
         * @param positionTime the time of the stream's checkpoint position, or null when it has none
         * @return empty when the stream is not collecting anything the bucket holds
         */
        Optional<AlreadyStored> find(String stream, Instant positionTime);
    }

    /** @param prefix the normalised data prefix */
    public static Finder finder(RecordSink sink, String prefix, NdjsonEncoder encoder) {
        return (stream, positionTime) -> {
            StoredObjects stored = new StoredObjects(sink, prefix, stream);
            List<LocalDate> days = stored.days();
            if (days.isEmpty()) return Optional.empty();
            StreamIdentity identity = Reconciliation.identity(stream);
            if (positionTime != null && !positionTime.isBefore(newestRecord(stored, days.get(days.size() - 1), identity))) {
                return Optional.empty();
            }
            return Optional.of(new AlreadyStored(stored, days, identity, encoder));
        };
    }

    /**
     * The newest record in the objects of the newest key: a page's object is dated by the newest record
     * before it, so only the last page's records can be newer than that date. Reads one object (or its chain).
     */
    private static Instant newestRecord(StoredObjects stored, LocalDate newestDay, StreamIdentity identity) {
        List<String> keys = stored.keys(newestDay);
        Instant newestKey = keys.stream().map(AlreadyStored::keyTime).filter(t -> t != null).max(Instant::compareTo)
                .orElse(newestDay.atStartOfDay().toInstant(ZoneOffset.UTC));
        Instant[] newest = {newestKey};
        for (String key : keys) {
            if (!newestKey.equals(keyTime(key))) continue;
            stored.lines(key, line -> {
                StreamIdentity.Seen seen = identity.of(line);
                if (seen != null && seen.time().isAfter(newest[0])) newest[0] = seen.time();
            });
        }
        return newest[0];
    }

    /**
     * @param records a page's records
     * @return those the bucket does not hold yet, in the same form (the same object when all are new)
     */
    public EncodedRecords withoutStored(EncodedRecords records) {
        List<String> lines = encoder.unpack(records.content());
        List<String> kept = new ArrayList<>(lines.size());
        for (String line : lines) {
            StreamIdentity.Seen seen = identity.of(line);
            if (seen == null || index(LocalDate.ofInstant(seen.time(), ZoneOffset.UTC)).get(seen.hash()) == LongIntMap.ABSENT) {
                kept.add(line);
            }
        }
        return kept.size() == lines.size() ? records : new EncodedRecords(encoder.pack(kept), kept.size());
    }

    /** The identities the bucket holds for {@code day}: from the objects dated that day and, back to where they stop, before. */
    private LongIntMap index(LocalDate day) {
        LongIntMap known = recent.get(day);
        if (known != null) return known;
        LongIntMap found = new LongIntMap();
        Instant reach = day.minusDays(1).atStartOfDay().toInstant(ZoneOffset.UTC);
        for (int i = days.size() - 1; i >= 0; i--) {
            LocalDate keyDay = days.get(i);
            if (keyDay.isAfter(day)) continue;
            Instant[] newest = {null};
            for (String key : stored.keys(keyDay)) {
                stored.lines(key, line -> {
                    StreamIdentity.Seen seen = identity.of(line);
                    if (seen == null) return;
                    if (newest[0] == null || seen.time().isAfter(newest[0])) newest[0] = seen.time();
                    if (LocalDate.ofInstant(seen.time(), ZoneOffset.UTC).equals(day)) found.put(seen.hash(), 0);
                });
            }
            if (keyDay.isBefore(day) && newest[0] != null && newest[0].isBefore(reach)) break;
        }
        recent.put(day, found);
        return found;
    }

    /** The time an object's key is dated by ({@code .../yyyyMMdd'T'HHmmss'Z'-...}), or null for a key of another shape. */
    static Instant keyTime(String key) {
        String name = key.substring(key.lastIndexOf('/') + 1);
        if (name.length() < 16) return null;
        try {
            return LocalDateTime.parse(name.substring(0, 16), STAMP).toInstant(ZoneOffset.UTC);
        } catch (DateTimeParseException e) {
            return null;
        }
    }
}
