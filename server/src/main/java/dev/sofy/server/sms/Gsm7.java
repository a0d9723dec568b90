package dev.sofy.server.sms;

import java.io.ByteArrayOutputStream;

/**
 * The GSM 03.38 (3GPP TS 23.038) default alphabet and its extension table. Septets are handled
 * unpacked, one per byte, as SMPP carries them with data_coding 0; an extension character is the
 * escape septet 0x1B followed by its code, so it counts as two septets.
 */
public final class Gsm7 {
    /** The escape septet that announces a character of the extension table. */
    public static final int ESCAPE = 0x1B;

    private static final String BASIC =
            "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞ\u001BÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?"
            + "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà";
    private static final String EXTENSION_CHARACTERS = "\f^{}\\[~]|€";
    private static final int[] EXTENSION_CODES = {0x0A, 0x14, 0x28, 0x29, 0x2F, 0x3C, 0x3D, 0x3E, 0x40, 0x65};

    /** For each UTF-16 unit: 0 when outside the alphabet, else the septet (basic) or 0x100 | code (extension). */
    private static final int[] SEPTET_OF = new int[Character.MAX_VALUE + 1];
    private static final char[] BASIC_OF = BASIC.toCharArray();
    /** The character of each extension code, or 0 when the code is unassigned. */
    private static final char[] EXTENSION_OF = new char[128];
    private static final int EXTENDED = 0x100;
    private static final int PRESENT = 0x200;

    static {
        if (BASIC.length() != 128) {
            throw new AssertionError("the basic table has 128 characters, not " + BASIC.length());
        }
        for (int septet = 0; septet < 128; septet++) {
            if (septet != ESCAPE) {
                SEPTET_OF[BASIC.charAt(septet)] = PRESENT | septet;
            }
        }
        for (int i = 0; i < EXTENSION_CODES.length; i++) {
            SEPTET_OF[EXTENSION_CHARACTERS.charAt(i)] = PRESENT | EXTENDED | EXTENSION_CODES[i];
            EXTENSION_OF[EXTENSION_CODES[i]] = EXTENSION_CHARACTERS.charAt(i);
        }
    }

    private Gsm7() {}

    /** Whether every character of {@code text} is in the default alphabet or its extension table. */
    public static boolean canEncode(CharSequence text) {
        for (int i = 0; i < text.length(); i++) {
            if (septets(text.charAt(i)) == 0) {
                return false;
            }
        }
        return true;
    }

    /** The septets {@code text} takes, extension characters counting two; fails if it cannot be encoded. */
    public static int septets(CharSequence text) {
        int septets = 0;
        for (int i = 0; i < text.length(); i++) {
            int count = septets(text.charAt(i));
            if (count == 0) {
                throw notEncodable(text.charAt(i));
            }
            septets += count;
        }
        return septets;
    }

    /** 1 for a character of the basic table, 2 for one of the extension table, 0 for any other. */
    public static int septets(char character) {
        int entry = SEPTET_OF[character];
        if (entry == 0) {
            return 0;
        }
        return (entry & EXTENDED) != 0 ? 2 : 1;
    }

    /** The unpacked septets of {@code text}, one per byte, with an escape before each extension character. */
    public static byte[] encode(CharSequence text) {
        var septets = new ByteArrayOutputStream(text.length() + 8);
        for (int i = 0; i < text.length(); i++) {
            int entry = SEPTET_OF[text.charAt(i)];
            if (entry == 0) {
                throw notEncodable(text.charAt(i));
            }
            if ((entry & EXTENDED) != 0) {
                septets.write(ESCAPE);
            }
            septets.write(entry & 0x7F);
        }
        return septets.toByteArray();
    }

    /**
     * The text of unpacked septets. Lenient, as it reads what networks send: the eighth bit is
     * ignored, an escape before an unassigned code reads as the basic character (as 23.038 asks),
     * and a trailing escape is dropped.
     */
    public static String decode(byte[] septets) {
        var text = new StringBuilder(septets.length);
        for (int i = 0; i < septets.length; i++) {
            int septet = septets[i] & 0x7F;
            if (septet != ESCAPE) {
                text.append(BASIC_OF[septet]);
            } else if (i + 1 < septets.length) {
                int code = septets[++i] & 0x7F;
                char extension = EXTENSION_OF[code];
                if (extension != 0) {
                    text.append(extension);
                } else if (code != ESCAPE) {
                    text.append(BASIC_OF[code]);
                }
            }
        }
        return text.toString();
    }

    private static IllegalArgumentException notEncodable(char character) {
        return new IllegalArgumentException(
                String.format("U+%04X is not in the GSM 03.38 default alphabet", (int) character));
    }
}
