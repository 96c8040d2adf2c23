package io.zendeskcrm.collector.runner;

import io.zendeskcrm.collector.CollectorJob;
import io.zendeskcrm.collector.Progress;
import io.zendeskcrm.collector.RunSummary;
import io.zendeskcrm.collector.checkpoint.CheckpointStore;
import io.zendeskcrm.collector.config.Credentials;
import io.zendeskcrm.collector.config.Settings;
import io.zendeskcrm.collector.config.SecOps;
import io.zendeskcrm.collector.config.SettingsException;
import io.zendeskcrm.collector.deliver.AccessTokens;
import io.zendeskcrm.collector.deliver.ChronicleImport;
import io.zendeskcrm.collector.deliver.Delivery;
import com.google.api.client.http.javanet.NetHttpTransport;
import java.net.http.HttpClient;
import java.util.concurrent.ThreadLocalRandom;
import io.zendeskcrm.collector.reconcile.AlreadyStored;
import io.zendeskcrm.collector.reconcile.ReconcileReport;
import io.zendeskcrm.collector.reconcile.ReconcileRequest;
import io.zendeskcrm.collector.reconcile.Reconciliation;
import io.zendeskcrm.collector.sink.LocalDirectorySink;
import io.zendeskcrm.collector.sink.NdjsonEncoder;
import io.zendeskcrm.collector.sink.ObjectKeys;
import io.zendeskcrm.collector.sink.RecordSink;
import io.zendeskcrm.collector.sink.S3Sink;
import io.zendeskcrm.collector.sink.WriteOnceObjects;
import io.zendeskcrm.collector.stream.Deadline;
import io.zendeskcrm.collector.stream.RequestStats;
import io.zendeskcrm.collector.stream.ZendeskStream;
import io.zendeskcrm.collector.zendesk.Authorizer;
import io.zendeskcrm.collector.zendesk.OAuthTokens;
import io.zendeskcrm.collector.zendesk.RatePacer;
import io.zendeskcrm.collector.zendesk.RefreshTokenVault;
import io.zendeskcrm.collector.zendesk.RetryingRequests;
import io.zendeskcrm.collector.zendesk.Sleeper;
import io.zendeskcrm.collector.zendesk.Streams;
import io.zendeskcrm.collector.zendesk.ZendeskApi;
import io.zendeskcrm.collector.zendesk.ZendeskClient;
import io.zendeskcrm.collector.zendesk.ZendeskOAuthApi;
import io.quarkus.rest.client.reactive.QuarkusRestClientBuilder;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.eclipse.microprofile.config.ConfigProvider;
import org.jboss.logging.Logger;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3ClientBuilder;

/**
 * Builds one pass from the settings and runs it. Every run mode (Lambda, {@code once}, the schedule)
 * comes through here, so they share one code path.
 */
@ApplicationScoped
public class Collector {
    private static final Logger LOG = Logger.getLogger(Collector.class);

    @Inject
    Clock clock;

    @Inject
    Sleeper sleeper;

    @Inject
    StopRequest stop;

    private S3Client s3;
    private AccessTokens accessTokens;
    private HttpClient secOpsHttp;
    private Duration secOpsHttpTimeout;
    private String accessTokensFor;
    private String s3Identity;
    private final java.util.Map<String, Object> restClients = new java.util.concurrent.ConcurrentHashMap<>();

    /** One pass with the settings from the environment (and Quarkus configuration). */
    public RunSummary run() {
        return run(Progress.NONE);
    }

    /** The same, with progress reported after every page (for a terminal). */
    public RunSummary run(Progress progress) {
        return run(Settings.load(Collector::config), Optional.empty(), progress);
    }

    /** One pass inside a Lambda invocation that has {@code remaining} time left. */
    public RunSummary runWithin(Duration remaining) {
        return run(Settings.load(Collector::config), Optional.of(remaining), Progress.NONE);
    }

    /** One pass with the given settings. */
    public RunSummary run(Settings settings) {
        return run(settings, Optional.empty(), Progress.NONE);
    }

