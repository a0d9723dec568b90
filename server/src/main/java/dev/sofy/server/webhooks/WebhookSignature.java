package dev.sofy.server.webhooks;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Objects;
import java.util.regex.Pattern;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Standard Webhooks 1.0 symmetric signatures: {@code v1,} followed by the base64 of
 * HMAC-SHA256({@code key}, {@code "<id>.<timestamp>.<body>"}), where the key is the base64-decoded
 * part of a {@code whsec_} secret and the timestamp is in Unix seconds. The three values travel in
 * the {@code webhook-id}, {@code webhook-timestamp} and {@code webhook-signature} headers.
 */
public final class WebhookSignature {
    public static final String ID_HEADER = "webhook-id";
    public static final String TIMESTAMP_HEADER = "webhook-timestamp";
    public static final String SIGNATURE_HEADER = "webhook-signature";
    public static final String SECRET_PREFIX = "whsec_";
    /** How far a timestamp may be from the verifier's clock, either way, against replays. */
    public static final Duration TOLERANCE = Duration.ofMinutes(5);

    /** The spec asks for 24 to 64 random bytes; 32 match HMAC-SHA256's output. */
    private static final int SECRET_BYTES = 32;
    private static final int MIN_SECRET_BYTES = 24;
    private static final int MAX_SECRET_BYTES = 64;
    private static final String VERSION = "v1";
    private static final String ALGORITHM = "HmacSHA256";
    private static final Pattern TIMESTAMP = Pattern.compile("[0-9]{1,18}");
    private static final SecureRandom RANDOM = new SecureRandom();

    private WebhookSignature() {}

    /** What verifying a delivery found. */
    public enum Verification {
        VALID,
        /** A header is missing or malformed: no id, an id with a dot, a timestamp that is no number. */
        MALFORMED,
        /** The timestamp is more than {@link #TOLERANCE} away from now: perhaps a replay. */
        TIMESTAMP_OUT_OF_TOLERANCE,
        /** No {@code v1} signature of the header matches. */
        NO_MATCHING_SIGNATURE;

        public boolean isValid() {
            return this == VALID;
        }
    }

    /** A new secret: {@code whsec_} and the base64 of 32 bytes from a CSPRNG. */
    public static String newSecret() {
        byte[] key = new byte[SECRET_BYTES];
        RANDOM.nextBytes(key);
        return SECRET_PREFIX + Base64.getEncoder().encodeToString(key);
    }

    /**
     * The {@code webhook-signature} value for a delivery, {@code v1,<base64>}.
     *
     * @param secret a {@code whsec_} secret; the prefix may be left out
     * @param messageId the delivery's id, the same across retries; it may not contain a dot, which
     *     would make {@code id.timestamp.body} ambiguous
     * @param timestamp the attempt's time in Unix seconds
     * @throws IllegalArgumentException when the secret, the id or the timestamp is malformed
     */
    public static String sign(String secret, String messageId, long timestamp, byte[] body) {
        byte[] key = keyOf(secret);
        if (!isWellFormedId(messageId)) {
            throw new IllegalArgumentException("a webhook id must be non-blank and free of dots, not '" + messageId + "'");
        }
        if (timestamp < 0) {
            throw new IllegalArgumentException("a webhook timestamp must not be negative, not " + timestamp);
        }
        Objects.requireNonNull(body, "body");
        return VERSION + "," + Base64.getEncoder().encodeToString(hmac(key, messageId, Long.toString(timestamp), body));
    }

    /** {@link #sign(String, String, long, byte[])} of a body encoded in UTF-8. */
    public static String sign(String secret, String messageId, long timestamp, String body) {
        return sign(secret, messageId, timestamp, body.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * Checks a delivery against {@code secret}: the timestamp must be within {@link #TOLERANCE} of
     * {@code now}, and one of the space-separated signatures must be the {@code v1} signature of
     * the id, timestamp and body. Signatures of other versions are ignored. Signatures are compared
     * in constant time.
     *
     * @throws IllegalArgumentException when the secret itself is malformed: that is our fault, not
     *     the delivery's
     */
    public static Verification verify(
            String secret, String messageId, String timestamp, byte[] body, String signatures, Instant now) {
        byte[] key = keyOf(secret);
        Objects.requireNonNull(now, "now");
        if (!isWellFormedId(messageId) || timestamp == null || !TIMESTAMP.matcher(timestamp).matches()
                || body == null || signatures == null || signatures.isBlank()) {
            return Verification.MALFORMED;
        }
        Instant signedAt = Instant.ofEpochSecond(Long.parseLong(timestamp));
        if (Duration.between(signedAt, now).abs().compareTo(TOLERANCE) > 0) {
            return Verification.TIMESTAMP_OUT_OF_TOLERANCE;
        }
        byte[] expected = hmac(key, messageId, timestamp, body);
        for (String signature : signatures.trim().split(" +")) {
            int comma = signature.indexOf(',');
            if (comma < 0 || !signature.substring(0, comma).equals(VERSION)) {
                continue;
            }
            byte[] candidate;
            try {
                candidate = Base64.getDecoder().decode(signature.substring(comma + 1));
            } catch (IllegalArgumentException notBase64) {
                continue;
            }
            if (MessageDigest.isEqual(expected, candidate)) {
                return Verification.VALID;
            }
        }
        return Verification.NO_MATCHING_SIGNATURE;
    }

    /** {@link #verify(String, String, String, byte[], String, Instant)} of a body encoded in UTF-8. */
    public static Verification verify(
            String secret, String messageId, String timestamp, String body, String signatures, Instant now) {
        return verify(secret, messageId, timestamp, body == null ? null : body.getBytes(StandardCharsets.UTF_8),
                signatures, now);
    }

    private static boolean isWellFormedId(String messageId) {
        return messageId != null && !messageId.isBlank() && messageId.indexOf('.') < 0;
    }

    private static byte[] keyOf(String secret) {
        Objects.requireNonNull(secret, "secret");
        String encoded = secret.startsWith(SECRET_PREFIX) ? secret.substring(SECRET_PREFIX.length()) : secret;
        byte[] key;
        try {
            key = Base64.getDecoder().decode(encoded);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("a webhook secret must be whsec_ followed by base64", e);
        }
        if (key.length < MIN_SECRET_BYTES || key.length > MAX_SECRET_BYTES) {
            throw new IllegalArgumentException("a webhook secret must hold " + MIN_SECRET_BYTES + " to "
                    + MAX_SECRET_BYTES + " bytes, not " + key.length);
        }
        return key;
    }

    private static byte[] hmac(byte[] key, String messageId, String timestamp, byte[] body) {
        try {
            Mac mac = Mac.getInstance(ALGORITHM);
            mac.init(new SecretKeySpec(key, ALGORITHM));
            mac.update((messageId + "." + timestamp + ".").getBytes(StandardCharsets.UTF_8));
            return mac.doFinal(body);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is missing from this JDK", e);
        }
    }
}
