package io.zendeskcrm.collector.support;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.tomakehurst.wiremock.extension.ResponseDefinitionTransformerV2;
import com.github.tomakehurst.wiremock.http.Fault;
import com.github.tomakehurst.wiremock.http.QueryParameter;
import com.github.tomakehurst.wiremock.http.Request;
import com.github.tomakehurst.wiremock.http.ResponseDefinition;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Supplier;

import static com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder.responseDefinition;

/**
 * A Zendesk account in memory, served through WireMock: the cursor ticket export and cursor-paginated
 * audit logs with the semantics the collector relies on (ordering, cursors, {@code end_of_stream},
 * the one-minute export delay, audit records that become visible late), plus injected faults.
 */
public final class FakeZendesk implements ResponseDefinitionTransformerV2 {
    public static final String NAME = "fake-zendesk";
    private static final ObjectMapper JSON = new ObjectMapper();

    /** What can go wrong with an answer; the last two are answers that arrived and are not JSON, never retried. */
    public enum Fault { HTTP_500, RESET, TRUNCATED_BODY, MALFORMED_CHUNK, THROTTLE_WITH_RETRY_AFTER, THROTTLE_BARE, HTML_PAGE, NOT_UTF8 }

    /** The faults {@link #randomFaults} draws from: those a collector gets past by asking again. */
    private static final Fault[] PASSING = {Fault.HTTP_500, Fault.RESET, Fault.TRUNCATED_BODY, Fault.MALFORMED_CHUNK,
            Fault.THROTTLE_WITH_RETRY_AFTER, Fault.THROTTLE_BARE};

    /**
     * How time filters that are not whole seconds are taken. Zendesk documents {@code yyyy-mm-ddThh:mm:ssZ}
     * only: a server may refuse anything else, or read it up to the second.
     */
    public enum FilterTimes { REFUSE_FRACTIONS, TRUNCATE_FRACTIONS }

    /**
     * How a 429 of the access-log endpoint says when its limit resets: seconds, or the moment as an ISO 8601
     * or an HTTP date (its reference calls {@code ratelimit-reset} "a date-time"), with Zendesk's {@code Date}.
     */
    public enum ResetForm { SECONDS, ISO_8601, HTTP_DATE }

    private static final java.util.regex.Pattern WHOLE_SECONDS =
            java.util.regex.Pattern.compile("\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}Z");

    private record TicketVersion(long id, long generatedTimestamp, String status, String subject) {}

    private record AuditRecord(long id, Instant createdAt, Instant visibleAt, String action) {}

    private record AccessRecord(String id, Instant timestamp, Instant visibleAt) {}

    private final Supplier<Instant> clock;
    // Zendesk's own clock runs this far from the test clock (the collector's).
    private java.time.Duration clockOffset = java.time.Duration.ZERO;
    private final String expectedAuthorization;
    private final Map<Long, TicketVersion> tickets = new LinkedHashMap<>();
    private final List<AuditRecord> audits = new ArrayList<>();
    private final List<AccessRecord> accessLogs = new ArrayList<>();
    // The access-log endpoint: 50 requests a minute, a 90-day record, the ADPP add-on.
    private int accessLimit = Integer.MAX_VALUE;
    private java.time.Duration accessWindow = java.time.Duration.ofMinutes(1);
    private Instant accessWindowStart;
    private int accessWindowCount;
    private long accessThrottled;
    private boolean accessLogsEnabled = true;
    private String accessCursorParameter = "page[after]";
    private ResetForm accessResetForm = ResetForm.SECONDS;
    private final Deque<Fault> scheduledFaults = new ArrayDeque<>();
    private Random random;
    private double faultRate;
    private int ticketPageSize = 1000;
    private FilterTimes filterTimes = FilterTimes.REFUSE_FRACTIONS;
    private long exportLagSeconds = 60;
    private int delayMillis;
    private long requests;
    private Runnable onRequest = () -> { };
    // OAuth: the one client, the access tokens issued with their expiry, the one live refresh token.
    public static final String CLIENT_ID = "zendesk-crm-collector";
    public static final String CLIENT_SECRET = "cs-8d41f0b2c9e7a6153";
    private final Map<String, Instant> accessTokens = new LinkedHashMap<>();
    public static final String SEED_REFRESH_TOKEN = "rt-seed-5b7c1e9a";
    private String refreshToken = SEED_REFRESH_TOKEN;
    // Every access and refresh token the account ever issued, including those a refresh has since deleted.
    private final java.util.Set<String> everyTokenIssued = new java.util.LinkedHashSet<>();
    private java.time.Duration tokenLifetime = java.time.Duration.ofMinutes(30);
    private java.time.Duration refreshTokenLifetime = java.time.Duration.ofDays(30);
    private Instant refreshTokenExpiresAt;
    private long tokensIssued;
    private long refreshes;
    private long refusedRefreshes;
    private final List<Long> askedLifetimes = new ArrayList<>();
    private final Deque<LostAnswer> lostTokenAnswers = new ArrayDeque<>();
    private int tokenRequestsFailingAtTheEdge;
    // The incremental-exports rate limit: at most exportLimit requests per fixed window.
    private int exportLimit = Integer.MAX_VALUE;
    private java.time.Duration exportWindow = java.time.Duration.ofMinutes(1);
    private Instant windowStart;
    private int windowCount;
    private long throttled;
    private long expiredTokenRejections;

