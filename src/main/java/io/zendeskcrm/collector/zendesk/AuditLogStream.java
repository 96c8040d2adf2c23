package io.zendeskcrm.collector.zendesk;

import java.util.List;

/**
 * {@code audit_logs}: {@code GET /api/v2/audit_logs} read oldest first ({@code sort=created_at}) with cursor
 * pagination over a {@code filter[created_at][]} window (start, then end). Offset pagination is not used:
 * newest first it misses new events, and Zendesk refuses it past page 100.
 */
public final class AuditLogStream {
    public static final String NAME = "audit_logs";
    static final int PAGE_SIZE = 100;
    static final String SCOPE_HINT = "audit logs need the Enterprise plan and an admin whose credentials have the"
            + " auditlogs:read (or read) scope";

    public static final WindowedStream.Endpoint ENDPOINT = new WindowedStream.Endpoint(NAME, "audit_logs", "id",
            "created_at", PAGE_SIZE, SCOPE_HINT, null, null,
            (start, end, size, parameter, after) -> (api, auth) -> api.auditLogs(auth, List.of(start, end), "created_at", size, after));

    private AuditLogStream() {}
}
