package dev.sofy.server.sms;

import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.regex.Pattern;

/**
 * Ids of 21 URL-safe characters, shaped like Sofy's {@code 8_zyfMv7Q_o7ovXviPUu3}: 7 characters of
 * the creation time in milliseconds (42 bits, which last until 2109), then 14 random ones (84 bits).
 * The alphabet is in ASCII order, so ids sort by creation time: new rows land at the end of every
 * index on an id instead of at random places in it, and a commit rewrites a few index pages rather
 * than one a row. Until 2109 the first character is a letter, never a {@code -} that a shell or a
 * command line would take for an option.
 */
public final class SmsIds {
    private static final char[] ALPHABET =
            "-0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ_abcdefghijklmnopqrstuvwxyz".toCharArray();
    private static final int LENGTH = 21;
    private static final int TIME_LENGTH = 7;
    private static final Pattern WELL_FORMED = Pattern.compile("[A-Za-z0-9_-]{21}");
    /** One generator a thread: a shared SecureRandom serialises every request on its lock. */
    private static final ThreadLocal<SecureRandom> RANDOM = ThreadLocal.withInitial(SmsIds::newRandom);

    private SmsIds() {}

    public static String next() {
        return next(Instant.now());
    }

    /** An id that sorts after the ids of earlier milliseconds. */
    public static String next(Instant createdAt) {
        char[] id = new char[LENGTH];
        long millis = createdAt.toEpochMilli();
        for (int i = TIME_LENGTH - 1; i >= 0; i--) {
            id[i] = ALPHABET[(int) (millis & 63)];
            millis >>>= 6;
        }
        byte[] bytes = new byte[LENGTH - TIME_LENGTH];
        RANDOM.get().nextBytes(bytes);
        for (int i = 0; i < bytes.length; i++) {
            id[TIME_LENGTH + i] = ALPHABET[bytes[i] & 63];
        }
        return new String(id);
    }

    public static boolean isWellFormed(String id) {
        return id != null && WELL_FORMED.matcher(id).matches();
    }

    private static SecureRandom newRandom() {
        try {
            return SecureRandom.getInstance("DRBG");
        } catch (NoSuchAlgorithmException e) {
            return new SecureRandom();
        }
    }
}
