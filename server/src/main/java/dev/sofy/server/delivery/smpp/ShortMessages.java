package dev.sofy.server.delivery.smpp;

import dev.sofy.server.sms.Encoding;
import dev.sofy.server.sms.Gsm7;
import dev.sofy.server.sms.Segments;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.jsmpp.bean.Alphabet;

/** The short_message bytes of SMS parts: GSM-7 septets unpacked or UTF-16BE, behind a concatenation header. */
final class ShortMessages {
    static final byte DATA_CODING_GSM7 = 0x00;
    static final byte DATA_CODING_UCS2 = 0x08;
    /** IEI 0x00, concatenated short messages with an 8-bit reference: length, IEI, IE length, ref, total, seq. */
    private static final int HEADER_LENGTH = 6;

    /** One submit_sm's worth of an SMS. {@code shortMessage} starts with the header when {@code udhi} is set. */
    record Part(int index, byte dataCoding, boolean udhi, byte[] shortMessage) {}

    private ShortMessages() {}

    /** The parts of an SMS; {@code reference} (0-255) ties the parts of one long SMS together. */
    static List<Part> of(Segments segments, int reference) {
        byte dataCoding = segments.encoding() == Encoding.GSM7 ? DATA_CODING_GSM7 : DATA_CODING_UCS2;
        int count = segments.count();
        var parts = new ArrayList<Part>(count);
        for (int index = 0; index < count; index++) {
            String text = segments.parts().get(index);
            byte[] userData = segments.encoding() == Encoding.GSM7
                    ? Gsm7.encode(text)
                    : text.getBytes(StandardCharsets.UTF_16BE);
            if (count == 1) {
                parts.add(new Part(index, dataCoding, false, userData));
            } else {
                byte[] shortMessage = new byte[HEADER_LENGTH + userData.length];
                shortMessage[0] = HEADER_LENGTH - 1;
                shortMessage[1] = 0x00;
                shortMessage[2] = 0x03;
                shortMessage[3] = (byte) reference;
                shortMessage[4] = (byte) count;
                shortMessage[5] = (byte) (index + 1);
                System.arraycopy(userData, 0, shortMessage, HEADER_LENGTH, userData.length);
                parts.add(new Part(index, dataCoding, true, shortMessage));
            }
        }
        return parts;
    }

    /** The user data header of a short message, empty without UDHI. */
    static byte[] header(boolean udhi, byte[] shortMessage) {
        if (!udhi || shortMessage.length == 0) {
            return new byte[0];
        }
        return Arrays.copyOf(shortMessage, Math.min(shortMessage.length, 1 + (shortMessage[0] & 0xFF)));
    }

    /** The text of a short message, after any user data header, decoded by its data_coding. */
    static String text(byte dataCoding, boolean udhi, byte[] shortMessage) {
        int start = header(udhi, shortMessage).length;
        byte[] userData = Arrays.copyOfRange(shortMessage, start, shortMessage.length);
        Alphabet alphabet;
        try {
            alphabet = Alphabet.parseDataCoding(dataCoding);
        } catch (IllegalArgumentException e) {
            alphabet = Alphabet.ALPHA_8_BIT;
        }
        switch (alphabet) {
            case ALPHA_DEFAULT:
                return Gsm7.decode(userData);
            case ALPHA_UCS2:
                return new String(userData, StandardCharsets.UTF_16BE);
            case ALPHA_IA5:
                return new String(userData, StandardCharsets.US_ASCII);
            default:
                return new String(userData, StandardCharsets.ISO_8859_1);
        }
    }
}
