package dev.sofy.server.marketing;

import static dev.sofy.server.marketing.FrenchTerritory.FRENCH_GUIANA;
import static dev.sofy.server.marketing.FrenchTerritory.GUADELOUPE;
import static dev.sofy.server.marketing.FrenchTerritory.MAINLAND_FRANCE;
import static dev.sofy.server.marketing.FrenchTerritory.MARTINIQUE;
import static dev.sofy.server.marketing.FrenchTerritory.MAYOTTE;
import static dev.sofy.server.marketing.FrenchTerritory.REUNION;
import static dev.sofy.server.marketing.FrenchTerritory.SAINT_BARTHELEMY;
import static dev.sofy.server.marketing.FrenchTerritory.SAINT_MARTIN;
import static dev.sofy.server.marketing.FrenchTerritory.SAINT_PIERRE_ET_MIQUELON;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.i18n.phonenumbers.NumberParseException;
import com.google.i18n.phonenumbers.PhoneNumberUtil;
import com.google.i18n.phonenumbers.Phonenumber.PhoneNumber;
import dev.sofy.server.numbers.PhoneNumbers;
import dev.sofy.server.numbers.Recipient;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

class FrenchNumbersTest {

    @Test
    void aMainlandMobileIsOfMainlandFranceOnly() {
        assertEquals(Set.of(MAINLAND_FRANCE), FrenchNumbers.territoriesOf("33612345678"));
    }

    @Test
    void aMainlandNumberIsFrench() {
        assertTrue(FrenchNumbers.isFrench("33612345678"));
    }

    @Test
    void aMainlandNumberIsMainland() {
        assertTrue(FrenchNumbers.isMainland("33612345678"));
    }

    @Test
    void aMainlandNumberIsNotOverseas() {
        assertFalse(FrenchNumbers.isOverseas("33612345678"));
    }

    @Test
    void anOverseasNumberIsFrench() {
        assertTrue(FrenchNumbers.isFrench("262692123456"));
    }

    @Test
    void anOverseasNumberIsOverseas() {
        assertTrue(FrenchNumbers.isOverseas("262692123456"));
    }

    @Test
    void anOverseasNumberIsNotMainland() {
        assertFalse(FrenchNumbers.isMainland("262692123456"));
    }

    @ParameterizedTest(name = "{0} is of {1} only")
    @CsvSource({
        "594694201234, FRENCH_GUIANA",
        "596696201234, MARTINIQUE",
        "262692123456, REUNION",
        "262262123456, REUNION",
        "262639011234, MAYOTTE",
        "262269601234, MAYOTTE",
        "508551234, SAINT_PIERRE_ET_MIQUELON",
        "590590821234, GUADELOUPE"
    })
    void overseasNumbersAreOfTheirOwnTerritory(String digits, FrenchTerritory territory) {
        assertEquals(Set.of(territory), FrenchNumbers.territoriesOf(digits));
    }

    @Test
    void aPlus590MobileMayBeOfGuadeloupeSaintBarthelemyOrSaintMartin() {
        assertEquals(Set.of(GUADELOUPE, SAINT_BARTHELEMY, SAINT_MARTIN), FrenchNumbers.territoriesOf("590690112233"));
    }

    @Test
    void aSaintBarthelemyFixedLineIsNotTakenForGuadeloupe() {
        assertEquals(Set.of(SAINT_BARTHELEMY, SAINT_MARTIN), FrenchNumbers.territoriesOf("590590271234"));
    }

    @ParameterizedTest(name = "{0} is not French for these rules")
    @ValueSource(strings = {
        "681821234",      // Wallis-et-Futuna: its own numbering plan
        "687751234",      // New Caledonia: its own numbering plan
        "68987123456",    // French Polynesia: its own numbering plan
        "2693212345",     // +269 is the Comoros, not Mayotte
        "447400123456",   // United Kingdom
        "14155550123",    // United States
        "32470123456"     // Belgium
    })
    void numbersOutsideTheFrenchNumberingPlanAreNotFrench(String digits) {
        assertFalse(FrenchNumbers.isFrench(digits));
    }

    @ParameterizedTest(name = "\"{0}\" is not French")
    @NullAndEmptySource
    @ValueSource(strings = {"33 612345678", "33-612-345-678", "abc", "3361234567890123", "++33612345678"})
    void whatIsNotInternationalDigitsIsNotFrench(String digits) {
        assertEquals(Set.of(), FrenchNumbers.territoriesOf(digits));
    }

    @Test
    void aLeadingPlusIsTolerated() {
        assertEquals(Set.of(MAINLAND_FRANCE), FrenchNumbers.territoriesOf("+33612345678"));
    }

    @Test
    void anInvalidNumberWithTheMainlandCountryCodeIsStillTreatedAsMainland() {
        assertEquals(Set.of(MAINLAND_FRANCE), FrenchNumbers.territoriesOf("33123"));
    }

    @Test
    void anInvalidNumberWithASharedCountryCodeGetsEveryTerritoryOfThatCode() {
        assertEquals(Set.of(REUNION, MAYOTTE), FrenchNumbers.territoriesOf("262123"));
    }

    @Test
    void onlyMainlandFranceIsNotOverseas() {
        for (FrenchTerritory territory : FrenchTerritory.values()) {
            assertEquals(territory != MAINLAND_FRANCE, territory.isOverseas(), territory.name());
        }
    }

