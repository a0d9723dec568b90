package dev.sofy.server.config;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/**
 * The server's settings, read once from {@code SOFY_*} environment variables. Every setting has
 * a default, so the server starts with no configuration at all.
 */
public record Config(
        String host,
        int port,
        String dbUrl,
        String dbUser,
        String dbPassword,
        int dbPoolSize,
        Optional<BootstrapKey> bootstrapKey,
        RateLimits defaultRateLimits,
        Smpp smpp) {

    public static final String DEFAULT_DB_URL = "jdbc:h2:file:./data/sofy";

    /** A key that must exist at start, for automation. */
    public record BootstrapKey(String id, String secret) {}

    /** Requests per second a key may make: sending SMS, and every other operation. */
    public record RateLimits(int sendPerSecond, int readPerSecond) {}

    /**
     * The SMSC to bind to, and how fast to submit. An empty host means the built-in SMSC simulator,
     * which then listens on a free loopback port and answers with receipts after
     * {@code simulatorReceiptDelay}.
     */
    public record Smpp(
            String host,
            int port,
            String systemId,
            String password,
            int submitRate,
            int window,
            Duration simulatorReceiptDelay) {

        public boolean usesSimulator() {
            return host.isEmpty();
        }
    }

    public static Config fromEnvironment() {
        return from(System.getenv());
    }

    /** Reads the settings from {@code env}; throws {@link IllegalArgumentException} naming a bad value. */
    public static Config from(Map<String, String> env) {
        var settings = new Settings(env);
        String keyId = settings.text("SOFY_BOOTSTRAP_KEY_ID", "");
        String keySecret = settings.text("SOFY_BOOTSTRAP_KEY_SECRET", "");
        if (keyId.isEmpty() != keySecret.isEmpty()) {
            throw new IllegalArgumentException(
                    "SOFY_BOOTSTRAP_KEY_ID and SOFY_BOOTSTRAP_KEY_SECRET must be set together");
        }
        return new Config(
                settings.text("SOFY_HOST", "127.0.0.1"),
                settings.integer("SOFY_PORT", 8080, 0, 65535),
                settings.text("SOFY_DB_URL", DEFAULT_DB_URL),
                settings.text("SOFY_DB_USER", "sa"),
                settings.text("SOFY_DB_PASSWORD", ""),
                settings.integer("SOFY_DB_POOL_SIZE", 8, 1, 200),
                keyId.isEmpty() ? Optional.empty() : Optional.of(new BootstrapKey(keyId, keySecret)),
                new RateLimits(
                        settings.integer("SOFY_DEFAULT_SEND_RATE", 100, 1, 1_000_000_000),
                        settings.integer("SOFY_DEFAULT_READ_RATE", 100, 1, 1_000_000_000)),
                new Smpp(
                        settings.text("SOFY_SMPP_HOST", ""),
                        settings.integer("SOFY_SMPP_PORT", 2775, 1, 65535),
                        settings.text("SOFY_SMPP_SYSTEM_ID", "sofy", 15),
                        settings.text("SOFY_SMPP_PASSWORD", "sofy", 8),
                        settings.integer("SOFY_SMPP_SUBMIT_RATE", 5000, 1, 1_000_000),
                        settings.integer("SOFY_SMPP_WINDOW", 64, 1, 1000),
                        Duration.ofMillis(settings.integer("SOFY_SIMULATOR_RECEIPT_DELAY_MS", 100, 0, 3_600_000))));
    }


    private record Settings(Map<String, String> env) {
        String text(String name, String fallback) {
            String value = env.get(name);
            return value == null || value.isBlank() ? fallback : value.trim();
        }

        /** SMPP 3.4 bounds its C-octet strings: 15 characters for a system id, 8 for a password. */
        String text(String name, String fallback, int maxLength) {
            String value = text(name, fallback);
            if (value.length() > maxLength) {
                throw new IllegalArgumentException(name + " must be at most " + maxLength + " characters long");
            }
            return value;
        }

        int integer(String name, int fallback, int min, int max) {
            String value = text(name, "");
            if (value.isEmpty()) {
                return fallback;
            }
            try {
                int parsed = Integer.parseInt(value);
                if (parsed < min || parsed > max) {
                    throw new NumberFormatException();
                }
                return parsed;
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(
                        name + " must be a whole number from " + min + " to " + max + ", not '" + value + "'");
            }
        }
    }
}
