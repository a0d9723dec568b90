package dev.sofy.server.http;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A request's query string, decoded strictly: {@code %XX} escapes of UTF-8 and {@code +} for a
 * space, as forms send them. A value that cannot be decoded (a bad escape, bytes that are not
 * UTF-8) is remembered as such, rather than dropped as Jetty does, so that the operation refuses it
 * instead of answering as if it had not been given. A name that cannot be decoded names no
 * parameter, and is ignored like any unknown one.
 */
final class QueryString {
    private static final QueryString EMPTY = new QueryString(Map.of(), Set.of());

    private final Map<String, List<String>> values;
    private final Set<String> undecodable;

    private QueryString(Map<String, List<String>> values, Set<String> undecodable) {
        this.values = values;
        this.undecodable = undecodable;
    }

    /** The query string as the request line has it, without {@code ?}; null for none. */
    static QueryString parse(String raw) {
        if (raw == null || raw.isEmpty()) {
            return EMPTY;
        }
        Map<String, List<String>> values = new HashMap<>();
        Set<String> undecodable = new HashSet<>();
        for (String pair : raw.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int equals = pair.indexOf('=');
            String name = decoded(equals < 0 ? pair : pair.substring(0, equals));
            if (name == null) {
                continue;
            }
            String value = equals < 0 ? "" : decoded(pair.substring(equals + 1));
            if (value == null) {
                undecodable.add(name);
            } else {
                values.computeIfAbsent(name, key -> new ArrayList<>(1)).add(value);
            }
        }
        return new QueryString(values, undecodable);
    }

    /** The decoded values given for {@code name}, in order. */
    List<String> values(String name) {
        return values.getOrDefault(name, List.of());
    }

    /** Whether a value given for {@code name} could not be decoded. */
    boolean isUndecodable(String name) {
        return undecodable.contains(name);
    }

    /** The text, or null when it is not validly percent-encoded UTF-8. */
    static String decoded(String text) {
        if (text.indexOf('%') < 0 && text.indexOf('+') < 0) {
            return text;
        }
        var bytes = new ByteArrayOutputStream(text.length());
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '%') {
                int high = i + 2 < text.length() ? hexDigit(text.charAt(i + 1)) : -1;
                int low = high < 0 ? -1 : hexDigit(text.charAt(i + 2));
                if (low < 0) {
                    return null;
                }
                bytes.write(high * 16 + low);
                i += 2;
            } else if (c == '+') {
                bytes.write(' ');
            } else {
                // Jetty has decoded the request line already: the other characters are text.
                int codePoint = text.codePointAt(i);
                bytes.writeBytes(new String(Character.toChars(codePoint)).getBytes(StandardCharsets.UTF_8));
                i += Character.charCount(codePoint) - 1;
            }
        }
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes.toByteArray()))
                    .toString();
        } catch (CharacterCodingException e) {
            return null;
        }
    }

    private static int hexDigit(char c) {
        if (c >= '0' && c <= '9') {
            return c - '0';
        }
        if (c >= 'a' && c <= 'f') {
            return c - 'a' + 10;
        }
        return c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
    }
}
