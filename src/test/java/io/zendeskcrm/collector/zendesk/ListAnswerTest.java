package io.zendeskcrm.collector.zendesk;

import com.fasterxml.jackson.core.io.JsonEOFException;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Reading a list answer as it arrives: each record's bytes as sent, and what an answer that is not JSON is called. */
class ListAnswerTest {

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /** The bytes handed on for each entry of {@code body}'s "tickets". */
    private static List<byte[]> sent(byte[] body) throws IOException {
        List<byte[]> out = new ArrayList<>();
        ListAnswer.read(new ByteArrayInputStream(body), "tickets", (i, entry, sent) -> out.add(sent));
        return out;
    }

    /** A body that arrives a few bytes at a time, as from a socket: the parser reads ahead across records. */
    private static InputStream trickle(byte[] body, int step) {
        return new ByteArrayInputStream(body) {
            @Override
            public synchronized int read(byte[] b, int off, int len) {
                return super.read(b, off, Math.min(len, step));
            }
        };
    }

    @Test
    void eachRecordIsHandedOnAsTheBytesZendeskSent() throws IOException {
        String[] records = {
                "{\"id\":1,\"subject\":\"caf\u00e9 \uD83D\uDE00\",\"score\":1.10,\"big\":1e400}",
                "{\"id\":2,\"id\":3}",
                "{\n  \"id\" : 4,\r\n  \"tags\" : [ \"a\", \"b\" ],\n  \"nested\" : { \"x\" : null }\n}",
                "{}",
                "{\"id\":5,\"text\":\"a \\\"quoted\\\" }{ brace\\n\"}"};
        String body = "{\"before\":{\"n\":[1,2]},\n \"tickets\" : [ " + String.join(" ,\n", records) + " ],\"after_cursor\":\"c2\"}";
        List<byte[]> sent = sent(utf8(body));
        assertEquals(records.length, sent.size());
        for (int i = 0; i < records.length; i++) assertArrayEquals(utf8(records[i]), sent.get(i), records[i]);

        List<byte[]> trickled = new ArrayList<>();
        ListAnswer.Rest rest = ListAnswer.read(trickle(utf8(body), 7), "tickets", (i, entry, bytes) -> trickled.add(bytes));
        for (int i = 0; i < records.length; i++) assertArrayEquals(utf8(records[i]), trickled.get(i), records[i]);
        assertEquals("c2", rest.rest().get("after_cursor").asText());
        assertEquals(2, rest.rest().get("before").get("n").size());
    }

    @Test
    void recordsLargerThanTheParsersBufferAndAByteOrderMarkKeepTheirBytes() throws IOException {
        String large = "{\"id\":1,\"description\":\"" + "\u00e9x".repeat(50_000) + "\"}";
        String small = "{\"id\":2}";
        List<byte[]> sent = sent(utf8("\uFEFF{\"tickets\":[" + large + "," + small + "," + large + "]}"));
        assertArrayEquals(utf8(large), sent.get(0));
        assertArrayEquals(utf8(small), sent.get(1));
        assertArrayEquals(utf8(large), sent.get(2));
    }

    @Test
    void anEntryThatIsNotAnObjectHasNoBytes() throws IOException {
        List<byte[]> sent = sent(utf8("{\"tickets\":[\"oops\",{\"id\":1}]}"));
        assertNull(sent.get(0));
        assertArrayEquals(utf8("{\"id\":1}"), sent.get(1));
    }

    /** Regression: bytes that are not UTF-8 were "a truncated or unparsable response body", retried, on every run. */
    @Test
    void bytesThatAreNotUtf8AreNamedWithTheirOffsetAndRecord() {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.writeBytes(utf8("{\"tickets\":[{\"id\":1},{\"id\":2,\"subject\":\"caf"));
        int offset = body.size();
        body.write(0xE9); // Latin-1 é
        body.writeBytes(utf8(" secret\"}]}"));
        NotJsonException e = assertThrows(NotJsonException.class, () -> sent(body.toByteArray()));
        assertEquals("bytes that are not UTF-8 (at byte " + offset + " of the answer, in record 1)", e.getMessage());

        String json = "{\"tickets\":[{\"id\":1,\"subject\":?}]}";
        byte[] atValueStart = utf8(json);
        atValueStart[json.indexOf('?')] = (byte) 0xFF;
        e = assertThrows(NotJsonException.class, () -> sent(atValueStart));
        assertEquals("bytes that are not UTF-8 (at byte " + json.indexOf('?') + " of the answer, in record 0)", e.getMessage());
    }

    /** Regression: a record over the parser's limit was retried as unparsable, and stuck the stream on every run. */
    @Test
    void aRecordOverTheParsersLimitIsNamedWithTheLimit() {
        String huge = "{\"tickets\":[{\"id\":1},{\"id\":2},{\"id\":3,\"description\":\"" + "x".repeat(20_000_001) + "\"}]}";
        NotJsonException e = assertThrows(NotJsonException.class, () -> sent(utf8(huge)));
        assertEquals("record 2 beyond what the JSON parser reads (string value length over 20000000)", e.getMessage());

        String deep = "{\"tickets\":[{\"id\":1,\"x\":" + "[".repeat(1001) + "]".repeat(1001) + "}]}";
        e = assertThrows(NotJsonException.class, () -> sent(utf8(deep)));
        assertEquals("record 0 beyond what the JSON parser reads (document nesting depth over 1000)", e.getMessage());
    }

    @Test
    void aSyntaxErrorIsNotJsonAndNamesItsOffsetButNotTheContent() {
        String json = "{\"tickets\":[{\"id\":1,\"subject\":secret-word}]}";
        NotJsonException e = assertThrows(NotJsonException.class, () -> sent(utf8(json)));
        assertEquals("a body that is not JSON (at byte " + json.indexOf("secret") + " of the answer, in record 0)", e.getMessage());
        assertFalse(e.getMessage().contains("secret"));

        e = assertThrows(NotJsonException.class, () -> sent(utf8("[{\"id\":1}]")));
        assertEquals("JSON that is not an object", e.getMessage());
    }

    /** A body that ends early may be a connection cut: not NotJsonException, so it is retried. */
    @Test
    void aBodyThatEndsEarlyIsAnIoErrorToRetry() {
        IOException e = assertThrows(IOException.class, () -> sent(utf8("{\"tickets\":[{\"id\":1,\"subject\":\"ab")));
        assertInstanceOf(JsonEOFException.class, e);
        assertTrue(NotJsonException.of(e).isEmpty());
        IOException empty = assertThrows(IOException.class, () -> sent(new byte[0]));
        assertTrue(NotJsonException.of(empty).isEmpty(), "an empty body is retried");
    }
}
