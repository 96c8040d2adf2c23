package io.zendeskcrm.collector.zendesk;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Response;
import java.util.List;

/**
 * The Zendesk endpoints the collector reads. Every call is built against the configured
 * {@code ZENDESK_BASE_URL}; the collector never follows absolute {@code next} links from a response,
 * so credentials cannot be sent to another host. A {@code null} query parameter is left out.
 */
@Path("/api/v2")
public interface ZendeskApi {

    /** Audit logs, cursor paginated; {@code createdAt} is the filter window, start then end. */
    @GET
    @Path("/audit_logs.json")
    Response auditLogs(@HeaderParam("Authorization") String authorization,
                       @QueryParam("filter[created_at][]") List<String> createdAt,
                       @QueryParam("sort") String sort,
                       @QueryParam("page[size]") int pageSize,
                       @QueryParam("page[after]") String after);

    /**
     * Access logs (the Advanced Data Privacy and Protection add-on), cursor paginated, oldest first;
     * {@code start} and {@code end} are whole-second UTC stamps. The cursor goes in one of two names:
     * {@code links.next} uses {@code page[after]}, the reference's parameter table {@code filter[after]}.
     */
    @GET
    @Path("/access_logs")
    Response accessLogs(@HeaderParam("Authorization") String authorization,
                        @QueryParam("filter[start]") String start,
                        @QueryParam("filter[end]") String end,
                        @QueryParam("page[size]") int pageSize,
                        @QueryParam("page[after]") String pageAfter,
                        @QueryParam("filter[after]") String filterAfter);

    /** The cursor-based incremental ticket export: {@code start_time} on the first request, {@code cursor} after. */
    @GET
    @Path("/incremental/tickets/cursor.json")
    Response tickets(@HeaderParam("Authorization") String authorization,
                     @QueryParam("start_time") Long startTime,
                     @QueryParam("cursor") String cursor,
                     @QueryParam("per_page") int perPage,
                     @QueryParam("support_type_scope") String supportTypeScope);
}