    /**
     * @param invocationRemaining inside Lambda, the invocation's remaining time: the pass stops starting
     *                            pages {@code LAMBDA_TIME_MARGIN_SECONDS} before it ends
     */
    public RunSummary run(Settings configured, Optional<Duration> invocationRemaining, Progress progress) {
        Instant start = clock.instant();
        checkTimes(configured, start, invocationRemaining);
        Optional<Region> region = configured.outputDir().isEmpty()
                ? Optional.of(Preflight.s3Region(configured, Collector::config)) : Optional.empty();
        configured.outputDir().ifPresent(Preflight::checkOutputDir);
        Deadline deadline = invocationRemaining
                .map(r -> Deadline.after(start, r.minus(configured.lambdaTimeMargin())))
                .or(() -> configured.timeBudget().map(b -> Deadline.after(start, b)))
                .orElse(Deadline.NONE);
        Settings settings = AwsSecrets.resolve(configured);
        if (settings.stateKeyInsideDataPrefix() && settings.outputDir().isEmpty()) {
            LOG.warnf("STATE_KEY (%s) lies inside S3_PREFIX (%s): a SecOps feed on that prefix will ingest the checkpoint"
                    + " as logs; move STATE_KEY outside it", settings.stateKey(), settings.prefix());
        }
        RequestStats stats = new RequestStats();
        RetryingRequests requests = new RetryingRequests(settings.httpRetries(), sleeper, stats, clock, deadline,
                new RatePacer(settings.rateLimitReservePercent()));
        ZendeskApi api = restClient(settings, ZendeskApi.class);
        Authorizer authorizer = authorizer(settings, region, requests);
        ZendeskClient client = new ZendeskClient(api, requests, authorizer, settings.credentials().describe());
        NdjsonEncoder encoder = new NdjsonEncoder(settings.compression() == Settings.Compression.GZIP);
        List<ZendeskStream> streams = settings.resources().stream()
                .map(name -> Streams.create(name, client, settings, encoder)).toList();
        ObjectKeys keys = new ObjectKeys(settings.prefix(), settings.compression().extension);
        RecordSink sink = sink(settings, region);
        RunSummary summary = new CollectorJob(streams, new WriteOnceObjects(sink, keys, encoder), store(settings, region, settings.stateKey()),
                settings.maxPages(), clock, stats, settings.destination(), settings.startTime())
                .knowing(AlreadyStored.finder(sink, settings.prefix(), encoder))
                .measuringBy(client.zendeskTime()::now)
                .delivering(delivery(settings, sink, deadline))
                .run(deadline, new StopAtPageBoundary(stop, progress));
        if (!(authorizer instanceof OAuthTokens tokens)) return summary;
        // A rotated refresh token still unstored fails the pass (the next one would be refused), and the
        // refresh token's own expiry is reported for its alarm.
        OAuthTokens.PassEnd end = tokens.endOfPass();
        return summary.withOAuth(end.refreshTokenExpiresInSeconds().orElse(null), end.error().orElse(null));
    }

    /**
     * Settings that are only wrong against the clock or the invocation: a START_TIME in the future, and
     * in Lambda a margin that leaves no time to fetch, or a request timeout that could outlast the margin.
     */
    static void checkTimes(Settings settings, Instant now, Optional<Duration> invocationRemaining) {
        settings.startTime().filter(t -> t.isAfter(now)).ifPresent(t -> {
            throw new SettingsException("START_TIME (" + t + ") is in the future; give the moment to collect from,"
                    + " which must have passed");
        });
        invocationRemaining.ifPresent(remaining -> checkLambdaTimes(settings, remaining));
    }

    private static void checkLambdaTimes(Settings settings, Duration remaining) {
        Duration margin = settings.lambdaTimeMargin();
        if (remaining.compareTo(margin) <= 0) {
            throw new SettingsException("LAMBDA_TIME_MARGIN_SECONDS (" + margin.toSeconds() + ") must be less than the"
                    + " function's timeout (" + remaining.toSeconds() + " s left in this invocation):"
                    + " no page could ever start; raise the function's Timeout or lower the margin");
        }
        if (settings.httpTimeout().compareTo(margin) >= 0) {
            throw new SettingsException("HTTP_TIMEOUT (" + settings.httpTimeout().toSeconds() + ") must be less than"
                    + " LAMBDA_TIME_MARGIN_SECONDS (" + margin.toSeconds() + "): a request started just before the margin"
                    + " could outlast the invocation");
        }
    }

