package io.zendeskcrm.collector.runner;

import io.zendeskcrm.collector.config.Credentials;
import io.zendeskcrm.collector.config.SecOps;
import io.zendeskcrm.collector.config.Settings;
import io.zendeskcrm.collector.config.SettingsException;
import io.zendeskcrm.collector.deliver.AccessTokens;
import io.zendeskcrm.collector.runner.CheckReport.Line;
import io.zendeskcrm.collector.runner.CheckReport.Mark;
import io.zendeskcrm.collector.stream.Deadline;
import io.zendeskcrm.collector.stream.OutOfTimeException;
import io.zendeskcrm.collector.stream.RequestStats;
import io.zendeskcrm.collector.zendesk.Authorizer;
import io.zendeskcrm.collector.zendesk.RatePacer;
import io.zendeskcrm.collector.zendesk.RefreshTokenVault;
import io.zendeskcrm.collector.zendesk.RetryingRequests;
import io.zendeskcrm.collector.zendesk.Sleeper;
import io.zendeskcrm.collector.zendesk.StreamProbe;
import io.zendeskcrm.collector.zendesk.ZendeskClient;
import io.zendeskcrm.collector.zendesk.ZendeskException;
import io.zendeskcrm.collector.zendesk.ZendeskTime;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Supplier;
import software.amazon.awssdk.regions.Region;

/**
 * {@code check}: everything a first run needs, verified without collecting: the settings, Zendesk and the
 * credentials, each stream of {@code RESOURCES}, the local clock against Zendesk's, where the collector
 * writes ({@link StorageCheck}) and, with direct delivery, the Google credentials. No checkpoint, no record
 * and no rotated OAuth token is written, and nothing is imported into SecOps.
 */
final class Check {
    /** How long a check may take outside Lambda: a throttled Zendesk is reported, not waited out. */
    static final Duration BUDGET = Duration.ofMinutes(2);

    private final Collector collector;
    private final Clock clock;
    private final Sleeper sleeper;
    private final Function<SecOps, AccessTokens> googleTokens;

    Check(Collector collector, Clock clock, Sleeper sleeper, Function<SecOps, AccessTokens> googleTokens) {
        this.collector = collector;
        this.clock = clock;
        this.sleeper = sleeper;
        this.googleTokens = googleTokens;
    }

    CheckReport run(Supplier<Settings> load, Optional<Duration> invocationRemaining) {
        List<Line> lines = new ArrayList<>();
        Instant start = clock.instant();
        Settings settings;
        Optional<Region> region;
        try {
            Settings configured = load.get();
            Collector.checkTimes(configured, start, invocationRemaining);
            region = configured.outputDir().isEmpty()
                    ? Optional.of(Preflight.s3Region(configured, Collector::config)) : Optional.empty();
            settings = AwsSecrets.resolve(configured);
        } catch (SettingsException e) {
            lines.add(new Line(Mark.FAIL, "settings", e.getMessage()));
            return CheckReport.of(lines);
        }
        lines.add(new Line(Mark.PASS, "settings", "valid (RESOURCES " + String.join(",", settings.resources()) + ", "
                + settings.credentials().describe() + ", writing to " + settings.destination() + ")"));
        if (settings.outputDir().isEmpty()) lines.add(stateKeyLine(settings));
        Deadline deadline = Deadline.after(start, invocationRemaining.map(r -> r.minus(settings.lambdaTimeMargin())).orElse(BUDGET));
        zendesk(settings, region, deadline, lines);
        lines.addAll(new StorageCheck(settings, region.map(r -> collector.s3(settings, r))).run());
        settings.secOps().ifPresent(secOps -> lines.addAll(secOps(secOps)));
        return CheckReport.of(lines);
    }

    /**
     * Direct delivery: a Google access token obtained as a pass obtains it (the AWS identity signed, exchanged,
     * impersonated when configured). {@code logs:import} itself is not tried: it has no dry run, and a test
     * record would reach the SIEM.
     */
    private List<Line> secOps(SecOps secOps) {
        Line credentials;
        try {
            googleTokens.apply(secOps).token();
            credentials = new Line(Mark.PASS, "SecOps credentials", "a Google access token obtained through " + secOps.configSource()
                    + " (workload identity federation)");
        } catch (RuntimeException e) {
            credentials = new Line(Mark.FAIL, "SecOps credentials", Main.oneLine(e));
        }
        return List.of(credentials, new Line(Mark.NOT_VERIFIED, "SecOps logs:import", "not tried, since an import cannot be"
                + " undone: the first pass's delivery names a missing chronicle.logs.import permission on " + secOps.instance()
                + " or an instance that is not at " + secOps.endpoint()));
    }

    private static Line stateKeyLine(Settings settings) {
        if (settings.stateKeyInsideDataPrefix()) {
            return new Line(Mark.FAIL, "STATE_KEY", "STATE_KEY (" + settings.stateKey() + ") lies inside S3_PREFIX ("
                    + settings.prefix() + "): a SecOps feed on that prefix would ingest the checkpoint as logs; move STATE_KEY"
                    + " outside it, such as " + Settings.DEFAULT_STATE_KEY);
        }
        return new Line(Mark.PASS, "STATE_KEY", "STATE_KEY (" + settings.stateKey() + ") lies outside S3_PREFIX ("
                + settings.prefix() + ")");
    }