    public FakeZendesk(Supplier<Instant> clock, String expectedAuthorization) {
        this.clock = clock;
        this.expectedAuthorization = expectedAuthorization;
    }

    /** How the answer to a token request is lost after Zendesk has acted on it. */
    public enum LostAnswer { RESET, BAD_GATEWAY }

    /** The next {@code n} token requests are answered 502 by an edge before they reach Zendesk: nothing changes. */
    public synchronized void failTokenRequestsAtTheEdge(int n) {
        tokenRequestsFailingAtTheEdge = n;
    }

    // ---- the account ----

    /**
     * Zendesk's clock from now on: the test clock plus {@code offset}. Records are created, listed, kept and
     * deleted by it, and every answer's {@code Date} header shows it (whole seconds, as HTTP dates are).
     * A negative offset is a collector whose clock runs ahead of Zendesk's.
     */
    public synchronized void clockOffset(java.time.Duration offset) {
        this.clockOffset = offset;
    }

    /** Zendesk's present. */
    public synchronized Instant now() {
        return clock.get().plus(clockOffset);
    }

    /**
     * Access tokens issued from now on expire after this long: the lifetime when a request asks for none,
     * and the longest this account grants when a request asks for more ({@code expires_in}).
     */
    public synchronized void tokenLifetime(java.time.Duration lifetime) {
        this.tokenLifetime = lifetime;
    }

    /** Refresh tokens issued from now on expire after this long (Zendesk's default: 30 days). */
    public synchronized void refreshTokenLifetime(java.time.Duration lifetime) {
        this.refreshTokenLifetime = lifetime;
    }

    /** Successful refreshes ({@code grant_type=refresh_token}): each deleted the previous access and refresh token. */
    public synchronized long refreshes() {
        return refreshes;
    }

    /** Refreshes refused with {@code invalid_grant}: a deleted, expired or unknown refresh token was sent. */
    public synchronized long refusedRefreshes() {
        return refusedRefreshes;
    }

    /** The {@code expires_in} of every token request that named one, in order. */
    public synchronized List<Long> askedLifetimes() {
        return List.copyOf(askedLifetimes);
    }

    /**
     * The next successful token answers are lost on the way back: Zendesk issues the tokens (and deletes the
     * previous ones), then the client sees a reset connection or an edge's 502.
     */
    public synchronized void loseTokenAnswers(LostAnswer... answers) {
        lostTokenAnswers.addAll(List.of(answers));
    }

    public synchronized long tokensIssued() {
        return tokensIssued;
    }

    /** API requests refused because their access token had expired: a collector that renews in time causes none. */
    public synchronized long expiredTokenRejections() {
        return expiredTokenRejections;
    }

    public synchronized String currentRefreshToken() {
        return refreshToken;
    }

    /** The access tokens that are still valid: a refresh deletes all earlier ones. */
    public synchronized java.util.Set<String> issuedAccessTokens() {
        return java.util.Set.copyOf(accessTokens.keySet());
    }

    /** Every access and refresh token issued since the last reset, deleted or not (not the seed refresh token). */
    public synchronized java.util.Set<String> everyTokenIssued() {
        return java.util.Set.copyOf(everyTokenIssued);
    }

