package dev.sofy.server.account;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;

/** Random key material and the digest the server keeps of a secret. */
final class Secrets {
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final Base64.Encoder URL_SAFE = Base64.getUrlEncoder().withoutPadding();

    private Secrets() {}

    /** A URL-safe random token carrying {@code bytes * 8} bits. */
    static String randomToken(int bytes) {
        byte[] buffer = new byte[bytes];
        RANDOM.nextBytes(buffer);
        return URL_SAFE.encodeToString(buffer);
    }

    /**
     * SHA-256 suits secrets of 256 random bits: a slow hash (bcrypt, Argon2) only slows down
     * guessing a secret from a stolen digest, 2^256 guesses are out of reach at any speed, and a
     * slow hash would cost every request its time. An operator-chosen bootstrap secret is not drawn
     * here, so it must have at least {@link KeyService#MIN_CHOSEN_SECRET_LENGTH} characters: drawn at
     * random, as from {@code openssl rand -base64 32}, that is 192 bits or more, as far out of reach.
     * Length cannot prove randomness, but it rules out the short passwords a fast hash would give away.
     */
    static byte[] sha256(String secret) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(secret.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }

    static String sha256Hex(String secret) {
        return HexFormat.of().formatHex(sha256(secret));
    }

    /** Compares a secret's digest with a stored hex digest in time independent of where they differ. */
    static boolean matches(byte[] digest, String storedHex) {
        return MessageDigest.isEqual(digest, HexFormat.of().parseHex(storedHex));
    }
}
