package dev.sofy.conformance;

import dev.sofy.server.App;
import dev.sofy.server.account.ApiKey;
import dev.sofy.server.config.Config;
import dev.sofy.server.delivery.smpp.SmscSimulator;
import dev.sofy.testing.KeyPair;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The server under test: the one named by {@code SOFY_BASE_URL}, {@code SOFY_API_KEY_ID} and
 * {@code SOFY_API_KEY_SECRET} (and optionally {@code SOFY_OTHER_API_KEY_ID} and
 * {@code SOFY_OTHER_API_KEY_SECRET}, a key of another account), or else a server started in this
 * JVM on 127.0.0.1 with a fresh H2 file database and {@link #SUITE_SETTINGS}, closed with this target.
 */
final class Target implements AutoCloseable {
    /**
     * The settings the lifecycle and webhook tests rely on, on top of the defaults. A remote server
     * started with them (and the built-in SMSC simulator) can say so with
     * {@code SOFY_SUITE_SETTINGS=true}; otherwise the tests that need them are skipped.
     * <ul>
     *   <li>{@code SOFY_WEBHOOKS_ALLOW_PRIVATE}: the tests' webhook receivers listen on 127.0.0.1,
     *       which the server refuses by default (SSRF); link-local and metadata addresses stay refused.
     *   <li>{@code SOFY_WEBHOOK_RETRY_DELAYS}: a failed event is retried within a second or two instead
     *       of the default three days' schedule (5s, 30s, 2m, ...), so that retries can be watched.
     *   <li>{@code SOFY_WEBHOOK_TIMEOUT}: an attempt that gets no answer fails after 1 s instead of 10 s.
     *   <li>{@code SOFY_SMS_VALIDITY_SECONDS}: 4 s instead of 48 h, so that an SMS that never gets a
     *       receipt, or that the carrier keeps throttling, ends {@code errored} within seconds. An
     *       ordinary SMS is delivered in milliseconds, well within it.
     *   <li>{@code SOFY_SIMULATOR_RECEIPT_DELAY_MS}: the simulator's receipts come after 50 ms
     *       instead of 100 ms; long enough for {@code sent} to be seen before {@code delivered}.
     * </ul>
     */
    static final Map<String, String> SUITE_SETTINGS = Map.of(
            "SOFY_WEBHOOKS_ALLOW_PRIVATE", "true",
            "SOFY_WEBHOOK_RETRY_DELAYS", "100ms,100ms,200ms,200ms,300ms,300ms,500ms",
            "SOFY_WEBHOOK_TIMEOUT", "1s",
            "SOFY_SMS_VALIDITY_SECONDS", "4",
            "SOFY_SIMULATOR_RECEIPT_DELAY_MS", "50");

    private final URI baseUri;
    private final KeyPair key;
    private final Optional<KeyPair> otherAccountKey;
    private final App inProcessServer;
    private final Path inProcessDirectory;

    private final boolean suiteSettings;
    private final Optional<URI> managementUri;

    private Target(URI baseUri, KeyPair key, Optional<KeyPair> otherAccountKey, App inProcessServer,
                   Path inProcessDirectory, boolean suiteSettings, Optional<URI> managementUri) {
        this.baseUri = baseUri;
        this.key = key;
        this.otherAccountKey = otherAccountKey;
        this.inProcessServer = inProcessServer;
        this.inProcessDirectory = inProcessDirectory;
        this.suiteSettings = suiteSettings;
        this.managementUri = managementUri;
    }

    static Target fromEnvironment(Map<String, String> env) {
        String baseUrl = env.get("SOFY_BASE_URL");
        if (baseUrl == null || baseUrl.isBlank()) {
            return startInProcess();
        }
        KeyPair key = keyPair(env, "SOFY_API_KEY_ID", "SOFY_API_KEY_SECRET")
                .orElseThrow(() -> new IllegalStateException(
                        "SOFY_BASE_URL is set, so SOFY_API_KEY_ID and SOFY_API_KEY_SECRET must be set too"));
        return new Target(withoutTrailingSlash(baseUrl.strip()), key,
                keyPair(env, "SOFY_OTHER_API_KEY_ID", "SOFY_OTHER_API_KEY_SECRET"), null, null,
                "true".equalsIgnoreCase(env.getOrDefault("SOFY_SUITE_SETTINGS", "").strip()),
                Optional.ofNullable(env.get("SOFY_MANAGEMENT_URL")).filter(url -> !url.isBlank())
                        .map(url -> withoutTrailingSlash(url.strip())));
    }

    private static Target startInProcess() {
        Path directory;
        try {
            directory = Files.createTempDirectory("sofy-conformance-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        String secret = randomSecret();
        Map<String, String> settings = new HashMap<>(SUITE_SETTINGS);
        settings.putAll(Map.of(
                "SOFY_HOST", "127.0.0.1",
                "SOFY_PORT", "0",
                "SOFY_MANAGEMENT_PORT", "0",
                "SOFY_DB_URL", "jdbc:h2:file:" + directory.resolve("sofy").toAbsolutePath(),
                "SOFY_BOOTSTRAP_KEY_ID", "conformance",
                "SOFY_BOOTSTRAP_KEY_SECRET", secret,
                // The suite's own pace is not what the limits are about; RateLimitTest uses a limited key.
                "SOFY_DEFAULT_SEND_RATE", "100000",
                "SOFY_DEFAULT_READ_RATE", "100000"));
        App app = App.start(Config.from(settings));
        ApiKey other = app.keys().create("other");
        return new Target(app.baseUri(), new KeyPair("conformance", secret),
                Optional.of(new KeyPair(other.id(), other.secret())), app, directory, true,
                Optional.of(app.managementUri()));
    }

    private static Optional<KeyPair> keyPair(Map<String, String> env, String idVariable, String secretVariable) {
        String id = env.get(idVariable);
        String secret = env.get(secretVariable);
        if (id == null || id.isBlank() || secret == null || secret.isBlank()) {
            return Optional.empty();
        }
        return Optional.of(new KeyPair(id, secret));
    }

    private static URI withoutTrailingSlash(String url) {
        return URI.create(url.endsWith("/") ? url.substring(0, url.length() - 1) : url);
    }

    private static String randomSecret() {
        byte[] bytes = new byte[32];
        new SecureRandom().nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    /** The base URL, without a trailing slash; the spec's paths are appended to it. */
    URI baseUri() {
        return baseUri;
    }

    KeyPair key() {
        return key;
    }

    /** The management listener: the in-process server's, or {@code SOFY_MANAGEMENT_URL}'s when set. */
    Optional<URI> managementUri() {
        return managementUri;
    }

    /**
     * A new key of a new account limited to {@code perSecond} requests of each kind, when the
     * server runs in this JVM (a remote server's keys are made by its operator).
     */
    Optional<KeyPair> newLimitedKey(int perSecond) {
        return newLimitedKey(perSecond, perSecond);
    }

    /**
     * A new key of a new account limited to {@code sendPerSecond} SMS sent a second, with the
     * server's default limit for every other request, when the server runs in this JVM.
     */
    Optional<KeyPair> newSendLimitedKey(int sendPerSecond) {
        return newLimitedKey(sendPerSecond, null);
    }

    private Optional<KeyPair> newLimitedKey(int sendPerSecond, Integer readPerSecond) {
        if (inProcessServer == null) {
            return Optional.empty();
        }
        ApiKey key = inProcessServer.keys().create("limited-" + randomSecret().substring(0, 8), sendPerSecond,
                readPerSecond);
        return Optional.of(new KeyPair(key.id(), key.secret()));
    }

    /** Whether the server runs in this JVM, with the defaults but for {@link #SUITE_SETTINGS}. */
    boolean inProcess() {
        return inProcessServer != null;
    }

    /** Whether the server runs with {@link #SUITE_SETTINGS}: in-process, or a remote server that says so. */
    boolean hasSuiteSettings() {
        return suiteSettings;
    }

    /** The built-in SMSC simulator of the in-process server; a remote server's is out of reach. */
    Optional<SmscSimulator> simulator() {
        return inProcessServer == null ? Optional.empty() : inProcessServer.simulator();
    }

    /** A key of a second account, when one is known. */
    Optional<KeyPair> otherAccountKey() {
        return otherAccountKey;
    }

    @Override
    public void close() throws IOException {
        if (inProcessServer == null) {
            return;
        }
        inProcessServer.close();
        try (Stream<Path> files = Files.walk(inProcessDirectory)) {
            for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(file);
            }
        }
    }

    @Override
    public String toString() {
        return "Target[" + baseUri + (inProcessServer == null ? "" : ", in-process") + "]";
    }
}
