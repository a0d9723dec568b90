package dev.sofy.server.sms;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.i18n.phonenumbers.NumberParseException;
import com.google.i18n.phonenumbers.PhoneNumberUtil;
import com.google.i18n.phonenumbers.Phonenumber.PhoneNumber;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

class AddressesTest {

    @Test
    void aRecipientInInternationalDigitsIsKeptAsItIs() {
        assertEquals(Optional.of("590690112233"), Addresses.normaliseRecipient("590690112233"));
    }

    @Test
    void aLeadingPlusIsDroppedFromTheRecipient() {
        assertEquals(Optional.of("33612345678"), Addresses.normaliseRecipient("+33612345678"));
    }

    @Test
    void separatorsBetweenDigitsAreDroppedFromTheRecipient() {
        assertEquals(Optional.of("33612345678"), Addresses.normaliseRecipient("+33 6.12-34 (56) 78"));
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
        assertEquals(Optional.empty(), Addresses.normaliseRecipient(to));
    }

    @ParameterizedTest(name = "\"{0}\" is a valid sender")
    @ValueSource(strings = {"APITEST", "A", "ABCDEFGHIJK", "My Shop", "Shop2026", "36789", "123", "12345678",
        "33612345678", "+33612345678", "590690112233"})
    void alphanumericSendersShortCodesAndInternationalNumbersAreAccepted(String from) {
        assertTrue(Addresses.isValidSender(from));
    }

    @ParameterizedTest(name = "\"{0}\" is not a valid sender")
    @NullAndEmptySource
    @ValueSource(strings = {"12", "ABCDEFGHIJKL", "Shop-2026", "Café", "+36789", "123456789", "   ", "1234567890123456"})
    void otherSendersAreRefused(String from) {
        assertFalse(Addresses.isValidSender(from));
    }

    /** Addresses checks validity as isValidNumber does, keeping the region; compared on every example number. */
    @Test
    void aRecipientIsValidInTheRegionIsValidNumberFinds() throws NumberParseException {
        PhoneNumberUtil phoneNumbers = PhoneNumberUtil.getInstance();
        int compared = 0;
        for (String region : phoneNumbers.getSupportedRegions()) {
            for (PhoneNumberUtil.PhoneNumberType type : PhoneNumberUtil.PhoneNumberType.values()) {
                PhoneNumber example = phoneNumbers.getExampleNumberForType(region, type);
                if (example == null) {
                    continue;
                }
                String digits = phoneNumbers.format(example, PhoneNumberUtil.PhoneNumberFormat.E164).substring(1);
                PhoneNumber parsed = phoneNumbers.parse("+" + digits, null);
                Optional<Recipient> recipient = Addresses.recipient(digits);
                assertEquals(phoneNumbers.isValidNumber(parsed), recipient.isPresent(), digits);
                recipient.ifPresent(valid -> assertEquals(phoneNumbers.getRegionCodeForNumber(parsed), valid.region(), digits));
                compared++;
            }
        }
        assertTrue(compared > 1_000, compared + " example numbers");
    }
}
