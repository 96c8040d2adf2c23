package io.zendeskcrm.collector.zendesk;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.Map;

/** Zendesk's OAuth token endpoint, on the configured {@code ZENDESK_BASE_URL}. */
@Path("/oauth")
public interface ZendeskOAuthApi {

    /** {@code grant_type} {@code client_credentials} or {@code refresh_token}, with the client's id and secret. */
    @POST
    @Path("/tokens")
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    Response tokens(Map<String, Object> body);
}