    /** How requests are signed, from AUTH_MODE. */
    Authorizer authorizer(Settings settings, Optional<Region> region, RetryingRequests requests) {
        Credentials credentials = settings.credentials();
        return switch (credentials.mode()) {
            case TOKEN -> Authorizer.fixed("Basic " + Base64.getEncoder().encodeToString(
                    (credentials.email().orElseThrow() + "/token:" + credentials.secret(Credentials.API_TOKEN).reveal())
                            .getBytes(StandardCharsets.UTF_8)));
            case BEARER -> Authorizer.fixed("Bearer " + credentials.secret(Credentials.BEARER_TOKEN).reveal());
            case OAUTH_CLIENT_CREDENTIALS, OAUTH_REFRESH_TOKEN -> new OAuthTokens(
                    restClient(settings, ZendeskOAuthApi.class), requests, clock, sleeper, credentials.clientId().orElseThrow(),
                    credentials.secret(Credentials.CLIENT_SECRET), credentials.scopes(),
                    credentials.mode() == Credentials.AuthMode.OAUTH_REFRESH_TOKEN
                            ? new RefreshTokenVault(oauthStateStore(settings, region),
                                    credentials.secret(Credentials.REFRESH_TOKEN))
                            : null);
        };
    }

    /** Direct delivery to SecOps when SECOPS_INSTANCE is set; off otherwise. */
    private Delivery delivery(Settings settings, RecordSink sink, Deadline deadline) {
        if (settings.secOps().isEmpty()) return Delivery.OFF;
        SecOps secOps = settings.secOps().get();
        ChronicleImport chronicle = new ChronicleImport(secOps, accessTokens(secOps), secOpsHttp(settings.httpTimeout()),
                settings.httpTimeout(), settings.httpRetries(), sleeper, clock, deadline, () -> ThreadLocalRandom.current().nextDouble());
        return new Delivery(sink, chronicle, clock);
    }

    /** One client (a connection pool and its thread) for the life of the process, as for the REST clients. */
    private synchronized HttpClient secOpsHttp(Duration connectTimeout) {
        if (secOpsHttp == null || !connectTimeout.equals(secOpsHttpTimeout)) {
            secOpsHttp = HttpClient.newBuilder().connectTimeout(connectTimeout).followRedirects(HttpClient.Redirect.NEVER).build();
            secOpsHttpTimeout = connectTimeout;
        }
        return secOpsHttp;
    }

    /** Kept from pass to pass, so that a token is exchanged about once an hour, not at every pass. */
    synchronized AccessTokens accessTokens(SecOps secOps) {
        String identity = secOps.configSource() + " " + java.util.Arrays.hashCode(secOps.credentialConfig());
        if (accessTokens == null || !identity.equals(accessTokensFor)) {
            NetHttpTransport transport = new NetHttpTransport();
            accessTokens = AccessTokens.of(secOps, () -> transport);
            accessTokensFor = identity;
        }
        return accessTokens;
    }

    /** Where objects go: OUTPUT_DIR, or the bucket. */
    private RecordSink sink(Settings settings, Optional<Region> region) {
        return settings.outputDir().<RecordSink>map(LocalDirectorySink::new)
                .orElseGet(() -> new S3Sink(s3(settings, region.orElseThrow()), settings.bucket().orElseThrow()));
    }

    /** A compare-and-swap object store for the checkpoint (or the OAuth refresh token) at {@code key}. */
    private CheckpointStore store(Settings settings, Optional<Region> region, String key) {
        return settings.outputDir().<CheckpointStore>map(dir -> new LocalCheckpointStore(dir.resolve(key)))
                .orElseGet(() -> new S3StateStore(s3(settings, region.orElseThrow()), settings.bucket().orElseThrow(), key));
    }

    /** Where the rotated refresh token is kept: in S3 under SSE-KMS when OAUTH_STATE_KMS_KEY_ID names a key. */
    CheckpointStore oauthStateStore(Settings settings, Optional<Region> region) {
        Credentials credentials = settings.credentials();
        if (settings.outputDir().isPresent() || credentials.oauthStateKmsKeyId().isEmpty()) {
            return store(settings, region, credentials.oauthStateKey());
        }
        S3Client encrypting = new KmsEncryptedPuts(s3(settings, region.orElseThrow()), credentials.oauthStateKmsKeyId().get());
        return new S3StateStore(encrypting, settings.bucket().orElseThrow(), credentials.oauthStateKey());
    }

