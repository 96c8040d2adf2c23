package io.zendeskcrm.collector.zendesk;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.zendeskcrm.collector.stream.Page;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static io.zendeskcrm.collector.zendesk.TicketStreamTest.ENCODER;
import static io.zendeskcrm.collector.zendesk.TicketStreamTest.body;
import static io.zendeskcrm.collector.zendesk.TicketStreamTest.cursor;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Answers whose fields have types Zendesk does not send: the page fails, naming the field, the position
 * and what belongs there, before anything of it reaches the caller (which writes it); and pages that lead
 * back to one this pass already read fail before that page is returned a second time.
 */
class AnswerTypesTest {
    final TicketStream tickets = new TicketStream(null, Duration.ofHours(1), null, TimestampField.ON, ENCODER);
    final WindowedStreamTest windowed = new WindowedStreamTest();
    static final String TICKET = "{\"id\":7,\"updated_at\":\"2026-11-20T10:00:00Z\",\"generated_timestamp\":150}";

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "\"after_cursor\":123,\"end_of_stream\":false | \"after_cursor\" 123, where a text (the next cursor) belongs",
            "\"after_cursor\":\"c2\",\"end_of_stream\":\"false\" | \"end_of_stream\" \"false\", where true or false belongs",
            "\"after_cursor\":{\"c\":2},\"end_of_stream\":true | \"after_cursor\" {\"c\":2}, where a text (the next cursor) belongs"})
    void aTicketAnswerWithAFieldOfTheWrongTypeFailsNamingIt(String fields, String named) {
        ZendeskException e = assertThrows(ZendeskException.class, () -> tickets.page(cursor("c1", 100),
                body("{\"tickets\":[" + TICKET + "]," + fields + "}")));
        assertEquals("incremental_tickets: Zendesk's answer at cursor=c1 has " + named
                + "; nothing of the page is written, and the next run asks again", e.getMessage());
    }

    @Test
    void recordsThatAreNotAListAreNamedAsSuch() {
        ZendeskException e = assertThrows(ZendeskException.class, () -> tickets.page(cursor("c1", 100),
                body("{\"tickets\":{},\"after_cursor\":\"c2\",\"end_of_stream\":true}")));
        assertTrue(e.getMessage().startsWith("incremental_tickets: Zendesk's answer at cursor=c1 has \"tickets\" {}, where a list"
                + " of records belongs"), e.getMessage());
        ObjectNode window = windowed.stream.nextRequest(WindowedStreamTest.idle("2026-11-20T11:00:00Z"), WindowedStreamTest.NOW)
                .orElseThrow();
        e = assertThrows(ZendeskException.class, () -> windowed.stream.page(window,
                body("{\"audit_logs\":{},\"meta\":{\"has_more\":false}}")));
        assertTrue(e.getMessage().startsWith("audit_logs: Zendesk's answer at window=2026-11-20T10:50:00Z..2026-11-20T11:59:00Z;after="
                + " has \"audit_logs\" {}, where a list of records belongs"), e.getMessage());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "\"meta\":{\"has_more\":\"false\"} | \"meta.has_more\" \"false\", where true or false belongs",
            "\"meta\":{\"has_more\":true,\"after_cursor\":123} | \"meta.after_cursor\" 123, where a text (the next cursor) belongs",
            "\"meta\":[] | \"meta\" [], where an object belongs",
            "\"meta\":{\"has_more\":false},\"links\":{\"next\":5} | \"links.next\" 5, where a text (the next page's address) belongs"})
    void aWindowedAnswerWithAFieldOfTheWrongTypeFailsNamingIt(String fields, String named) {
        ObjectNode window = windowed.stream.nextRequest(WindowedStreamTest.idle("2026-11-20T11:00:00Z"), WindowedStreamTest.NOW)
                .orElseThrow();
        ZendeskException e = assertThrows(ZendeskException.class, () -> windowed.stream.page(window, body("{\"audit_logs\":["
                + WindowedStreamTest.log(1, "2026-11-20T11:20:00Z") + "]," + fields + "}")));
        assertEquals("audit_logs: Zendesk's answer at window=2026-11-20T10:50:00Z..2026-11-20T11:59:00Z;after= has " + named
                + "; nothing of the page is written, and the next run asks again", e.getMessage());
    }

    /** Regression: an export leading back to a cursor already read had that page written again before anything noticed. */
    @Test
    void anExportThatLeadsBackToACursorAlreadyReadFailsBeforeThatPageIsReadAgain() throws Exception {
        ObjectNode start = tickets.initialPosition(Instant.parse("2026-11-20T12:00:00Z"));
        Page first = tickets.page(start, body("{\"tickets\":[" + TICKET + "],\"after_cursor\":\"c1\",\"end_of_stream\":false}"));
        Page second = tickets.page(first.next(), body("{\"tickets\":[],\"after_cursor\":\"c2\",\"end_of_stream\":false}"));
        StuckCursorException e = assertThrows(StuckCursorException.class, () -> tickets.page(second.next(),
                body("{\"tickets\":[" + TICKET + "],\"after_cursor\":\"c1\",\"end_of_stream\":false}")));
        assertEquals("incremental_tickets: Zendesk answered cursor=c2 with after_cursor c1, which this pass has already read,"
                + " and no end_of_stream: the export goes round in a circle; the stream stops here, and the next run asks again",
                e.getMessage());
    }

    @Test
    void windowPagesThatLeadBackToACursorAlreadyReadFailBeforeThatPageIsReadAgain() throws Exception {
        WindowedStream stream = windowed.stream;
        ObjectNode window = stream.nextRequest(WindowedStreamTest.idle("2026-11-20T11:00:00Z"), WindowedStreamTest.NOW).orElseThrow();
        Page first = stream.page(window, body("{\"audit_logs\":[" + WindowedStreamTest.log(1, "2026-11-20T11:20:00Z")
                + "],\"meta\":{\"has_more\":true,\"after_cursor\":\"a\"}}"));
        Page second = stream.page(first.next(), body("{\"audit_logs\":[" + WindowedStreamTest.log(2, "2026-11-20T11:21:00Z")
                + "],\"meta\":{\"has_more\":true,\"after_cursor\":\"b\"}}"));
        StuckCursorException e = assertThrows(StuckCursorException.class, () -> stream.page(second.next(), body("{\"audit_logs\":["
                + WindowedStreamTest.log(3, "2026-11-20T11:22:00Z") + "],\"meta\":{\"has_more\":true,\"after_cursor\":\"a\"}}")));
        assertEquals("audit_logs: Zendesk answered the page at window=2026-11-20T10:50:00Z..2026-11-20T11:59:00Z;after=b with"
                + " has_more and after_cursor a, which this pass has already read: the pages go round in a circle; the stream"
                + " stops here, and the next run asks again", e.getMessage());
    }
}