    /** An access token issued as if to an OAuth client, for a test that uses it as a fixed bearer token. */
    public synchronized String issueAccessToken(java.time.Duration lifetime) {
        String token = "at-" + java.util.UUID.randomUUID();
        accessTokens.put(token, now().plus(lifetime));
        everyTokenIssued.add(token);
        tokensIssued++;
        return token;
    }

    /** Revokes every access token, as an admin would. */
    public synchronized void revokeAccessTokens() {
        accessTokens.clear();
    }

    /** Enforces Zendesk's incremental-export limit (10 per minute; 30 with High Volume) on the ticket export. */
    public synchronized void exportRateLimit(int perWindow, java.time.Duration window) {
        this.exportLimit = perWindow;
        this.exportWindow = window;
    }

    /** Requests answered 429 because the export rate limit was exceeded. */
    public synchronized long throttled() {
        return throttled;
    }

    public synchronized void reset() {
        tickets.clear();
        audits.clear();
        accessLogs.clear();
        clockOffset = java.time.Duration.ZERO;
        accessLimit = Integer.MAX_VALUE;
        accessWindow = java.time.Duration.ofMinutes(1);
        accessWindowStart = null;
        accessWindowCount = 0;
        accessThrottled = 0;
        accessLogsEnabled = true;
        accessCursorParameter = "page[after]";
        accessResetForm = ResetForm.SECONDS;
        scheduledFaults.clear();
        random = null;
        ticketPageSize = 1000;
        filterTimes = FilterTimes.REFUSE_FRACTIONS;
        exportLagSeconds = 60;
        delayMillis = 0;
        requests = 0;
        onRequest = () -> { };
        accessTokens.clear();
        refreshToken = SEED_REFRESH_TOKEN;
        everyTokenIssued.clear();
        tokenLifetime = java.time.Duration.ofMinutes(30);
        refreshTokenLifetime = java.time.Duration.ofDays(30);
        refreshTokenExpiresAt = null;
        tokensIssued = 0;
        refreshes = 0;
        refusedRefreshes = 0;
        askedLifetimes.clear();
        lostTokenAnswers.clear();
        tokenRequestsFailingAtTheEdge = 0;
        expiredTokenRejections = 0;
        exportLimit = Integer.MAX_VALUE;
        exportWindow = java.time.Duration.ofMinutes(1);
        windowStart = null;
        windowCount = 0;
        throttled = 0;
    }

    public synchronized void putTicket(long id, Instant changedAt, String status) {
        tickets.put(id, new TicketVersion(id, changedAt.getEpochSecond(), status, "subject " + id));
    }

    /** Zendesk's {@code created_at} has whole seconds: a sub-second {@code createdAt} is cut to its second. */
    public synchronized void addAudit(long id, Instant createdAt, Instant visibleAt) {
        audits.add(new AuditRecord(id, createdAt.truncatedTo(java.time.temporal.ChronoUnit.SECONDS), visibleAt, "update"));
    }

    /**
     * An access-log record at {@code timestamp} (whole seconds, as Zendesk's), listed from {@code visibleAt}.
     * Its id is a time-ordered string like Zendesk's ULIDs.
     */
    public synchronized void addAccessLog(long n, Instant timestamp, Instant visibleAt) {
        String id = String.format("01%013X%011d", timestamp.toEpochMilli(), n);
        accessLogs.add(new AccessRecord(id, timestamp.truncatedTo(java.time.temporal.ChronoUnit.SECONDS), visibleAt));
    }

    public synchronized List<String> accessLogIds() {
        return accessLogs.stream().map(AccessRecord::id).toList();
    }

    /** Access-log ids Zendesk still keeps (90 days): what a complete collection can hold at least. */
    public synchronized List<String> keptAccessLogIds() {
        Instant oldest = now().minus(java.time.Duration.ofDays(90));
        return accessLogs.stream().filter(a -> !a.timestamp().isBefore(oldest)).map(AccessRecord::id).toList();
    }

    /** The access-log endpoint's own limit: {@code perWindow} requests, then 429 with only {@code ratelimit-reset}. */
    public synchronized void accessLogRateLimit(int perWindow, java.time.Duration window) {
        this.accessLimit = perWindow;
        this.accessWindow = window;
    }

