package dev.sofy.server.links;

import java.security.SecureRandom;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * Unguessable short-link codes: base62 characters drawn from a CSPRNG. Each character carries
 * log2(62), about 5.95 bits. The server's codes have 10 characters, about 59.5 bits or 8.4 x 10^17
 * codes: with a million live links a guesser needs some 8 x 10^11 tries a hit, and the redirect
 * endpoint lets one client address try 20 a second by default ({@code SOFY_REDIRECT_RATE}), some
 * 1,300 years a hit. The default here, 8 characters (2.2 x 10^14 codes), is for callers that
 * choose no length. Every character also costs one in the SMS, hence not more.
 */
public final class ShortCodes implements Supplier<String> {
    public static final int DEFAULT_LENGTH = 8;
    public static final int MIN_LENGTH = 7;
    public static final int MAX_LENGTH = 22;

    private static final char[] BASE62 =
            "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz".toCharArray();

    private final int length;
    private final SecureRandom random;

    public ShortCodes() {
        this(DEFAULT_LENGTH, new SecureRandom());
    }

    public ShortCodes(int length, SecureRandom random) {
        if (length < MIN_LENGTH || length > MAX_LENGTH) {
            throw new IllegalArgumentException(
                    "short codes must have " + MIN_LENGTH + " to " + MAX_LENGTH + " characters, not " + length);
        }
        this.length = length;
        this.random = Objects.requireNonNull(random, "random");
    }

    public int length() {
        return length;
    }

    /** A new code of {@link #length()} base62 characters. */
    @Override
    public String get() {
        var code = new StringBuilder(length);
        byte[] bytes = new byte[length * 2];
        while (code.length() < length) {
            random.nextBytes(bytes);
            for (int i = 0; i < bytes.length && code.length() < length; i++) {
                int sixBits = bytes[i] & 0x3F;
                // 62 and 63 are dropped rather than folded back, which would favour two characters.
                if (sixBits < BASE62.length) {
                    code.append(BASE62[sixBits]);
                }
            }
        }
        return code.toString();
    }
}
