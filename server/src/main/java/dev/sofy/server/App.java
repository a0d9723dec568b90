package dev.sofy.server;

import com.github.benmanes.caffeine.cache.Ticker;
import dev.sofy.server.account.ApiKey;
import dev.sofy.server.account.Authenticator;
import dev.sofy.server.account.KeyService;
import dev.sofy.server.config.Config;
import dev.sofy.server.delivery.Dispatcher;
import dev.sofy.server.delivery.Handoff;
import dev.sofy.server.delivery.ReceiptQueries;
import dev.sofy.server.delivery.smpp.SmscSimulator;
import dev.sofy.server.health.HealthChecks;
import dev.sofy.server.http.HttpApi;
import dev.sofy.server.http.JettyMetrics;
import dev.sofy.server.http.ManagementApi;
import dev.sofy.server.http.wire.WebhookEvents;
import dev.sofy.server.inbound.InboundService;
import dev.sofy.server.links.LinkService;
import dev.sofy.server.links.LinkShortener;
import dev.sofy.server.links.ShortCodes;
import dev.sofy.server.load.CommitBacklog;
import dev.sofy.server.load.CpuLoad;
import dev.sofy.server.marketing.MarketingRules;
import dev.sofy.server.marketing.OptOutMention;
import dev.sofy.server.marketing.OptOutService;
import dev.sofy.server.marketing.SendingWindow;
import dev.sofy.server.metrics.PeriodicReading;
import dev.sofy.server.ratelimit.AddressLimiter;
import dev.sofy.server.ratelimit.FailedAuthentications;
import dev.sofy.server.ratelimit.RateLimiter;
import dev.sofy.server.retention.Retention;
import dev.sofy.server.sms.SmsService;
import dev.sofy.server.storage.CommitQueue;
import dev.sofy.server.storage.Database;
import dev.sofy.server.storage.PostgresRateLimitBuckets;
import dev.sofy.server.storage.H2Compaction;
import dev.sofy.server.storage.JdbiDatabaseProbes;
import dev.sofy.server.storage.JdbiInboundStore;
import dev.sofy.server.storage.JdbiKeyStore;
import dev.sofy.server.storage.JdbiLifecycleStore;
import dev.sofy.server.storage.JdbiLinkStore;
import dev.sofy.server.storage.JdbiOptOutStore;
import dev.sofy.server.storage.JdbiRetentionStore;
import dev.sofy.server.storage.JdbiSmsStore;
import dev.sofy.server.storage.JdbiWebhookStore;
import dev.sofy.server.storage.StatusChangeCounters;
import dev.sofy.server.threads.DaemonThreads;
import dev.sofy.server.webhooks.UrlGuard;
import dev.sofy.server.webhooks.WebhookSender;
import dev.sofy.server.webhooks.WebhookService;
import io.javalin.Javalin;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.net.URI;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The whole server, wired from a {@link Config}: the same wiring for {@code main} and the tests. */
public final class App implements AutoCloseable {
    /** The account of the key created on a first start, and of the bootstrap key. */
    public static final String DEFAULT_ACCOUNT = "default";
    /** Short-link codes: 10 base62 characters, about 59 bits, so that links cannot be enumerated. */
    private static final int SHORT_CODE_LENGTH = 10;
    /** The share of the machine's CPU use from which it has nothing to spare. */
    private static final double CPU_SATURATED_FROM = 0.9;
    /** SMS waiting for their commit from which there is a backlog, if it lasts. */
    private static final int BACKLOG_FROM = 16;
    /** How often failed authentications are logged, one line per client address. */
    private static final Duration FAILED_AUTHENTICATIONS_REPORT = Duration.ofSeconds(60);
    /**
     * How old the backlogs the metrics show may be. They are counted in the database, not in
     * memory, to be right across restarts and nodes; at most this often, and only when scraped.
     */
    private static final Duration BACKLOG_READING_MAX_AGE = Duration.ofSeconds(5);
    private static final Logger LOG = LoggerFactory.getLogger(App.class);

