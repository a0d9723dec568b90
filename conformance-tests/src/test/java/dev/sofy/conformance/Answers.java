package dev.sofy.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;

/** Reading answers in tests: status, media type, problem fields, JSON keys. */
final class Answers {
    private static final String NANOID_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-";
    private static final SecureRandom RANDOM = new SecureRandom();

    private Answers() {}

    static void assertStatus(int expected, Exchange exchange) {
        assertEquals(expected, exchange.status(), () -> "unexpected status:\n" + exchange.describe());
    }

    /** The media type of the answer, without parameters, in lower case; empty if none. */
    static String mediaType(Exchange exchange) {
        return exchange.responseHeader("Content-Type")
                .map(value -> value.split(";", 2)[0].strip().toLowerCase(Locale.ROOT))
                .orElse("");
    }

    /** The {@code field}s of a problem's {@code errors}, as a set. */
    static Set<String> errorFields(Exchange exchange) {
        Set<String> fields = new TreeSet<>();
        exchange.responseJson().path("errors").forEach(error -> fields.add(error.path("field").asText()));
        return fields;
    }

    static List<String> keys(JsonNode object) {
        List<String> keys = new ArrayList<>();
        object.fieldNames().forEachRemaining(keys::add);
        return keys;
    }

    /** A well-formed id that no server has handed out (126 random bits). */
    static String unusedSmsId() {
        var id = new StringBuilder();
        for (int i = 0; i < 21; i++) {
            id.append(NANOID_ALPHABET.charAt(RANDOM.nextInt(NANOID_ALPHABET.length())));
        }
        return id.toString();
    }
}
