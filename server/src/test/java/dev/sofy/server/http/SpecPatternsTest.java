package dev.sofy.server.http;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.google.i18n.phonenumbers.PhoneNumberUtil;
import com.google.i18n.phonenumbers.PhoneNumberUtil.PhoneNumberFormat;
import com.google.i18n.phonenumbers.PhoneNumberUtil.PhoneNumberType;
import dev.sofy.server.numbers.PhoneNumbers;
import dev.sofy.server.sms.SmsService;
import dev.sofy.server.sms.SmsToSend;
import dev.sofy.server.webhooks.UrlGuard;
import java.io.InputStream;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Random;
import java.util.function.Predicate;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The spec's patterns restate rules the server checks itself (the routes leave patterns to the
 * operations, for their messages). A pattern must never be stricter than its rule: whatever the
 * server takes, the pattern matches, or generated clients and proxies would refuse valid requests.
 */
final class SpecPatternsTest {
    private static final PhoneNumberUtil PHONE_NUMBERS = PhoneNumberUtil.getInstance();
    private static final int RANDOM_SAMPLES = 20_000;
    private static JsonNode spec;

    @BeforeAll
    static void readSpec() throws Exception {
        try (InputStream in = SpecPatternsTest.class.getClassLoader().getResourceAsStream(SpecSchemas.SPEC_RESOURCE)) {
            spec = new ObjectMapper(new YAMLFactory()).readTree(in);
        }
    }

    private static Pattern pattern(String pointer) {
        JsonNode pattern = spec.at(pointer + "/pattern");
        assertTrue(pattern.isTextual(), pointer + " has no pattern");
        return Pattern.compile(pattern.asText());
    }

    @Test
    void everyRecipientTheServerTakesMatchesTheRecipientPatterns() {
        List<String> taken = takenOf(recipientSamples(), to -> PhoneNumbers.normaliseRecipient(to).isPresent());

        assertAllMatch(taken, pattern("/components/schemas/SmsCreateRequest/properties/to"));
        assertAllMatch(taken, pattern("/components/schemas/OptOutCreateRequest/properties/number"));
        assertAllMatch(taken, pattern("/components/parameters/ToFilter/schema"));
    }

    @Test
    void everySenderTheServerTakesMatchesTheSenderPattern() {
        List<String> samples = new ArrayList<>(recipientSamples());
        samples.addAll(List.of("APITEST", "36789", "123", "12345678", "My Shop 24", "A", "1 2 3 A", "Z9"));
        samples.addAll(randomStrings("AZaz09 +().-_!é", 16, new Random(7)));

        // The rules need none of the service's collaborators.
        var sms = new SmsService(null, Clock.systemUTC(), Duration.ofHours(1), text -> null, null);
        Predicate<String> takes = from -> sms.violations(new SmsToSend(from, "590690112233", "x", true, true), null).stream()
                .noneMatch(violation -> violation.field().equals("from"));

        assertAllMatch(takenOf(samples, takes), pattern("/components/schemas/SmsCreateRequest/properties/from"));
    }

    @Test
    void everyWebhookUrlTheServerTakesMatchesTheUrlPattern() {
        var guard = new UrlGuard(true);
        List<String> samples = new ArrayList<>(List.of("https://example.com/sofy/events", "HTTP://EXAMPLE.COM",
                "hTTps://example.com:8443", "http://127.0.0.1:8080/hook?x=1#frag", "https://[::1]/x", "http://a",
                "https://example.com?x=@y", "https://example.com#@", "http://xn--e1afmkfd.xn--p1ai/путь",
                "https://example.com/a%20b", "http://host:0/", "https://example.com/\u00e9t\u00e9"));
        samples.addAll(randomStrings("hHtTpPsS:/[]@?#.%aZ09-_~", 24, new Random(11)).stream().map(tail -> "https://" + tail).toList());

        assertAllMatch(takenOf(samples, url -> guard.problemWithUrl(url).isEmpty()),
                pattern("/components/schemas/WebhookCreateRequest/properties/url"));
    }

    @Test
    void everyUrlSafeBase64TextMatchesTheCursorPattern() {
        var random = new Random(13);
        List<String> cursors = new ArrayList<>();
        for (int length = 1; length <= 60; length++) {
            byte[] bytes = new byte[length];
            random.nextBytes(bytes);
            cursors.add(Base64.getUrlEncoder().withoutPadding().encodeToString(bytes));
            cursors.add(Base64.getUrlEncoder().encodeToString(bytes));
        }

        assertAllMatch(cursors, pattern("/components/parameters/Cursor/schema"));
    }

    /** Every region's example numbers, written as people do: digits, with a +, with separators. */
    private static List<String> recipientSamples() {
        List<String> samples = new ArrayList<>();
        for (String region : PHONE_NUMBERS.getSupportedRegions()) {
            for (PhoneNumberType type : List.of(PhoneNumberType.MOBILE, PhoneNumberType.FIXED_LINE)) {
                var number = PHONE_NUMBERS.getExampleNumberForType(region, type);
                if (number != null) {
                    String e164 = PHONE_NUMBERS.format(number, PhoneNumberFormat.E164);
                    samples.add(e164);
                    samples.add(e164.substring(1));
                    samples.add(PHONE_NUMBERS.format(number, PhoneNumberFormat.INTERNATIONAL));
                    samples.add(PHONE_NUMBERS.format(number, PhoneNumberFormat.INTERNATIONAL).replace(' ', '.'));
                    samples.add(PHONE_NUMBERS.format(number, PhoneNumberFormat.RFC3966));
                }
            }
        }
        samples.addAll(randomStrings("0123456789 +().-", 20, new Random(3)));
        return samples;
    }

    private static List<String> randomStrings(String alphabet, int maxLength, Random random) {
        List<String> strings = new ArrayList<>(RANDOM_SAMPLES);
        for (int i = 0; i < RANDOM_SAMPLES; i++) {
            var text = new StringBuilder();
            int length = 1 + random.nextInt(maxLength);
            for (int j = 0; j < length; j++) {
                text.append(alphabet.charAt(random.nextInt(alphabet.length())));
            }
            strings.add(text.toString());
        }
        return strings;
    }

    private static List<String> takenOf(List<String> samples, Predicate<String> takes) {
        List<String> taken = samples.stream().filter(takes).toList();
        assertTrue(taken.size() > 10, "too few samples are taken to say anything: " + taken);
        return taken;
    }

    private static void assertAllMatch(List<String> values, Pattern pattern) {
        assertAll(values.stream().map(value -> () -> assertTrue(pattern.matcher(value).find(),
                () -> "the server takes \"" + value + "\" but the spec's pattern " + pattern + " refuses it")));
    }
}