    public synchronized long accessLogsThrottled() {
        return accessThrottled;
    }

    /**
     * The one parameter the access-log endpoint reads its cursor from, and names in {@code links.next}:
     * {@code page[after]} (the pagination guide) or {@code filter[after]} (the endpoint's reference).
     */
    public synchronized void accessLogCursorParameter(String name) {
        this.accessCursorParameter = name;
    }

    public synchronized void accessLogResetForm(ResetForm form) {
        this.accessResetForm = form;
    }

    /** Without the Advanced Data Privacy and Protection add-on, the endpoint answers 403. */
    public synchronized void accessLogsEnabled(boolean enabled) {
        this.accessLogsEnabled = enabled;
    }

    public synchronized void filterTimes(FilterTimes mode) {
        this.filterTimes = mode;
    }

    /** How recent a change the ticket export leaves out (Zendesk: one minute). */
    public synchronized void exportLag(java.time.Duration lag) {
        this.exportLagSeconds = lag.toSeconds();
    }

    /** Every answer waits this long, to make a run last. */
    public synchronized void responseDelay(java.time.Duration delay) {
        this.delayMillis = (int) delay.toMillis();
    }

    /** Runs on every request, before it is answered (for example to move a test clock on). */
    public synchronized void onRequest(Runnable action) {
        this.onRequest = action;
    }

    public synchronized void ticketPageSize(int size) {
        this.ticketPageSize = size;
    }

    /** The next requests fail with these faults, in order. */
    public synchronized void failNext(Fault... faults) {
        scheduledFaults.addAll(List.of(faults));
    }

    /** From now on a share of requests fails with a random fault. */
    public synchronized void randomFaults(long seed, double rate) {
        this.random = new Random(seed);
        this.faultRate = rate;
    }

    public synchronized long requests() {
        return requests;
    }

    /** Ticket id to generated_timestamp of its current version: what a complete export holds. */
    public synchronized Map<Long, Long> currentTickets() {
        Map<Long, Long> out = new LinkedHashMap<>();
        tickets.values().forEach(t -> out.put(t.id(), t.generatedTimestamp()));
        return out;
    }

    public synchronized List<Long> auditIds() {
        return audits.stream().map(AuditRecord::id).toList();
    }

    // ---- HTTP ----

    @Override
    public String getName() {
        return NAME;
    }

    @Override
    public boolean applyGlobally() {
        return false;
    }

    @Override
    public synchronized ResponseDefinition transform(ServeEvent event) {
        ResponseDefinition answer = answer(event);
        // WireMock's server sends no Date of its own: this one is Zendesk's clock.
        return com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder.like(answer).withHeader("Date",
                java.time.format.DateTimeFormatter.RFC_1123_DATE_TIME.format(now().atOffset(java.time.ZoneOffset.UTC))).build();
    }

