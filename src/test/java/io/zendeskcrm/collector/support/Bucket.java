package io.zendeskcrm.collector.support;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.zip.GZIPInputStream;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.NoSuchBucketException;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Object;

/** Reads what the collector left in a bucket: keys, decoded records, the checkpoint. */
public final class Bucket {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final S3Client s3;
    private final String name;

    public Bucket(S3Client s3, String name) {
        this.s3 = s3;
        this.name = name;
    }

    /** Deletes every object, creating the bucket when it does not exist. */
    public void empty() {
        try {
            for (String key : keys("")) s3.deleteObject(b -> b.bucket(name).key(key));
        } catch (NoSuchBucketException e) {
            s3.createBucket(b -> b.bucket(name));
        }
    }

    public List<String> keys(String prefix) {
        List<String> out = new ArrayList<>();
        s3.listObjectsV2Paginator(b -> b.bucket(name).prefix(prefix)).contents().stream().map(S3Object::key).forEach(out::add);
        return out;
    }

    /** Key to ETag of every object under {@code prefix}: an ETag that changes means the object was rewritten. */
    public java.util.Map<String, String> etags(String prefix) {
        java.util.Map<String, String> out = new java.util.HashMap<>();
        s3.listObjectsV2Paginator(b -> b.bucket(name).prefix(prefix)).contents().forEach(o -> out.put(o.key(), o.eTag()));
        return out;
    }

    public byte[] bytes(String key) {
        return s3.getObjectAsBytes(b -> b.bucket(name).key(key)).asByteArray();
    }

    public Optional<byte[]> maybeBytes(String key) {
        try {
            return Optional.of(bytes(key));
        } catch (NoSuchKeyException e) {
            return Optional.empty();
        }
    }

    public void put(String key, byte[] content) {
        s3.putObject(b -> b.bucket(name).key(key), RequestBody.fromBytes(content));
    }

    /** Every record in every object under {@code prefix}, decoding gzip when the key says so. */
    public List<JsonNode> records(String prefix) {
        List<JsonNode> out = new ArrayList<>();
        for (String key : keys(prefix)) out.addAll(decode(key, bytes(key)));
        return out;
    }

    public JsonNode json(String key) {
        try {
            return JSON.readTree(bytes(key));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static List<JsonNode> decode(String key, byte[] content) {
        try (InputStream in = key.endsWith(".gz") ? new GZIPInputStream(new ByteArrayInputStream(content))
                : new ByteArrayInputStream(content)) {
            String text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            List<JsonNode> out = new ArrayList<>();
            for (String line : text.split("\n")) {
                if (!line.isEmpty()) out.add(JSON.readTree(line));
            }
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