    /** Zendesk reachable, the credentials accepted, each stream allowed, and the clock: one request per stream. */
    private void zendesk(Settings settings, Optional<Region> region, Deadline deadline, List<Line> lines) {
        RetryingRequests requests = new RetryingRequests(settings.httpRetries(), sleeper, new RequestStats(), clock, deadline,
                new RatePacer(settings.rateLimitReservePercent()));
        String base = "Zendesk (" + Settings.shown(settings.zendeskBaseUrl().toString()) + ")";
        String credentials = "credentials";
        Authorizer authorizer;
        try {
            Optional<Authorizer> usable = authorizer(settings, region, requests);
            if (usable.isEmpty()) {
                String why = "AUTH_MODE=oauth_refresh_token and no stored access token is valid now: a check does not refresh,"
                        + " because a refresh rotates the refresh token; the first run refreshes and stores it";
                lines.add(new Line(Mark.NOT_VERIFIED, credentials, why));
                settings.resources().forEach(s -> lines.add(new Line(Mark.NOT_VERIFIED, s, "needs an access token (see credentials)")));
                lines.add(new Line(Mark.NOT_VERIFIED, "clock", "needs an answer from Zendesk (see credentials)"));
                return;
            }
            authorizer = usable.get();
            authorizer.header(); // an OAuth client_credentials token is obtained here: no rotation involved
        } catch (ZendeskException e) {
            lines.add(e.status() == 0 ? new Line(Mark.FAIL, base, Main.oneLine(e)) : new Line(Mark.PASS, base, "answers"));
            if (e.status() != 0) lines.add(new Line(Mark.FAIL, credentials, Main.oneLine(e)));
            return;
        } catch (RuntimeException e) { // the stored OAuth state cannot be read
            lines.add(new Line(Mark.FAIL, credentials, Main.oneLine(e)));
            return;
        }
        ZendeskClient client = new ZendeskClient(collector.restClient(settings, io.zendeskcrm.collector.zendesk.ZendeskApi.class),
                requests, authorizer, settings.credentials().describe());
        ZendeskTime time = client.zendeskTime();
        boolean first = true;
        for (String stream : settings.resources()) {
            Optional<RuntimeException> failure = probe(stream, client, time);
            if (first) {
                first = false;
                int status = failure.filter(ZendeskException.class::isInstance).map(e -> ((ZendeskException) e).status()).orElse(-1);
                boolean elsewhere = status == 0 || status == 404 || (status >= 300 && status < 400);
                lines.add(elsewhere ? new Line(Mark.FAIL, base, Main.oneLine(failure.get())) : new Line(Mark.PASS, base, "answers"));
                if (elsewhere) return;
                if (status == 401) {
                    lines.add(new Line(Mark.FAIL, credentials, Main.oneLine(failure.get())));
                    return;
                }
                lines.add(new Line(Mark.PASS, credentials, "accepted (" + settings.credentials().describe() + ")"));
            }
            lines.add(failure.map(e -> new Line(Mark.FAIL, stream, Main.oneLine(e)))
                    .orElseGet(() -> new Line(Mark.PASS, stream, "allowed (one request of one record answered)")));
        }
        lines.add(clockLine(time));
    }

    private Optional<RuntimeException> probe(String stream, ZendeskClient client, ZendeskTime time) {
        try {
            StreamProbe.probe(stream, client, time.now(clock.instant()));
            return Optional.empty();
        } catch (ZendeskException | OutOfTimeException e) {
            return Optional.of(e);
        }
    }

    /**
     * How requests are signed. With a refresh token only a stored access token still valid is used: a
     * check never refreshes, since that rotates the refresh token. Empty when there is none.
     */
    private Optional<Authorizer> authorizer(Settings settings, Optional<Region> region, RetryingRequests requests) {
        Credentials credentials = settings.credentials();
        if (credentials.mode() != Credentials.AuthMode.OAUTH_REFRESH_TOKEN) {
            return Optional.of(collector.authorizer(settings, region, requests));
        }
        RefreshTokenVault vault = new RefreshTokenVault(collector.oauthStateStore(settings, region),
                credentials.secret(Credentials.REFRESH_TOKEN));
        return vault.storedAccessToken(clock.instant()).map(token -> Authorizer.fixed("Bearer " + token));
    }

    /** The local clock against the {@code Date} of Zendesk's answers. */
    static Line clockLine(ZendeskTime time) {
        Optional<Instant> zendesk = time.shown();
        if (zendesk.isEmpty()) {
            return new Line(Mark.NOT_VERIFIED, "clock", "Zendesk's answers carried no Date header to compare with");
        }
        Optional<Duration> off = time.localClockOff();
        if (off.isEmpty()) return new Line(Mark.PASS, "clock", "within a few seconds of Zendesk's (" + zendesk.get() + ")");
        Instant local = zendesk.get().minus(off.get());
        return new Line(Mark.FAIL, "clock", "this machine's clock reads " + local + " when Zendesk's reads " + zendesk.get()
                + ": " + off.get().abs().toSeconds() + " s " + (off.get().isNegative() ? "ahead" : "behind")
                + "; set it right (NTP): START_TIME, the lookback and the progress are reckoned by it");
    }
}