    private ResponseDefinition answer(ServeEvent event) {
        requests++;
        onRequest.run();
        Request request = event.getRequest();
        if (request.getUrl().startsWith("/oauth/tokens")) return tokens(request);
        String authorization = request.getHeader("Authorization");
        if (authorization != null && authorization.startsWith("Bearer ")) {
            Instant expiry = accessTokens.get(authorization.substring(7));
            if (expiry == null) return json(401, "{\"error\":\"invalid_token\"}", 0);
            if (!now().isBefore(expiry)) {
                expiredTokenRejections++;
                return json(401, "{\"error\":\"invalid_token\",\"error_description\":\"expired\"}", 0);
            }
        } else if (!expectedAuthorization.equals(authorization)) {
            return json(401, "{\"error\":\"Couldn't authenticate you\"}", 0);
        }
        Fault fault = scheduledFaults.poll();
        if (fault == null && random != null && random.nextDouble() < faultRate) {
            fault = PASSING[random.nextInt(PASSING.length)];
        }
        String path = request.getUrl().replaceAll("\\?.*", "");
        String body;
        String rateHeader = null;
        if (path.equals("/api/v2/incremental/tickets/cursor.json")) {
            Instant now = now();
            if (windowStart == null || !now.isBefore(windowStart.plus(exportWindow))) {
                windowStart = now;
                windowCount = 0;
            }
            long resetsMillis = java.time.Duration.between(now, windowStart.plus(exportWindow)).toMillis();
            long resets = (resetsMillis + 999) / 1000;
            if (exportLimit != Integer.MAX_VALUE && windowCount >= exportLimit) {
                throttled++;
                return responseDefinition().withStatus(429).withHeader("Retry-After", String.valueOf(Math.max(1, resets)))
                        .withHeader("Content-Type", "application/json").withBody("{\"error\":\"APIRateLimitExceeded\"}").build();
            }
            windowCount++;
            if (exportLimit != Integer.MAX_VALUE) {
                rateHeader = "total=" + exportLimit + "; remaining=" + (exportLimit - windowCount) + "; resets=" + resets;
            }
            body = ticketPage(request);
        } else if (path.equals("/api/v2/audit_logs.json")) {
            List<String> window = request.queryParameter("filter[created_at][]").values();
            if (filterTimes == FilterTimes.REFUSE_FRACTIONS && !window.stream().allMatch(t -> WHOLE_SECONDS.matcher(t).matches())) {
                return json(400, "{\"error\":\"InvalidValue\",\"description\":\"filter[created_at] must be yyyy-mm-ddThh:mm:ssZ\"}", 0);
            }
            body = auditPage(request);
        } else if (path.equals("/api/v2/access_logs")) {
            if (!accessLogsEnabled) {
                return json(403, "{\"error\":\"Forbidden\",\"description\":\"You do not have access to this page\"}", 0);
            }
            Instant now = now();
            if (accessWindowStart == null || !now.isBefore(accessWindowStart.plus(accessWindow))) {
                accessWindowStart = now;
                accessWindowCount = 0;
            }
            if (accessLimit != Integer.MAX_VALUE && accessWindowCount >= accessLimit) {
                accessThrottled++;
                long resets = (java.time.Duration.between(now, accessWindowStart.plus(accessWindow)).toMillis() + 999) / 1000;
                // Zendesk's clock and its date-times have whole seconds: the reset is the next whole second.
                Instant dateNow = now.truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
                Instant resetAt = accessWindowStart.plus(accessWindow).plusMillis(999).truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
                String reset = switch (accessResetForm) {
                    case SECONDS -> String.valueOf(Math.max(1, resets));
                    case ISO_8601 -> resetAt.toString();
                    case HTTP_DATE -> java.time.format.DateTimeFormatter.RFC_1123_DATE_TIME.format(resetAt.atOffset(java.time.ZoneOffset.UTC));
                };
                // This endpoint may send no Retry-After and no zendesk-ratelimit-* bucket: only ratelimit-reset.
                return responseDefinition().withStatus(429).withHeader("ratelimit-reset", reset)
                        .withHeader("Date", java.time.format.DateTimeFormatter.RFC_1123_DATE_TIME.format(dateNow.atOffset(java.time.ZoneOffset.UTC)))
                        .withHeader("Content-Type", "application/json").withBody("{\"error\":\"TooManyRequests\"}").build();
            }
            accessWindowCount++;
            String start = param(request, "filter[start]");
            String end = param(request, "filter[end]");
            if (start == null || end == null || !WHOLE_SECONDS.matcher(start).matches() || !WHOLE_SECONDS.matcher(end).matches()) {
                return json(400, "{\"error\":\"InvalidValue\",\"description\":\"filter[start] and filter[end] must be yyyy-mm-ddThh:mm:ssZ\"}", 0);
            }
            int size = Integer.parseInt(paramOr(request, "page[size]", "1000"));
            if (size > 2500) return json(400, "{\"error\":\"InvalidPaginationParameter\",\"description\":\"page[size] is too large\"}", 0);
            body = accessPage(Instant.parse(start), Instant.parse(end), size, param(request, accessCursorParameter));
        } else {
            return json(404, "{\"error\":\"InvalidEndpoint\"}", 0);
        }
        if (fault != null) return faulty(fault, body);
        ResponseDefinition ok = json(200, body, delayMillis);
        if (rateHeader == null) return ok;
        return com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder.like(ok)
                .withHeader("zendesk-ratelimit-incremental-exports", rateHeader).build();
    }