    private final Config config;
    private final Javalin http;
    private final Javalin management;
    private final KeyService keys;
    private final ApiKey firstKey;
    /** How long the carriers have, all together, to bind before the API listens. */
    private static final Duration CARRIERS_BIND_WAIT = Duration.ofSeconds(3);
    private final Dispatcher dispatcher;
    private final Carriers carriers;
    private final PrometheusMeterRegistry metrics;
    /** What to close, last opened first. */
    private final Deque<AutoCloseable> closing;

    private App(Config config, Javalin http, Javalin management, KeyService keys, ApiKey firstKey,
                Dispatcher dispatcher, Carriers carriers, PrometheusMeterRegistry metrics, Deque<AutoCloseable> closing) {
        this.metrics = metrics;
        this.config = config;
        this.http = http;
        this.management = management;
        this.keys = keys;
        this.firstKey = firstKey;
        this.dispatcher = dispatcher;
        this.carriers = carriers;
        this.closing = closing;
    }

    /** Opens the database, makes sure a key exists, binds to the carrier, and starts listening. */
    public static App start(Config config) {
        Deque<AutoCloseable> closing = new ArrayDeque<>();
        try {
            // The one registry: what the management listener's /metrics shows.
            PrometheusMeterRegistry metrics = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
            closing.push(metrics::close);
            bindStandardMeters(metrics, closing);
            Database database = opened(closing, Database.open(config, metrics));
            Clock clock = Clock.systemUTC();
            var keys = keyService(config, database, clock);
            ApiKey firstKey = provisionKeys(config, keys);

            String nodeId = config.delivery().nodeId();
            MarketingRules marketing = marketingRules(config.marketing());
            var optOuts = new OptOutService(new JdbiOptOutStore(database.jdbi()), clock);
            var inbound = new InboundService(new JdbiInboundStore(database.jdbi()));
            CommitQueue writes = opened(closing, new CommitQueue(database.jdbi(), clock, metrics));
            Carriers carriers = null;
            Dispatcher dispatcher = null;
            ReceiptQueries receiptQueries = null;
            if (config.delivery().dispatch()) {
                var lifecycle = new JdbiLifecycleStore(database.jdbi(), writes, new StatusChangeCounters(metrics));
                carriers = opened(closing, Carriers.fromConfig(config, metrics));
                dispatcher = opened(closing, new Dispatcher(lifecycle, carriers.connectors(), carriers.routing(),
                        marketing, reply -> {
                            // Both committed before the carrier's deliver_sm is acknowledged; a
                            // redelivery finds the inbound SMS there, and the number on the lists.
                            inbound.receive(reply.from(), reply.to(), reply.text(), reply.receivedAt());
                            optOuts.onReply(reply.from(), reply.text());
                        }, clock, Dispatcher.Settings.defaults(nodeId, config.delivery().claimLease())));
                receiptQueries = opened(closing, new ReceiptQueries(lifecycle, carriers.connectors(),
                        config.receiptQueryAfter(), clock));
            }

            // The public URL is known once the server listens when the port is chosen by the system.
            var publicUrl = new AtomicReference<String>(config.publicUrl().orElse(null));
            var codes = new ShortCodes(SHORT_CODE_LENGTH, new SecureRandom());
            var shortener = new AtomicReference<LinkShortener>();
            // New SMS due at once go to the dispatcher as they commit, rather than through a claim.
            var smsStore = new JdbiSmsStore(database.jdbi(), writes, new StatusChangeCounters(metrics),
                    dispatcher == null ? Handoff.NONE : dispatcher);
            var sms = new SmsService(smsStore, clock, config.delivery().smsValidity(),
                    text -> shortener.updateAndGet(built -> built != null ? built : new LinkShortener(publicUrl.get(), codes))
                            .shorten(text),
                    marketing, metrics);

            var guard = new UrlGuard(config.webhooks().allowPrivate());
            var webhookStore = new JdbiWebhookStore(database.jdbi(), writes);
            var webhooks = new WebhookService(webhookStore, guard, clock);
            // Webhook delivery can wait: it yields while SMS come in and take all the server has, that
            // is while they queue for the writer or the CPUs are saturated. At saturation the queue is
            // the steadier sign: the writer can be the bottleneck with CPU to spare.
            CpuLoad cpu = CpuLoad.ofMachine(CPU_SATURATED_FROM, Duration.ofMillis(250));
            var backlog = new CommitBacklog(writes::newSmsAwaitingCommit, BACKLOG_FROM, Duration.ofMillis(100),
                    System::nanoTime);
            var sender = new WebhookSender(webhookStore, guard, clock, new WebhookEvents(publicUrl::get),
                    WebhookSender.Settings.defaults(nodeId, config.webhooks().retryDelays(), config.webhooks().timeout(),
                            config.delivery().claimLease()),
                    () -> sms.takingSms() && (backlog.backlogged() || cpu.saturated()), metrics);
            Config.AddressRate redirects = config.clients().redirects();
            var links = new LinkService(new JdbiLinkStore(database.jdbi(), writes), clock,
                    new AddressLimiter(redirects.perSecond(), redirects.burst(), RateLimiter.refusals(metrics, "redirect")),
                    Ticker.systemTicker());
            measureBacklogs(metrics, smsStore, webhookStore, clock, closing);

            ScheduledExecutorService housekeeping =
                    Executors.newSingleThreadScheduledExecutor(DaemonThreads.named("sofy-housekeeping"));
            closing.push(() -> {
                // A task in progress finishes before the database closes. Not interrupted: an interrupt
                // during a read can close H2's file channel under the writes still to come.
                housekeeping.shutdown();
                if (!housekeeping.awaitTermination(5, TimeUnit.SECONDS)) {
                    LOG.warn("A housekeeping task was still running after 5 s; closing the database anyway");
                }
            });
            housekeeping.scheduleWithFixedDelay(
                    retried("forget expired idempotency keys", sms::forgetExpiredIdempotencyKeys), 1, 60, TimeUnit.MINUTES);
            housekeeping.scheduleWithFixedDelay(
                    retried("forget finished webhook events", webhooks::forgetFinishedEvents), 2, 60, TimeUnit.MINUTES);
            var failedAuthentications = new FailedAuthentications(config.clients().failedAuthentications().perSecond(),
                    config.clients().failedAuthentications().burst(), clock, metrics);
            // Behind an hourly delete a report may come late; its lines say how long it covers.
            housekeeping.scheduleWithFixedDelay(retried("log failed authentications", failedAuthentications::logAndReset),
                    FAILED_AUTHENTICATIONS_REPORT.toSeconds(), FAILED_AUTHENTICATIONS_REPORT.toSeconds(), TimeUnit.SECONDS);
            closing.push(failedAuthentications::logAndReset);
            // A thread of its own: the hourly deletes above can take minutes, and the syncs must not wait.
            H2Compaction.of(database.dataSource()).ifPresent(compaction -> opened(closing, compaction.start()));
            // A thread of its own too: a first run over years of SMS takes long, in small transactions.
            opened(closing, new Retention(new JdbiRetentionStore(database.jdbi()), webhookStore, clock,
                    config.retention(), Retention.Settings.defaults(), backlog::backlogged).start());

            if (dispatcher != null) {
                long bindDeadline = System.nanoTime() + CARRIERS_BIND_WAIT.toNanos();
                dispatcher.start();
                receiptQueries.start();
                awaitBound(carriers, Duration.ofNanos(Math.max(0, bindDeadline - System.nanoTime())));
            }
            opened(closing, sender).start();

            // Stops after the API, so that readiness says "stopping" while the API drains.
            var stopping = new AtomicBoolean();
            ExecutorService probes = Executors.newCachedThreadPool(DaemonThreads.numbered("sofy-health"));
            closing.push(probes::shutdownNow);
            var health = new HealthChecks(new JdbiDatabaseProbes(database.jdbi()), writes::writing, stopping::get,
                    carriers == null ? List.of() : carriers.links(), probes);
            Javalin management = ManagementApi.create(config.management().host(), config.management().port(),
                    metrics::scrape, health, nodeId).start();
            closing.push(management::stop);
            JettyMetrics.bind(management, "management", metrics);

            Javalin http = HttpApi.create(config, new HttpApi.Services(new Authenticator(keys, failedAuthentications),
                    rateLimiter(database, metrics), sms, webhooks, optOuts, links, inbound, publicUrl::get, metrics)).start();
            closing.push(http::stop);
            closing.push(() -> stopping.set(true));
            JettyMetrics.bind(http, "api", metrics);
            publicUrl.compareAndSet(null, baseUri(config.host(), http.port()).toString());
            return new App(config, http, management, keys, firstKey, dispatcher, carriers, metrics, closing);
        } catch (RuntimeException e) {
            closeAll(closing);
            throw e;
        }
    }

