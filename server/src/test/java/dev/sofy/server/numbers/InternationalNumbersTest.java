package dev.sofy.server.numbers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.i18n.phonenumbers.NumberParseException;
import com.google.i18n.phonenumbers.PhoneNumberUtil;
import com.google.i18n.phonenumbers.PhoneNumberUtil.PhoneNumberType;
import com.google.i18n.phonenumbers.Phonenumber.PhoneNumber;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class InternationalNumbersTest {
    private static final PhoneNumberUtil PHONE_NUMBERS = PhoneNumberUtil.getInstance();

    @Test
    void everyExampleNumberAndItsVariantsReadAsTheParserReadsThem() {
        List<String> candidates = new ArrayList<>();
        for (String region : PHONE_NUMBERS.getSupportedRegions()) {
            int code = PHONE_NUMBERS.getCountryCodeForRegion(region);
            String nationalPrefix = Optional.ofNullable(PHONE_NUMBERS.getNddPrefixForRegion(region, true)).orElse("");
            for (PhoneNumberType type : PhoneNumberType.values()) {
                PhoneNumber example = PHONE_NUMBERS.getExampleNumberForType(region, type);
                if (example == null) {
                    continue;
                }
                String national = PHONE_NUMBERS.getNationalSignificantNumber(example);
                for (String variant : List.of(national, nationalPrefix + national, "0" + national, "1" + national,
                        national.substring(0, national.length() - 1), national + "1", national.substring(1))) {
                    candidates.add(code + variant);
                }
            }
        }
        for (int code : PHONE_NUMBERS.getSupportedGlobalNetworkCallingCodes()) {
            PhoneNumber example = PHONE_NUMBERS.getExampleNumberForNonGeoEntity(code);
            if (example != null) {
                candidates.add(code + PHONE_NUMBERS.getNationalSignificantNumber(example));
            }
        }
        assertReadAsTheParserReadsThem(candidates);
    }

    @Test
    void randomDigitsAfterEveryCountryCodeReadAsTheParserReadsThem() {
        var random = new Random(20261125);
        List<Integer> codes = List.copyOf(PHONE_NUMBERS.getSupportedCallingCodes());
        List<String> candidates = new ArrayList<>();
        for (int i = 0; i < 200_000; i++) {
            var digits = new StringBuilder().append(codes.get(random.nextInt(codes.size())));
            int length = 1 + random.nextInt(15);
            for (int d = 0; d < length; d++) {
                digits.append((char) ('0' + random.nextInt(10)));
            }
            candidates.add(digits.toString());
        }
        assertReadAsTheParserReadsThem(candidates);
    }

    @ParameterizedTest(name = "{0} is read without the parser")
    @ValueSource(strings = {"33612345678", "590690112233", "14155550123", "447700900123", "4915112345678"})
    void commonMobileNumbersAreReadWithoutTheParser(String digits) {
        assertNotNull(InternationalNumbers.withoutParser(digits));
    }

    @ParameterizedTest(name = "{0} is left to the parser")
    @ValueSource(strings = {
        "114155550123",   // +1 then the US national prefix 1
        "390612345678",   // an Italian leading zero
        "33612",          // a national part shorter than four digits
        "0033612345678",  // no country code starts with 0
        "999123456789",   // no such country code
        "33 612345678"    // not bare digits
    })
    void numbersThatTheParserWouldChangeOrRefuseAreLeftToIt(String digits) {
        assertNull(InternationalNumbers.withoutParser(digits));
    }

    @Test
    void whatTheParserRefusesIsEmpty() {
        assertEquals(Optional.empty(), InternationalNumbers.parse("999123456789"));
    }

    /** Each candidate reads the same both ways, and most of them are read without the parser. */
    private static void assertReadAsTheParserReadsThem(List<String> candidates) {
        int withoutParser = 0;
        for (String digits : Set.copyOf(candidates)) {
            Optional<PhoneNumber> expected = parsed(digits);
            Optional<PhoneNumber> actual = InternationalNumbers.parse(digits);
            assertEquals(expected.isPresent(), actual.isPresent(), digits);
            expected.ifPresent(number -> assertTrue(number.exactlySameAs(actual.orElseThrow()),
                    digits + ": expected " + number + " but was " + actual.orElseThrow()));
            if (InternationalNumbers.withoutParser(digits) != null) {
                withoutParser++;
            }
        }
        assertTrue(withoutParser > Set.copyOf(candidates).size() / 2,
                "only " + withoutParser + " of " + Set.copyOf(candidates).size() + " skipped the parser");
    }

    private static Optional<PhoneNumber> parsed(String digits) {
        try {
            return Optional.of(PHONE_NUMBERS.parse("+" + digits, null));
        } catch (NumberParseException e) {
            return Optional.empty();
        }
    }
}
