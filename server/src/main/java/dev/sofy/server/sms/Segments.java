package dev.sofy.server.sms;

import java.util.ArrayList;
import java.util.List;

/**
 * How an SMS body travels: its encoding and the text of each part. A body that fits one SMS
 * (160 septets in GSM-7, 70 UTF-16 units in UCS-2) is one part; a longer one is split into
 * concatenated parts of at most 153 septets or 67 units, since each part then carries a 6-byte
 * header. A part never ends between an escape and its extension character, nor inside a
 * surrogate pair.
 */
public record Segments(Encoding encoding, List<String> parts) {
    public static final int GSM7_SINGLE = 160;
    public static final int GSM7_CONCATENATED = 153;
    public static final int UCS2_SINGLE = 70;
    public static final int UCS2_CONCATENATED = 67;
    /** The concatenation header numbers parts in one byte. */
    public static final int MAX_PARTS = 255;

    public Segments {
        parts = List.copyOf(parts);
        if (parts.isEmpty()) {
            throw new IllegalArgumentException("an SMS has at least one part");
        }
        if (parts.size() > MAX_PARTS) {
            throw new IllegalArgumentException("an SMS has at most " + MAX_PARTS + " parts, not " + parts.size());
        }
    }

    public static Segments of(String text) {
        if (text.isEmpty()) {
            throw new IllegalArgumentException("an SMS body is not empty");
        }
        if (Gsm7.canEncode(text)) {
            if (Gsm7.septets(text) <= GSM7_SINGLE) {
                return new Segments(Encoding.GSM7, List.of(text));
            }
            return new Segments(Encoding.GSM7, split(text, GSM7_CONCATENATED, Encoding.GSM7));
        }
        if (text.length() <= UCS2_SINGLE) {
            return new Segments(Encoding.UCS2, List.of(text));
        }
        return new Segments(Encoding.UCS2, split(text, UCS2_CONCATENATED, Encoding.UCS2));
    }

    public int count() {
        return parts.size();
    }

    private static List<String> split(String text, int capacity, Encoding encoding) {
        var parts = new ArrayList<String>();
        int start = 0;
        int used = 0;
        int i = 0;
        while (i < text.length()) {
            char character = text.charAt(i);
            boolean pair = encoding == Encoding.UCS2
                    && Character.isHighSurrogate(character)
                    && i + 1 < text.length()
                    && Character.isLowSurrogate(text.charAt(i + 1));
            int units = encoding == Encoding.GSM7 ? Gsm7.septets(character) : pair ? 2 : 1;
            if (used + units > capacity) {
                parts.add(text.substring(start, i));
                start = i;
                used = 0;
            }
            used += units;
            i += pair ? 2 : 1;
        }
        parts.add(text.substring(start));
        return parts;
    }
}