    /** With PostgreSQL, where several nodes may share the database, a key's limits are kept there. */
    private static RateLimiter rateLimiter(Database database, PrometheusMeterRegistry metrics) {
        return PostgresRateLimitBuckets.supports(database)
                ? new RateLimiter(metrics, new PostgresRateLimitBuckets(database.dataSource()))
                : new RateLimiter(metrics);
    }

    /** The API listens once every carrier is bound, or after a few seconds: the first SMS then go by preference. */
    private static void awaitBound(Carriers carriers, Duration timeout) {
        try {
            carriers.awaitBound(timeout);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static <T extends AutoCloseable> T opened(Deque<AutoCloseable> closing, T resource) {
        closing.push(resource);
        return resource;
    }

    /** Micrometer's standard binders: JVM memory, GC, threads, class loading, CPU, uptime. */
    private static void bindStandardMeters(MeterRegistry metrics, Deque<AutoCloseable> closing) {
        new JvmMemoryMetrics().bindTo(metrics);
        opened(closing, new JvmGcMetrics()).bindTo(metrics);
        new JvmThreadMetrics().bindTo(metrics);
        new ClassLoaderMetrics().bindTo(metrics);
        new ProcessorMetrics().bindTo(metrics);
        new UptimeMetrics().bindTo(metrics);
    }

    /**
     * The backlogs as gauges: {@code sofy_sms_backlog} by status, the webhook outbox and the age of
     * its oldest due event, each read from the database on a thread of their own, at most every
     * {@link #BACKLOG_READING_MAX_AGE}, so that a scrape never waits on the database.
     */
    private static void measureBacklogs(MeterRegistry metrics, JdbiSmsStore sms, JdbiWebhookStore webhooks, Clock clock,
                                        Deque<AutoCloseable> closing) {
        ExecutorService readings = Executors.newSingleThreadExecutor(DaemonThreads.named("sofy-metrics-readings"));
        closing.push(readings::shutdownNow);
        var smsBacklog = new PeriodicReading<>("the SMS backlog", BACKLOG_READING_MAX_AGE, sms::backlog,
                new JdbiSmsStore.Backlog(0, 0), readings, System::nanoTime);
        Gauge.builder("sofy.sms.backlog", smsBacklog, reading -> reading.get().pending())
                .description("SMS waiting: pending for the carrier, sent for their receipts (read every few seconds)")
                .tag("status", "pending")
                .strongReference(true)
                .register(metrics);
        Gauge.builder("sofy.sms.backlog", smsBacklog, reading -> reading.get().sent())
                .description("SMS waiting: pending for the carrier, sent for their receipts (read every few seconds)")
                .tag("status", "sent")
                .strongReference(true)
                .register(metrics);
        var outbox = new PeriodicReading<>("the webhook outbox", BACKLOG_READING_MAX_AGE,
                () -> webhooks.outbox(clock.instant()), new JdbiWebhookStore.Outbox(0, null), readings, System::nanoTime);
        Gauge.builder("sofy.webhook.outbox", outbox, reading -> reading.get().owed())
                .description("Webhook events not yet delivered nor given up (read every few seconds)")
                .strongReference(true)
                .register(metrics);
        Gauge.builder("sofy.webhook.outbox.oldest.due.age", outbox, reading -> {
                    Instant since = reading.get().oldestDueSince();
                    return since == null ? 0 : Math.max(0, Duration.between(since, clock.instant()).toMillis() / 1000.0);
                })
                .description("How long the oldest webhook event due has waited for its attempt; 0 when none waits")
                .baseUnit("seconds")
                .strongReference(true)
                .register(metrics);
    }

    /** The key service of a database, with the limits of the config; the command line uses it too. */
    static KeyService keyService(Config config, Database database, Clock clock) {
        return new KeyService(new JdbiKeyStore(database.jdbi()), clock,
                config.defaultRateLimits().sendPerSecond(), config.defaultRateLimits().readPerSecond(),
                KeyService.DEFAULT_CACHE_TTL);
    }

    private static MarketingRules marketingRules(Config.Marketing marketing) {
        return new MarketingRules(
                new OptOutMention(marketing.mainlandShortCode(), marketing.overseasShortCode()),
                SendingWindow.defaults()
                        .withDays(marketing.days())
                        .withHours(marketing.opens(), marketing.closes())
                        .withZone(marketing.zone()));
    }

    /** A scheduled task stops at its first exception: this one logs it and runs again next time. */
    private static Runnable retried(String what, Runnable task) {
        return () -> {
            try {
                task.run();
            } catch (RuntimeException e) {
                LOG.warn("Could not {}; will try again", what, e);
            }
        };
    }

    /** The bootstrap key if one is configured; otherwise a new key when the database has none. */
    private static ApiKey provisionKeys(Config config, KeyService keys) {
        if (config.bootstrapKey().isPresent()) {
            var bootstrap = config.bootstrapKey().get();
            keys.ensure(DEFAULT_ACCOUNT, bootstrap.id(), bootstrap.secret());
            return null;
        }
        return keys.hasKeys() ? null : keys.create(DEFAULT_ACCOUNT);
    }

    public int port() {
        return http.port();
    }

    public URI baseUri() {
        return baseUri(config.host(), port());
    }

    private static URI baseUri(String host, int port) {
        String shown = host.equals("0.0.0.0") ? "localhost" : host.contains(":") ? "[" + host + "]" : host;
        return URI.create("http://" + shown + ":" + port);
    }

    /** Where the management listener (metrics, health) listens. */
    public URI managementUri() {
        return baseUri(config.management().host(), management.port());
    }

    public KeyService keys() {
        return keys;
    }

    /** The key created because the database had none, to be shown once. */
    public Optional<ApiKey> firstKey() {
        return Optional.ofNullable(firstKey);
    }

    /** The built-in SMSC, when this node dispatches and no SMSC is configured: tests and demos play handsets with it. */
    public Optional<SmscSimulator> simulator() {
        return carriers == null ? Optional.empty() : carriers.simulator();
    }

    /** The meters of this server, in Prometheus's text format with {@link PrometheusMeterRegistry#scrape()}. */
    public PrometheusMeterRegistry metrics() {
        return metrics;
    }

    /** The dispatcher, when this node dispatches. */
    public Optional<Dispatcher> dispatcher() {
        return Optional.ofNullable(dispatcher);
    }

    /** Stops taking requests, records what was submitted, and closes the database. */
    @Override
    public synchronized void close() {
        closeAll(closing);
    }

    private static void closeAll(Deque<AutoCloseable> closing) {
        while (!closing.isEmpty()) {
            try {
                closing.pop().close();
            } catch (Exception e) {
                LOG.warn("Could not close cleanly", e);
            }
        }
    }
}
