package io.zendeskcrm.collector.sink;

import com.fasterxml.jackson.core.io.JsonStringEncoder;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedInputStream;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.IntPredicate;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;

/**
 * One record per line (what SecOps' ZENDESK_CRM parser reads), optionally gzip-compressed. The gzip
 * header carries no file time, so the same records always encode to the same bytes.
 */
public final class NdjsonEncoder {
    // The generator must not close the stream a record is written to: the next record follows it.
    private static final ObjectMapper JSON = new ObjectMapper().disable(com.fasterxml.jackson.core.JsonGenerator.Feature.AUTO_CLOSE_TARGET);
    private final boolean gzip;

    public NdjsonEncoder(boolean gzip) {
        this.gzip = gzip;
    }

    /** An object being built record by record: each record is encoded and compressed as it is added. */
    public final class Builder {
        private final ByteArrayOutputStream bytes = new ByteArrayOutputStream(64 * 1024);
        private final OutputStream out;
        private int count;

        private Builder() {
            try {
                out = gzip ? new FastGzip(bytes) : bytes;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        /** A record built here (not one Zendesk sent: those go in as sent, by {@link #add(byte[], String)}). */
        public void add(ObjectNode record) {
            try {
                JSON.writeValue(out, record);
                out.write('\n');
                count++;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        /**
         * A record as the bytes Zendesk sent ({@code {...}}), unchanged but for two things: a line break
         * between its tokens becomes a space (JSON strings cannot hold one), so that it stays one line;
         * and {@code timestamp}, when given, is added as its last field.
         */
        public void add(byte[] sent, String timestamp) {
            try {
                int close = sent.length - 1; // the record's closing brace
                int from = 0;
                for (int i = 0; i < close; i++) {
                    if (sent[i] == '\n' || sent[i] == '\r') {
                        out.write(sent, from, i - from);
                        out.write(' ');
                        from = i + 1;
                    }
                }
                out.write(sent, from, close - from);
                if (timestamp != null) {
                    if (hasFields(sent, close)) out.write(',');
                    out.write(TIMESTAMP_FIELD);
                    out.write('"');
                    out.write(JsonStringEncoder.getInstance().quoteAsUTF8(timestamp));
                    out.write('"');
                }
                out.write('}');
                out.write('\n');
                count++;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        public EncodedRecords finish() {
            try {
                out.close();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return new EncodedRecords(bytes.toByteArray(), count);
        }
    }

    private static final byte[] TIMESTAMP_FIELD = "\"timestamp\":".getBytes(StandardCharsets.US_ASCII);

    /** Whether the object ending at {@code close} has a field: anything but blanks after its {@code {}. */
    private static boolean hasFields(byte[] sent, int close) {
        for (int i = close - 1; i > 0; i--) {
            byte b = sent[i];
            if (b != ' ' && b != '\t' && b != '\n' && b != '\r') return true;
        }
        return false;
    }

    public Builder builder() {
        return new Builder();
    }

    /** The object holding {@code lines}, one per line, each as stored (a repair writes lines read back as they are). */
    public byte[] pack(List<String> lines) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(4096 + lines.size() * 512);
        try (OutputStream out = gzip ? new FastGzip(bytes) : bytes) {
            for (String line : lines) {
                out.write(line.getBytes(StandardCharsets.UTF_8));
                out.write('\n');
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    public EncodedRecords encode(List<ObjectNode> records) {
        Builder builder = builder();
        records.forEach(builder::add);
        return builder.finish();
    }

    /** The lines of an object, as text (whatever its compression). */
    public List<String> unpack(byte[] object) {
        List<String> out = new ArrayList<>();
        forEachLine(new ByteArrayInputStream(object), line -> out.add(new String(line, StandardCharsets.UTF_8)));
        return out;
    }

    /**
     * Hands each non-empty line of a stored object to {@code consumer}, byte for byte and one at a time,
     * as the object is read: an object is never held whole. Gzip is recognised by its magic bytes, not by
     * this encoder's setting, so an object written before {@code OUTPUT_COMPRESSION} changed reads the same.
     */
    public static void forEachLine(InputStream object, Consumer<byte[]> consumer) {
        try (InputStream in = decoded(new BufferedInputStream(object, 64 * 1024))) {
            ByteArrayOutputStream line = new ByteArrayOutputStream(4096);
            byte[] buffer = new byte[64 * 1024];
            for (int n; (n = in.read(buffer)) > 0; ) {
                int from = 0;
                for (int i = 0; i < n; i++) {
                    if (buffer[i] != '\n') continue;
                    line.write(buffer, from, i - from);
                    if (line.size() > 0) consumer.accept(line.toByteArray());
                    line.reset();
                    from = i + 1;
                }
                line.write(buffer, from, n - from);
            }
            if (line.size() > 0) consumer.accept(line.toByteArray());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The object holding the lines of {@code object} that {@code keep} accepts (by their index, from 0),
     * in this encoder's compression: a page's remaining records re-encoded from its own bytes.
     */
    public EncodedRecords repack(byte[] object, IntPredicate keep) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(64 * 1024);
        int[] index = {0};
        int[] count = {0};
        try (OutputStream out = gzip ? new FastGzip(bytes) : bytes) {
            forEachLine(new ByteArrayInputStream(object), line -> {
                if (!keep.test(index[0]++)) return;
                try {
                    out.write(line);
                    out.write('\n');
                    count[0]++;
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new EncodedRecords(bytes.toByteArray(), count[0]);
    }

    private static InputStream decoded(BufferedInputStream in) throws IOException {
        in.mark(2);
        int first = in.read();
        int second = in.read();
        in.reset();
        return first == 0x1f && second == 0x8b ? new GZIPInputStream(in, 64 * 1024) : in;
    }

    /** Parses one line back into its record. */
    public static ObjectNode record(String line) {
        try {
            return (ObjectNode) JSON.readTree(line);
        } catch (IOException | ClassCastException e) {
            throw new IllegalStateException("a stored line is not a JSON object", e);
        }
    }

    /**
     * Gzip at the fastest level: on pages of 50 KB tickets the default level took 3.5 times the CPU for
     * objects a quarter smaller (BENCHMARKS.md); the time is better spent keeping up with Zendesk.
     */
    private static final class FastGzip extends GZIPOutputStream {
        FastGzip(OutputStream out) throws IOException {
            super(out, 64 * 1024);
            def.setLevel(java.util.zip.Deflater.BEST_SPEED);
        }
    }
}