    /** REST clients hold connection pools: one per API, base URL and timeout for the life of the process. */
    <T> T restClient(Settings settings, Class<T> api) {
        String key = api.getName() + " " + settings.zendeskBaseUrl() + " " + settings.httpTimeout();
        return api.cast(restClients.computeIfAbsent(key, k -> QuarkusRestClientBuilder.newBuilder()
                .baseUri(settings.zendeskBaseUrl())
                .connectTimeout(settings.httpTimeout().toMillis(), TimeUnit.MILLISECONDS)
                .readTimeout(settings.httpTimeout().toMillis(), TimeUnit.MILLISECONDS)
                .followRedirects(false) // a redirect must not carry the credentials elsewhere
                .disableDefaultMapper(true)
                .build(api)));
    }

    /**
     * The Apache HTTP client, not the URL-connection one: against S3-compatible servers the latter
     * fails a share of uploads on the first attempt, which turns conditional checkpoint writes into
     * ambiguous 412s and costs retries.
     */
    synchronized S3Client s3(Settings settings, Region region) {
        String identity = settings.s3Endpoint().map(Object::toString).orElse("") + " " + region.id();
        if (s3 == null || !identity.equals(s3Identity)) {
            if (s3 != null) s3.close();
            s3 = buildS3(settings, region);
            s3Identity = identity;
        }
        return s3;
    }

    private static S3Client buildS3(Settings settings, Region region) {
        S3ClientBuilder builder = S3Client.builder().httpClientBuilder(ApacheHttpClient.builder()).region(region);
        settings.s3Endpoint().ifPresent(endpoint -> builder.endpointOverride(endpoint).forcePathStyle(true));
        return builder.build();
    }

    /**
     * {@code reconcile} with the settings from the environment: the same clients, bucket and checkpoint as a
     * pass, pacing itself to leave more of the account's request budget to others than a pass does.
     */
    public ReconcileReport reconcile(ReconcileRequest request, Optional<Duration> invocationRemaining) {
        return reconcile(Settings.load(Collector::config), request, invocationRemaining);
    }

    /** {@code reconcile} with the given settings. */
    public ReconcileReport reconcile(Settings configured, ReconcileRequest request, Optional<Duration> invocationRemaining) {
        Instant start = clock.instant();
        checkTimes(configured, start, invocationRemaining);
        Optional<Region> region = configured.outputDir().isEmpty()
                ? Optional.of(Preflight.s3Region(configured, Collector::config)) : Optional.empty();
        configured.outputDir().ifPresent(Preflight::checkOutputDir);
        Deadline deadline = invocationRemaining.map(r -> Deadline.after(start, r.minus(configured.lambdaTimeMargin())))
                .orElse(Deadline.NONE);
        Settings settings = AwsSecrets.resolve(configured);
        RetryingRequests requests = new RetryingRequests(settings.httpRetries(), sleeper, new RequestStats(), clock, deadline,
                Reconciliation.pacer(settings.rateLimitReservePercent()));
        ZendeskClient client = new ZendeskClient(restClient(settings, ZendeskApi.class), requests,
                authorizer(settings, region, requests), settings.credentials().describe());
        NdjsonEncoder encoder = new NdjsonEncoder(settings.compression() == Settings.Compression.GZIP);
        RecordSink sink = sink(settings, region);
        return new Reconciliation(settings, client, sink, store(settings, region, settings.stateKey()), encoder, clock, deadline)
                .run(request);
    }

    /** {@code check} with the settings from the environment: what a first run needs, verified without collecting. */
    public CheckReport check(Optional<Duration> invocationRemaining) {
        return new Check(this, clock, sleeper, this::accessTokens).run(() -> Settings.load(Collector::config), invocationRemaining);
    }

    /** Where the checkpoint of these settings lives, for messages. */
    static String checkpointLocation(Settings settings) {
        return settings.outputDir().map(dir -> dir.resolve(settings.stateKey()).toString())
                .orElseGet(() -> "s3://" + settings.bucket().orElseThrow() + "/" + settings.stateKey());
    }

    static Optional<String> config(String name) {
        return ConfigProvider.getConfig().getOptionalValue(name, String.class);
    }
}
