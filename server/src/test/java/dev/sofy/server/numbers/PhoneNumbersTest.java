package dev.sofy.server.numbers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.i18n.phonenumbers.NumberParseException;
import com.google.i18n.phonenumbers.PhoneNumberUtil;
import com.google.i18n.phonenumbers.Phonenumber.PhoneNumber;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

class PhoneNumbersTest {

    @Test
    void aRecipientInInternationalDigitsIsKeptAsItIs() {
        assertEquals(Optional.of("590690112233"), PhoneNumbers.normaliseRecipient("590690112233"));
    }

    @Test
    void aLeadingPlusIsDroppedFromTheRecipient() {
        assertEquals(Optional.of("33612345678"), PhoneNumbers.normaliseRecipient("+33612345678"));
    }

    @Test
    void separatorsBetweenDigitsAreDroppedFromTheRecipient() {
        assertEquals(Optional.of("33612345678"), PhoneNumbers.normaliseRecipient("+33 6.12-34 (56) 78"));
    }

    @ParameterizedTest(name = "\"{0}\" is not a valid recipient")
    @NullAndEmptySource
    @ValueSource(strings = {
        "0612345678",          // national format, no country code
        "3312",                // too short for France
        "3361234567890123",    // 16 digits, beyond E.164
        "33612ABC78",          // letters
        "+",                   // nothing but a plus
        "33 612345678 ",       // trailing separator
        "++33612345678",
        "999123456789"         // no such country code
    })
    void invalidRecipientsAreRefused(String to) {
        assertEquals(Optional.empty(), PhoneNumbers.normaliseRecipient(to));
    }

    /**
     * PhoneNumbers checks validity as isValidNumber does, keeping the region: compared on every
     * region's example numbers (all valid) and on random digits after every country code (mostly not).
     */
    @Test
    void aRecipientIsValidWhereIsValidNumberSaysAndInTheRegionItFinds() {
        PhoneNumberUtil phoneNumbers = PhoneNumberUtil.getInstance();
        List<String> candidates = new ArrayList<>();
        for (String region : phoneNumbers.getSupportedRegions()) {
            for (PhoneNumberUtil.PhoneNumberType type : PhoneNumberUtil.PhoneNumberType.values()) {
                PhoneNumber example = phoneNumbers.getExampleNumberForType(region, type);
                if (example != null) {
                    candidates.add(phoneNumbers.format(example, PhoneNumberUtil.PhoneNumberFormat.E164).substring(1));
                }
            }
        }
        var random = new Random(20261203);
        for (int countryCode : phoneNumbers.getSupportedCallingCodes()) {
            for (int i = 0; i < 20; i++) {
                var digits = new StringBuilder().append(countryCode);
                int length = 4 + random.nextInt(15 - digits.length() - 3);
                for (int d = 0; d < length; d++) {
                    digits.append(random.nextInt(10));
                }
                candidates.add(digits.toString());
            }
        }
        int valid = 0;
        for (String digits : candidates) {
            Optional<PhoneNumber> parsed = parsed(digits);
            Optional<Recipient> recipient = PhoneNumbers.recipient(digits);
            assertEquals(parsed.filter(phoneNumbers::isValidNumber).isPresent(), recipient.isPresent(), digits);
            if (recipient.isPresent()) {
                assertEquals(phoneNumbers.getRegionCodeForNumber(parsed.get()), recipient.get().region(), digits);
                valid++;
            }
        }
        assertTrue(valid > 1_000 && valid < candidates.size(), valid + " valid of " + candidates.size());
    }

    private static Optional<PhoneNumber> parsed(String digits) {
        try {
            return Optional.of(PhoneNumberUtil.getInstance().parse("+" + digits, null));
        } catch (NumberParseException e) {
            return Optional.empty();
        }
    }
}
