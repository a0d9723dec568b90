package dev.sofy.server.sms;

import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.regex.Pattern;

/** SMS ids: 21-character URL-safe nanoids (126 random bits), like Sofy's {@code 8_zyfMv7Q_o7ovXviPUu3}. */
public final class SmsIds {
    private static final char[] ALPHABET =
            "useandom-26T198340PX75pxJACKVERYMINDBUSHWOLF_GQZbfghjklqvwyzrict".toCharArray();
    private static final int LENGTH = 21;
    private static final Pattern WELL_FORMED = Pattern.compile("[A-Za-z0-9_-]{21}");
    /** One generator a thread: a shared SecureRandom serialises every request on its lock. */
    private static final ThreadLocal<SecureRandom> RANDOM = ThreadLocal.withInitial(SmsIds::newRandom);

    private SmsIds() {}

    public static String next() {
        byte[] bytes = new byte[LENGTH];
        RANDOM.get().nextBytes(bytes);
        char[] id = new char[LENGTH];
        for (int i = 0; i < LENGTH; i++) {
            id[i] = ALPHABET[bytes[i] & 63];
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