    private ResponseDefinition tokens(Request request) {
        if (tokenRequestsFailingAtTheEdge > 0) {
            tokenRequestsFailingAtTheEdge--;
            return json(502, "<html><body>502 Bad Gateway</body></html>", 0);
        }
        com.fasterxml.jackson.databind.JsonNode body;
        try {
            body = JSON.readTree(request.getBodyAsString());
        } catch (Exception e) {
            return json(400, "{\"error\":\"invalid_request\"}", 0);
        }
        if (!CLIENT_ID.equals(body.path("client_id").asText()) || !CLIENT_SECRET.equals(body.path("client_secret").asText())) {
            return json(401, "{\"error\":\"invalid_client\",\"error_description\":\"Client authentication failed\"}", 0);
        }
        ObjectNode out = JSON.createObjectNode();
        String grant = body.path("grant_type").asText();
        java.time.Duration lifetime = tokenLifetime;
        if (body.has("expires_in")) {
            long asked = body.path("expires_in").asLong(-1);
            if (asked < 300 || asked > 172_800) {
                return json(400, "{\"error\":\"invalid_request\",\"error_description\":\"expires_in must be between 300 and 172800\"}", 0);
            }
            askedLifetimes.add(asked);
            if (asked < lifetime.toSeconds()) lifetime = java.time.Duration.ofSeconds(asked);
        }
        if (grant.equals("refresh_token")) {
            boolean expired = refreshTokenExpiresAt != null && !clock.get().isBefore(refreshTokenExpiresAt);
            if (!body.path("refresh_token").asText().equals(refreshToken) || expired) {
                refusedRefreshes++;
                return json(400, "{\"error\":\"invalid_grant\",\"error_description\":\"The provided authorization grant is invalid, expired, or revoked\"}", 0);
            }
            accessTokens.clear(); // a refresh deletes the previous access and refresh tokens
            refreshToken = "rt-" + java.util.UUID.randomUUID();
            refreshTokenExpiresAt = clock.get().plus(refreshTokenLifetime);
            everyTokenIssued.add(refreshToken);
            refreshes++;
            out.put("refresh_token", refreshToken).put("refresh_token_expires_in", refreshTokenLifetime.toSeconds());
        } else if (!grant.equals("client_credentials")) {
            return json(400, "{\"error\":\"unsupported_grant_type\"}", 0);
        }
        String token = "at-" + java.util.UUID.randomUUID();
        accessTokens.put(token, now().plus(lifetime));
        everyTokenIssued.add(token);
        tokensIssued++;
        out.put("access_token", token).put("token_type", "bearer").put("expires_in", lifetime.toSeconds())
                .put("scope", body.path("scope").asText());
        LostAnswer lost = lostTokenAnswers.poll(); // Zendesk has acted: the tokens above exist, the old ones are gone
        if (lost == LostAnswer.RESET) return responseDefinition().withFault(com.github.tomakehurst.wiremock.http.Fault.CONNECTION_RESET_BY_PEER).build();
        if (lost == LostAnswer.BAD_GATEWAY) return json(502, "<html><body>502 Bad Gateway</body></html>", 0);
        return json(200, out.toString(), 0);
    }

