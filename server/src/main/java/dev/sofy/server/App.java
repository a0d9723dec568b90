package dev.sofy.server;

import dev.sofy.server.account.ApiKey;
import dev.sofy.server.account.KeyService;
import dev.sofy.server.config.Config;
import dev.sofy.server.http.HttpApi;
import dev.sofy.server.sms.SmsService;
import dev.sofy.server.storage.Database;
import dev.sofy.server.storage.JdbiKeyStore;
import dev.sofy.server.storage.JdbiSmsStore;
import io.javalin.Javalin;
import java.net.URI;
import java.time.Clock;
import java.util.Optional;

/** The whole server, wired from a {@link Config}: the same wiring for {@code main} and the tests. */
public final class App implements AutoCloseable {
    /** The account of the key created on a first start, and of the bootstrap key. */
    public static final String DEFAULT_ACCOUNT = "default";

    private final Config config;
    private final Database database;
    private final Javalin http;
    private final KeyService keys;
    private final ApiKey firstKey;

    private App(Config config, Database database, Javalin http, KeyService keys, ApiKey firstKey) {
        this.config = config;
        this.database = database;
        this.http = http;
        this.keys = keys;
        this.firstKey = firstKey;
    }

    /** Opens the database, makes sure a key exists, and starts listening. */
    public static App start(Config config) {
        Database database = Database.open(config);
        try {
            Clock clock = Clock.systemUTC();
            var keys = new KeyService(new JdbiKeyStore(database.jdbi()), clock);
            ApiKey firstKey = provisionKeys(config, keys);
            var sms = new SmsService(new JdbiSmsStore(database.jdbi()), clock);
            Javalin http = HttpApi.create(config, keys, sms).start();
            return new App(config, database, http, keys, firstKey);
        } catch (RuntimeException e) {
            database.close();
            throw e;
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

    @Override
    public void close() {
        http.stop();
        database.close();
    }
}