    @ParameterizedTest(name = "{0} lives in {1}")
    @CsvSource({
        "MAINLAND_FRANCE, Europe/Paris",
        "GUADELOUPE, America/Guadeloupe",
        "MARTINIQUE, America/Martinique",
        "FRENCH_GUIANA, America/Cayenne",
        "REUNION, Indian/Reunion",
        "MAYOTTE, Indian/Mayotte",
        "SAINT_PIERRE_ET_MIQUELON, America/Miquelon"
    })
    void eachTerritoryHasItsOwnZone(FrenchTerritory territory, String zone) {
        assertEquals(zone, territory.zone().getId());
    }

    @ParameterizedTest(name = "{0} is region {1}")
    @CsvSource({
        "MAINLAND_FRANCE, FR", "GUADELOUPE, GP", "SAINT_BARTHELEMY, BL", "SAINT_MARTIN, MF", "FRENCH_GUIANA, GF",
        "MARTINIQUE, MQ", "REUNION, RE", "MAYOTTE, YT", "SAINT_PIERRE_ET_MIQUELON, PM"
    })
    void territoriesUseLibphonenumbersRegionCodes(FrenchTerritory territory, String regionCode) {
        assertEquals(regionCode, territory.regionCode());
    }

    /**
     * territoriesOf reads the country code itself and asks libphonenumber's parser only when it
     * might strip or refuse something; this is the answer of parsing every number, for comparison.
     */
    private static Set<FrenchTerritory> byParsing(String digits) {
        PhoneNumberUtil phoneNumbers = PhoneNumberUtil.getInstance();
        PhoneNumber number;
        try {
            number = phoneNumbers.parse("+" + digits, null);
        } catch (NumberParseException e) {
            return Set.of();
        }
        var ofCountryCode = EnumSet.noneOf(FrenchTerritory.class);
        var validIn = EnumSet.noneOf(FrenchTerritory.class);
        for (FrenchTerritory territory : FrenchTerritory.values()) {
            if (phoneNumbers.getCountryCodeForRegion(territory.regionCode()) == number.getCountryCode()) {
                ofCountryCode.add(territory);
                if (phoneNumbers.isValidNumberForRegion(number, territory.regionCode())) {
                    validIn.add(territory);
                }
            }
        }
        return validIn.isEmpty() ? ofCountryCode : validIn;
    }

    @Test
    void theTerritoriesOfRandomNumbersAreThoseParsingThemGives() {
        var random = new Random(20261125);
        List<String> countryCodes = List.of("33", "590", "594", "596", "262", "508", "1", "44", "599", "269", "681", "3");
        for (int i = 0; i < 20_000; i++) {
            String countryCode = countryCodes.get(random.nextInt(countryCodes.size()));
            var digits = new StringBuilder(countryCode);
            int length = 1 + random.nextInt(15 - countryCode.length());
            for (int d = 0; d < length; d++) {
                digits.append(random.nextInt(10));
            }
            assertEquals(byParsing(digits.toString()), FrenchNumbers.territoriesOf(digits.toString()), digits.toString());
        }
    }

    /** libphonenumber's example numbers of every type for every territory, as international digits. */
    private static List<String> exampleNumbers() {
        PhoneNumberUtil phoneNumbers = PhoneNumberUtil.getInstance();
        List<String> examples = new ArrayList<>();
        for (FrenchTerritory territory : FrenchTerritory.values()) {
            for (PhoneNumberUtil.PhoneNumberType type : PhoneNumberUtil.PhoneNumberType.values()) {
                PhoneNumber example = phoneNumbers.getExampleNumberForType(territory.regionCode(), type);
                if (example != null) {
                    examples.add(phoneNumbers.format(example, PhoneNumberUtil.PhoneNumberFormat.E164).substring(1));
                }
            }
        }
        return examples;
    }

    @Test
    void theTerritoriesOfEveryExampleNumberOfEveryTerritoryAreThoseParsingThemGives() {
        List<String> examples = exampleNumbers();
        for (String digits : examples) {
            assertEquals(byParsing(digits), FrenchNumbers.territoriesOf(digits), digits);
        }
        assertTrue(examples.size() >= 2 * FrenchTerritory.values().length, examples.size() + " example numbers");
    }

    @Test
    void theTerritoriesOfAValidRecipientAreThoseParsingItGives() {
        int compared = 0;
        for (String digits : exampleNumbers()) {
            Optional<Recipient> recipient = PhoneNumbers.recipient(digits);
            if (recipient.isPresent()) {
                assertEquals(byParsing(digits), FrenchNumbers.territoriesOf(recipient.get()), digits);
                compared++;
            }
        }
        assertTrue(compared >= 2 * FrenchTerritory.values().length, compared + " valid example numbers");
    }

    @Test
    void aPlus590MobileRecipientMayBeOfGuadeloupeSaintBarthelemyOrSaintMartin() {
        Recipient recipient = PhoneNumbers.recipient("590690112233").orElseThrow();
        assertEquals(Set.of(GUADELOUPE, SAINT_BARTHELEMY, SAINT_MARTIN), FrenchNumbers.territoriesOf(recipient));
    }
}