    private String ticketPage(Request request) {
        Instant now = now();
        long visibleUntil = now.getEpochSecond() - exportLagSeconds; // the export leaves out the last minute
        long afterTs;
        long afterId;
        String cursor = param(request, "cursor");
        if (cursor != null) {
            String[] parts = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8).split(":");
            afterTs = Long.parseLong(parts[0]);
            afterId = Long.parseLong(parts[1]);
        } else {
            long start = Long.parseLong(param(request, "start_time"));
            if (start > visibleUntil) throw new IllegalArgumentException("start_time must be more than a minute ago");
            afterTs = start;
            afterId = -1;
        }
        int perPage = Math.min(ticketPageSize, Integer.parseInt(paramOr(request, "per_page", "1000")));
        List<TicketVersion> candidates = tickets.values().stream()
                .filter(t -> t.generatedTimestamp() <= visibleUntil)
                .filter(t -> t.generatedTimestamp() > afterTs || (t.generatedTimestamp() == afterTs && t.id() > afterId))
                .sorted(Comparator.comparingLong(TicketVersion::generatedTimestamp).thenComparingLong(TicketVersion::id))
                .toList();
        List<TicketVersion> page = candidates.subList(0, Math.min(perPage, candidates.size()));
        ObjectNode out = JSON.createObjectNode();
        ArrayNode arr = out.putArray("tickets");
        long lastTs = afterTs;
        long lastId = afterId;
        for (TicketVersion t : page) {
            ObjectNode n = arr.addObject();
            n.put("id", t.id()).put("url", "https://example.zendesk.com/api/v2/tickets/" + t.id() + ".json")
                    .put("subject", t.subject()).put("status", t.status())
                    .put("updated_at", Instant.ofEpochSecond(t.generatedTimestamp()).toString())
                    .put("generated_timestamp", t.generatedTimestamp());
            lastTs = t.generatedTimestamp();
            lastId = t.id();
        }
        String after = Base64.getUrlEncoder().withoutPadding()
                .encodeToString((lastTs + ":" + lastId).getBytes(StandardCharsets.UTF_8));
        out.put("after_cursor", after);
        out.put("after_url", "https://example.zendesk.com/api/v2/incremental/tickets/cursor.json?cursor=" + after);
        out.putNull("before_cursor");
        out.putNull("before_url");
        out.put("end_of_stream", candidates.size() <= perPage);
        return out.toString();
    }

    private String auditPage(Request request) {
        Instant now = now();
        List<String> window = request.queryParameter("filter[created_at][]").values();
        Instant from = Instant.parse(window.get(0)).truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
        Instant to = Instant.parse(window.get(1)).truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
        int size = Integer.parseInt(paramOr(request, "page[size]", "100"));
        if (!"created_at".equals(param(request, "sort"))) throw new IllegalArgumentException("expected sort=created_at");
        String after = param(request, "page[after]");
        String afterKey = after == null ? "" : new String(Base64.getUrlDecoder().decode(after), StandardCharsets.UTF_8);
        List<AuditRecord> matching = audits.stream()
                .filter(a -> !a.visibleAt().isAfter(now))
                .filter(a -> !a.createdAt().isBefore(from) && !a.createdAt().isAfter(to))
                .sorted(Comparator.comparing(AuditRecord::createdAt).thenComparingLong(AuditRecord::id))
                .filter(a -> afterKey.isEmpty() || sortKey(a).compareTo(afterKey) > 0)
                .toList();
        List<AuditRecord> page = matching.subList(0, Math.min(size, matching.size()));
        ObjectNode out = JSON.createObjectNode();
        ArrayNode arr = out.putArray("audit_logs");
        for (AuditRecord a : page) {
            arr.addObject().put("id", a.id()).put("url", "https://example.zendesk.com/api/v2/audit_logs/" + a.id() + ".json")
                    .put("action", a.action()).put("actor_id", 7).put("actor_name", "Admin")
                    .put("source_type", "user").put("source_id", a.id()).put("ip_address", "203.0.113.9")
                    .put("created_at", a.createdAt().toString());
        }
        ObjectNode meta = out.putObject("meta");
        boolean more = matching.size() > size;
        meta.put("has_more", more);
        String cursor = page.isEmpty() ? null : Base64.getUrlEncoder().withoutPadding()
                .encodeToString(sortKey(page.get(page.size() - 1)).getBytes(StandardCharsets.UTF_8));
        if (cursor != null) meta.put("after_cursor", cursor); else meta.putNull("after_cursor");
        meta.putNull("before_cursor");
        out.putObject("links").put("next", cursor == null ? null : "https://example.zendesk.com/api/v2/audit_logs.json?page[after]=" + cursor);
        return out.toString();
    }

    private String accessPage(Instant from, Instant to, int size, String after) {
        Instant now = now();
        Instant oldest = now.minus(java.time.Duration.ofDays(90)); // deleted after 90 days
        List<AccessRecord> matching = accessLogs.stream()
                .filter(a -> !a.visibleAt().isAfter(now) && !a.timestamp().isBefore(oldest))
                .filter(a -> !a.timestamp().isBefore(from) && !a.timestamp().isAfter(to))
                .sorted(Comparator.comparing(AccessRecord::timestamp).thenComparing(AccessRecord::id))
                .filter(a -> after == null || (a.timestamp() + "|" + a.id()).compareTo(
                        new String(Base64.getUrlDecoder().decode(after), StandardCharsets.UTF_8)) > 0)
                .toList();
        List<AccessRecord> page = matching.subList(0, Math.min(size, matching.size()));
        ObjectNode out = JSON.createObjectNode();
        ArrayNode arr = out.putArray("access_logs");
        for (AccessRecord a : page) {
            ObjectNode n = arr.addObject();
            n.put("id", a.id()).put("timestamp", a.timestamp().toString()).put("user_id", "6596848315901")
                    .put("ip_address", "192.0.2.10").put("method", "GET").put("url", "/api/v2/tickets/42.json").put("status", 200)
                    .put("authorization_type", "bearer").put("client", "Zendesk/1.0").putNull("graphql")
                    .put("category", "Tickets").put("summary", "Show ticket").put("origin_service", "Zendesk");
        }
        ObjectNode meta = out.putObject("meta");
        meta.put("has_more", matching.size() > size);
        String cursor = page.isEmpty() ? null : Base64.getUrlEncoder().withoutPadding().encodeToString(
                (page.get(page.size() - 1).timestamp() + "|" + page.get(page.size() - 1).id()).getBytes(StandardCharsets.UTF_8));
        if (cursor != null) meta.put("after_cursor", cursor); else meta.putNull("after_cursor");
        meta.putNull("before_cursor");
        // As Zendesk writes it: brackets percent-encoded, the cursor in the parameter this endpoint reads.
        out.putObject("links").put("next", cursor == null ? null : "https://example.zendesk.com/api/v2/access_logs?"
                + query("filter[start]", from.toString()) + "&" + query("filter[end]", to.toString()) + "&"
                + query("page[size]", String.valueOf(size)) + "&" + query(accessCursorParameter, cursor));
        return out.toString();
    }

    private static String query(String name, String value) {
        return java.net.URLEncoder.encode(name, StandardCharsets.UTF_8) + "=" + java.net.URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    /** A sortable key for (created_at, id): fixed-width so that string order is record order. */
    private static String sortKey(AuditRecord a) {
        return String.format("%019d:%019d", a.createdAt().toEpochMilli(), a.id());
    }

    private static ResponseDefinition faulty(Fault fault, String body) {
        return switch (fault) {
            case HTTP_500 -> json(500, "{\"error\":\"InternalError\"}", 0);
            case RESET -> responseDefinition().withFault(com.github.tomakehurst.wiremock.http.Fault.CONNECTION_RESET_BY_PEER).build();
            case MALFORMED_CHUNK -> responseDefinition().withFault(com.github.tomakehurst.wiremock.http.Fault.MALFORMED_RESPONSE_CHUNK).build();
            case TRUNCATED_BODY -> json(200, body.substring(0, body.length() / 2), 0);
            case THROTTLE_WITH_RETRY_AFTER -> responseDefinition().withStatus(429).withHeader("Retry-After", "1")
                    .withHeader("Content-Type", "application/json").withBody("{\"error\":\"TooManyRequests\"}").build();
            case THROTTLE_BARE -> json(429, "{\"error\":\"TooManyRequests\"}", 0);
            case HTML_PAGE -> responseDefinition().withStatus(200).withHeader("Content-Type", "text/html; charset=utf-8")
                    .withBody("<!DOCTYPE html>\n<html><head><title>Sign in</title></head><body><form action=\"/access/login\">"
                            + "</form></body></html>").build();
            case NOT_UTF8 -> {
                // The first record's url starts with a Latin-1 byte, as from a proxy that re-encodes the answer.
                byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
                bytes[body.indexOf("\"url\":\"") + 7] = (byte) 0xE9;
                yield responseDefinition().withStatus(200).withHeader("Content-Type", "application/json").withBody(bytes).build();
            }
        };
    }

    private static ResponseDefinition json(int status, String body, int delayMillis) {
        return responseDefinition().withStatus(status).withHeader("Content-Type", "application/json").withBody(body)
                .withFixedDelay(delayMillis > 0 ? delayMillis : null).build();
    }

    private static String param(Request request, String name) {
        QueryParameter p = request.queryParameter(name);
        return p.isPresent() ? p.firstValue() : null;
    }

    private static String paramOr(Request request, String name, String def) {
        String v = param(request, name);
        return v == null ? def : v;
    }
}
