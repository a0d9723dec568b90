package dev.sofy.server.config;

import dev.sofy.server.account.KeyService;
import dev.sofy.server.retention.Retention;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.time.DateTimeException;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

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
        Smpp smpp,
        Delivery delivery,
        Webhooks webhooks,
        Marketing marketing,
        Clients clients,
        Optional<String> publicUrl,
        Management management,
        LogFormat logFormat,
        Optional<CarrierPlan> carriers,
        Duration receiptQueryAfter,
        Duration retention) {

    public static final String DEFAULT_DB_URL = "jdbc:h2:file:./data/sofy";
    private static final int DEFAULT_SMPP_PORT = 2775;
    private static final int DEFAULT_SUBMIT_RATE = 5000;
    private static final int DEFAULT_WINDOW = 64;

    /** How log lines are written: readable text, or one JSON object a line for log collectors. */
    public enum LogFormat { TEXT, JSON }

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

    /**
     * How this node dispatches: whether it does at all (a node may only take SMS in, and leave
     * them to other nodes sharing its database), its id (unique among the nodes sharing a
     * database; a restarted node takes back what it held under the same id), how long the
     * carrier may try an SMS, and how long a claim (of an SMS or a webhook event) holds before
     * another node may take it over (a node that died leaves its claims behind).
     */
    public record Delivery(boolean dispatch, String nodeId, Duration smsValidity, Duration claimLease) {}

    /**
     * Webhook delivery: whether endpoints on loopback and private networks are allowed (never
     * link-local or cloud metadata), the delays between attempts, and how long an attempt may take.
     */
    public record Webhooks(boolean allowPrivate, List<Duration> retryDelays, Duration timeout) {
        public Webhooks {
            retryDelays = List.copyOf(retryDelays);
        }
    }

    /**
     * The rules for marketing SMS to French numbers: the short codes of the opt-out mention and
     * the sending window (days, hours in the recipient's zone, the mainland's zone).
     */
    public record Marketing(String mainlandShortCode, String overseasShortCode, Set<DayOfWeek> days,
                            LocalTime opens, LocalTime closes, ZoneId zone) {
        public Marketing {
            days = Set.copyOf(days);
        }
    }

    /**
     * What one client may take of the server: connections in all, the time to send a request's
     * headers, and, per client address, failed authentications and followed short links.
     */
    public record Clients(int maxConnections, Duration requestHeaderTimeout, AddressRate failedAuthentications,
                          AddressRate redirects) {}

    /** Requests per second from one client address, after a burst of {@code burst}. */
    public record AddressRate(int perSecond, int burst) {}

    /** The operators' listener (metrics, health), with no key: meant for a private network. */
    public record Management(String host, int port) {}

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
        if (!keySecret.isEmpty() && (keySecret.length() < KeyService.MIN_CHOSEN_SECRET_LENGTH
                || keySecret.length() > KeyService.MAX_SECRET_LENGTH)) {
            // The value itself is never shown: it is a secret.
            throw new IllegalArgumentException("SOFY_BOOTSTRAP_KEY_SECRET must have "
                    + KeyService.MIN_CHOSEN_SECRET_LENGTH + " to " + KeyService.MAX_SECRET_LENGTH
                    + " characters, not " + keySecret.length() + "; a random one such as the output of"
                    + " 'openssl rand -base64 32' will do");
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
                        settings.integer("SOFY_SMPP_PORT", DEFAULT_SMPP_PORT, 1, 65535),
                        settings.text("SOFY_SMPP_SYSTEM_ID", "sofy", 15),
                        settings.text("SOFY_SMPP_PASSWORD", "sofy", 8),
                        settings.integer("SOFY_SMPP_SUBMIT_RATE", DEFAULT_SUBMIT_RATE, 1, 1_000_000),
                        settings.integer("SOFY_SMPP_WINDOW", DEFAULT_WINDOW, 1, 1000),
                        Duration.ofMillis(settings.integer("SOFY_SIMULATOR_RECEIPT_DELAY_MS", 100, 0, 3_600_000))),
                new Delivery(
                        settings.bool("SOFY_DISPATCH", true),
                        settings.text("SOFY_NODE_ID", localHostName(), 64),
                        Duration.ofSeconds(settings.integer("SOFY_SMS_VALIDITY_SECONDS", 48 * 3600, 1, 7 * 24 * 3600)),
                        settings.duration("SOFY_CLAIM_LEASE", "5m", Duration.ofSeconds(5), Duration.ofHours(1))),
                new Webhooks(
                        settings.bool("SOFY_WEBHOOKS_ALLOW_PRIVATE", false),
                        settings.durations("SOFY_WEBHOOK_RETRY_DELAYS", DEFAULT_WEBHOOK_RETRY_DELAYS),
                        settings.duration("SOFY_WEBHOOK_TIMEOUT", "10s", Duration.ofMillis(100), Duration.ofMinutes(1))),
                new Marketing(
                        settings.shortCode("SOFY_OPT_OUT_SHORT_CODE_MAINLAND", "36229"),
                        settings.shortCode("SOFY_OPT_OUT_SHORT_CODE_OVERSEAS", "36789"),
                        settings.days("SOFY_MARKETING_DAYS", "MON-SAT"),
                        settings.time("SOFY_MARKETING_OPENS", "08:00"),
                        settings.time("SOFY_MARKETING_CLOSES", "20:00"),
                        settings.zone("SOFY_MARKETING_TIMEZONE", "Europe/Paris")),
                new Clients(
                        settings.integer("SOFY_MAX_CONNECTIONS", 1024, 1, 1_000_000),
                        settings.duration("SOFY_REQUEST_HEADER_TIMEOUT", "30s", Duration.ofMillis(100), Duration.ofMinutes(10)),
                        new AddressRate(
                                settings.integer("SOFY_AUTH_FAILURE_RATE", 20, 1, 1_000_000_000),
                                settings.integer("SOFY_AUTH_FAILURE_BURST", 40, 1, 1_000_000_000)),
                        new AddressRate(
                                settings.integer("SOFY_REDIRECT_RATE", 20, 1, 1_000_000_000),
                                settings.integer("SOFY_REDIRECT_BURST", 40, 1, 1_000_000_000))),
                Optional.of(settings.text("SOFY_PUBLIC_URL", "")).filter(url -> !url.isEmpty())
                        .map(url -> url.endsWith("/") ? url.substring(0, url.length() - 1) : url),
                new Management(
                        settings.text("SOFY_MANAGEMENT_HOST", "127.0.0.1"),
                        settings.integer("SOFY_MANAGEMENT_PORT", 8081, 0, 65535)),
                settings.logFormat("SOFY_LOG_FORMAT"),
                carrierPlan(settings),
                settings.duration("SOFY_RECEIPT_QUERY_AFTER", "10m", Duration.ofSeconds(1), Duration.ofDays(7)),
                // No 0 for "keep forever": 10 years is the most, so that no SMS is kept by mistake.
                Duration.ofDays(settings.integer("SOFY_RETENTION_DAYS", Retention.DEFAULT_DAYS, Retention.MIN_DAYS,
                        Retention.MAX_DAYS)));
    }

    /**
     * The carriers and routes of {@code SOFY_CARRIERS_FILE}, when set. A carrier that does not say
     * has the defaults of the single SMSC's settings (port 2775, 5000 submits/s, window 64) and one bind.
     */
    private static Optional<CarrierPlan> carrierPlan(Settings settings) {
        String file = settings.text("SOFY_CARRIERS_FILE", "");
        if (file.isEmpty()) {
            return Optional.empty();
        }
        if (!settings.text("SOFY_SMPP_HOST", "").isEmpty()) {
            // One of them would be ignored: say so rather than guess.
            throw new IllegalArgumentException("SOFY_CARRIERS_FILE and SOFY_SMPP_HOST cannot both be set: the carriers"
                    + " file declares every SMSC");
        }
        return Optional.of(CarriersFile.read("SOFY_CARRIERS_FILE", Path.of(file),
                new CarriersFile.Defaults(DEFAULT_SMPP_PORT, 1, DEFAULT_SUBMIT_RATE, DEFAULT_WINDOW)));
    }

    /** About three days of retries, after the Standard Webhooks guidance. */
    static final String DEFAULT_WEBHOOK_RETRY_DELAYS = "5s,30s,2m,5m,30m,1h,2h,4h,8h,12h,12h,12h,12h,12h";

    private static String localHostName() {
        try {
            String name = InetAddress.getLocalHost().getHostName();
            return name.length() <= 64 ? name : name.substring(0, 64);
        } catch (UnknownHostException e) {
            return "local";
        }
    }


    private static final Pattern DURATION = Pattern.compile("([0-9]{1,9})(ms|s|m|h)");

    private record Settings(Map<String, String> env) {
        String text(String name, String fallback) {
            String value = env.get(name);
            return value == null || value.isBlank() ? fallback : value.trim();
        }

        LogFormat logFormat(String name) {
            String value = text(name, "text");
            return switch (value.toLowerCase(Locale.ROOT)) {
                case "text" -> LogFormat.TEXT;
                case "json" -> LogFormat.JSON;
                default -> throw new IllegalArgumentException(name + " must be text or json, not '" + value + "'");
            };
        }

        /** SMPP 3.4 bounds its C-octet strings: 15 characters for a system id, 8 for a password. */
        String text(String name, String fallback, int maxLength) {
            String value = text(name, fallback);
            if (value.length() > maxLength) {
                throw new IllegalArgumentException(name + " must be at most " + maxLength + " characters long");
            }
            return value;
        }

        boolean bool(String name, boolean fallback) {
            String value = text(name, Boolean.toString(fallback)).toLowerCase(Locale.ROOT);
            if (!value.equals("true") && !value.equals("false")) {
                throw new IllegalArgumentException(name + " must be true or false, not '" + value + "'");
            }
            return Boolean.parseBoolean(value);
        }

        /** Durations such as {@code 5s,30s,2m,1h,500ms}. */
        List<Duration> durations(String name, String fallback) {
            String value = text(name, fallback);
            List<Duration> durations = new ArrayList<>();
            for (String item : value.split(",")) {
                Matcher matcher = DURATION.matcher(item.strip());
                if (!matcher.matches()) {
                    throw new IllegalArgumentException(name + " must list durations such as 5s,30s,2m,1h, not '" + value + "'");
                }
                long amount = Long.parseLong(matcher.group(1));
                durations.add(switch (matcher.group(2)) {
                    case "ms" -> Duration.ofMillis(amount);
                    case "s" -> Duration.ofSeconds(amount);
                    case "m" -> Duration.ofMinutes(amount);
                    default -> Duration.ofHours(amount);
                });
            }
            return durations;
        }

        /** One duration such as {@code 10s}, within bounds. */
        Duration duration(String name, String fallback, Duration min, Duration max) {
            List<Duration> durations = durations(name, fallback);
            Duration duration = durations.get(0);
            if (durations.size() != 1 || duration.compareTo(min) < 0 || duration.compareTo(max) > 0) {
                throw new IllegalArgumentException(name + " must be one duration from " + min.toMillis() + "ms to "
                        + max.toMillis() + "ms, such as 10s, not '" + text(name, fallback) + "'");
            }
            return duration;
        }

        String shortCode(String name, String fallback) {
            String value = text(name, fallback);
            if (!value.matches("[0-9]{5}")) {
                throw new IllegalArgumentException(name + " must be a short code of 5 digits, not '" + value + "'");
            }
            return value;
        }

        /** Days such as {@code MON-SAT} or {@code MON,TUE,WED}. */
        Set<DayOfWeek> days(String name, String fallback) {
            String value = text(name, fallback).toUpperCase(Locale.ROOT);
            try {
                Set<DayOfWeek> days = EnumSet.noneOf(DayOfWeek.class);
                for (String item : value.split(",")) {
                    String[] range = item.strip().split("-", 2);
                    DayOfWeek first = day(range[0]);
                    DayOfWeek last = range.length == 2 ? day(range[1]) : first;
                    for (DayOfWeek day = first; ; day = day.plus(1)) {
                        days.add(day);
                        if (day == last) {
                            break;
                        }
                    }
                }
                return days;
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(name + " must list days such as MON-SAT or MON,WED,FRI, not '" + value + "'");
            }
        }

        private static DayOfWeek day(String abbreviation) {
            return Arrays.stream(DayOfWeek.values())
                    .filter(day -> day.name().startsWith(abbreviation.strip()) && abbreviation.strip().length() >= 3)
                    .findFirst()
                    .orElseThrow(IllegalArgumentException::new);
        }

        LocalTime time(String name, String fallback) {
            String value = text(name, fallback);
            try {
                return LocalTime.parse(value);
            } catch (DateTimeParseException e) {
                throw new IllegalArgumentException(name + " must be a time such as 08:00, not '" + value + "'");
            }
        }

        ZoneId zone(String name, String fallback) {
            String value = text(name, fallback);
            try {
                return ZoneId.of(value);
            } catch (DateTimeException e) {
                throw new IllegalArgumentException(name + " must be a time zone such as Europe/Paris, not '" + value + "'");
            }
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
