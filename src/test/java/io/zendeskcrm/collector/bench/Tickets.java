package io.zendeskcrm.collector.bench;

import java.nio.charset.StandardCharsets;

/** Export pages of made-up tickets shaped like Zendesk's, typical or very large. */
final class Tickets {
    private Tickets() {}

    private static final String[] WORDS = {"printer", "the", "fire", "building", "please", "urgent", "escalate", "customer",
            "invoice", "login", "password", "reset", "error", "screenshot", "attached", "thanks", "regards", "team", "was",
            "not", "working", "since", "yesterday", "morning", "and", "we", "need", "help", "asap", "\\\"quoted\\\"", "\\u00e9t\\u00e9"};

    /** Text of about {@code bytes} bytes, from a fixed seed: it compresses like real prose, not like repeated characters. */
    static String prose(int bytes) {
        java.util.Random random = new java.util.Random(bytes);
        StringBuilder out = new StringBuilder(bytes + 16);
        while (out.length() < bytes) out.append(WORDS[random.nextInt(WORDS.length)]).append(random.nextInt(9) == 0 ? ".\\n" : " ");
        return out.toString();
    }

    /** One export page of {@code count} tickets, each with a description of {@code descriptionBytes}. */
    static byte[] page(int count, int descriptionBytes, int customFields, long firstId) {
        StringBuilder out = new StringBuilder(count * (descriptionBytes + 600 + customFields * 40));
        out.append("{\"tickets\":[");
        String description = prose(descriptionBytes);
        for (int i = 0; i < count; i++) {
            long id = firstId + i;
            if (i > 0) out.append(',');
            out.append("{\"url\":\"https://acme.zendesk.com/api/v2/tickets/").append(id).append(".json\",\"id\":").append(id)
                    .append(",\"external_id\":null,\"via\":{\"channel\":\"email\",\"source\":{\"from\":{},\"to\":{},\"rel\":null}},")
                    .append("\"created_at\":\"2026-01-01T10:00:00Z\",\"updated_at\":\"2026-01-02T10:00:00Z\",")
                    .append("\"generated_timestamp\":").append(1_767_300_000L + id).append(",\"type\":\"incident\",")
                    .append("\"subject\":\"Printer on fire in building ").append(id).append("\",\"raw_subject\":\"Printer on fire\",")
                    .append("\"description\":\"").append(description).append("\",\"priority\":\"high\",\"status\":\"open\",")
                    .append("\"requester_id\":").append(900_000 + i).append(",\"submitter_id\":").append(900_000 + i)
                    .append(",\"assignee_id\":12345,\"organization_id\":777,\"group_id\":4242,\"collaborator_ids\":[1,2,3],")
                    .append("\"tags\":[\"printer\",\"fire\",\"urgent\"],\"custom_fields\":[");
            for (int f = 0; f < customFields; f++) {
                if (f > 0) out.append(',');
                out.append("{\"id\":").append(360_000_000L + f).append(",\"value\":\"value-").append(f).append("\"}");
            }
            out.append("],\"satisfaction_rating\":null,\"sharing_agreement_ids\":[],\"brand_id\":1,\"allow_channelback\":false}");
        }
        out.append("],\"after_cursor\":\"MTc2NzMwMDAwMC4xMDAw\",\"after_url\":\"https://acme.zendesk.com/api/v2/incremental/tickets/cursor.json?cursor=x\",")
                .append("\"before_cursor\":null,\"before_url\":null,\"end_of_stream\":false}");
        return out.toString().getBytes(StandardCharsets.UTF_8);
    }
}
