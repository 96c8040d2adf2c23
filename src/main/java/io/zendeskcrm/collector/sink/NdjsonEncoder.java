package io.zendeskcrm.collector.sink;

import com.fasterxml.jackson.core.io.JsonStringEncoder;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
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

    /** The object holding {@code lines}, one per line. */
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

    /** The lines of an object written by {@link #pack}. */
    public List<String> unpack(byte[] object) {
        try (InputStream in = gzip ? new GZIPInputStream(new ByteArrayInputStream(object)) : new ByteArrayInputStream(object)) {
            String text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            List<String> out = new ArrayList<>();
            for (String line : text.split("\n")) {
                if (!line.isEmpty()) out.add(line);
            }
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
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
