package dev.sofy.server;

import dev.sofy.server.account.ApiKey;
import dev.sofy.server.account.KeyService;
import dev.sofy.server.config.Config;
import dev.sofy.server.http.HttpApi;
import dev.sofy.server.ratelimit.RateLimiter;
import dev.sofy.server.sms.SmsService;
import dev.sofy.server.storage.Database;
import dev.sofy.server.storage.JdbiKeyStore;
import dev.sofy.server.storage.JdbiSmsStore;
import dev.sofy.server.storage.JdbiWebhookStore;
import dev.sofy.server.webhooks.UrlGuard;
import dev.sofy.server.webhooks.WebhookService;
import io.javalin.Javalin;
import java.net.URI;
import java.time.Clock;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The whole server, wired from a {@link Config}: the same wiring for {@code main} and the tests. */
public final class App implements AutoCloseable {
    /** The account of the key created on a first start, and of the bootstrap key. */
    public static final String DEFAULT_ACCOUNT = "default";
    private static final Logger LOG = LoggerFactory.getLogger(App.class);

    private final Config config;
    private final Database database;
    private final JdbiSmsStore smsStore;
    private final ScheduledExecutorService housekeeping;
    private final Javalin http;
    private final KeyService keys;
    private final ApiKey firstKey;

    private App(Config config, Database database, JdbiSmsStore smsStore, ScheduledExecutorService housekeeping,
                Javalin http, KeyService keys, ApiKey firstKey) {
        this.config = config;
        this.database = database;
        this.smsStore = smsStore;
        this.housekeeping = housekeeping;
        this.http = http;
        this.keys = keys;
        this.firstKey = firstKey;
    }

    /** Opens the database, makes sure a key exists, and starts listening. */
    public static App start(Config config) {
        Database database = Database.open(config);
        JdbiSmsStore smsStore = null;
        try {
            Clock clock = Clock.systemUTC();
            var keys = keyService(config, database, clock);
            ApiKey firstKey = provisionKeys(config, keys);
            smsStore = new JdbiSmsStore(database.jdbi());
            var sms = new SmsService(smsStore, clock, java.time.Duration.ofHours(48), () -> { });
            ScheduledExecutorService housekeeping = Executors.newSingleThreadScheduledExecutor(runnable -> {
                var thread = new Thread(runnable, "sofy-housekeeping");
                thread.setDaemon(true);
                return thread;
            });
            housekeeping.scheduleWithFixedDelay(() -> forgetExpiredIdempotencyKeys(sms), 1, 60, TimeUnit.MINUTES);
            var webhooks = new WebhookService(new JdbiWebhookStore(database.jdbi()), new UrlGuard(false), clock);
            Javalin http = HttpApi.create(config, keys, new RateLimiter(), sms, webhooks).start();
            return new App(config, database, smsStore, housekeeping, http, keys, firstKey);
        } catch (RuntimeException e) {
            if (smsStore != null) {
                smsStore.close();
            }
            database.close();
            throw e;
        }
    }

    /** The key service of a database, with the limits of the config; the command line uses it too. */
    static KeyService keyService(Config config, Database database, Clock clock) {
        return new KeyService(new JdbiKeyStore(database.jdbi()), clock,
                config.defaultRateLimits().sendPerSecond(), config.defaultRateLimits().readPerSecond(),
                KeyService.DEFAULT_CACHE_TTL);
    }

    private static void forgetExpiredIdempotencyKeys(SmsService sms) {
        try {
            sms.forgetExpiredIdempotencyKeys();
        } catch (RuntimeException e) {
            LOG.warn("Could not forget expired idempotency keys; will try again", e);
        }
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
        String host = config.host().contains(":") ? "[" + config.host() + "]" : config.host();
        return URI.create("http://" + host + ":" + port());
    }

    public KeyService keys() {
        return keys;
    }

    /** The key created because the database had none, to be shown once. */
    public Optional<ApiKey> firstKey() {
        return Optional.ofNullable(firstKey);
    }

    /** Stops taking requests, commits what was accepted, and closes the database. */
    @Override
    public void close() {
        http.stop();
        housekeeping.shutdownNow();
        smsStore.close();
        database.close();
    }
}
