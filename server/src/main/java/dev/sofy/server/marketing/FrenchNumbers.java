package dev.sofy.server.marketing;

import com.google.i18n.phonenumbers.NumberParseException;
import com.google.i18n.phonenumbers.PhoneNumberUtil;
import com.google.i18n.phonenumbers.Phonenumber.PhoneNumber;
import java.util.Collections;
import java.util.EnumSet;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Which {@link FrenchTerritory French territories} a recipient's number belongs to, from
 * libphonenumber's regions. Recipients are international digits without {@code +}, as stored; a
 * leading {@code +} is tolerated.
 */
public final class FrenchNumbers {
    private static final PhoneNumberUtil PHONE_NUMBERS = PhoneNumberUtil.getInstance();
    private static final Pattern DIGITS = Pattern.compile("\\+?[0-9]{1,15}");

    private FrenchNumbers() {}

    /**
     * The French territories where the number is valid: empty for a number that is not French, and
     * several when territories share a range. All mobile numbers of +590 are valid in Guadeloupe,
     * Saint-Barthélemy and Saint-Martin alike, so nothing tells them apart; the rules then honour
     * every candidate. A number with a French country code that is valid nowhere gets all the
     * territories of its country code, so that the rules still apply to it.
     */
    public static Set<FrenchTerritory> territoriesOf(String internationalDigits) {
        if (internationalDigits == null || !DIGITS.matcher(internationalDigits).matches()) {
            return Set.of();
        }
        PhoneNumber number;
        try {
            number = PHONE_NUMBERS.parse(
                    internationalDigits.startsWith("+") ? internationalDigits : "+" + internationalDigits, null);
        } catch (NumberParseException e) {
            return Set.of();
        }
        var ofCountryCode = EnumSet.noneOf(FrenchTerritory.class);
        for (String region : PHONE_NUMBERS.getRegionCodesForCountryCode(number.getCountryCode())) {
            for (FrenchTerritory territory : FrenchTerritory.values()) {
                if (territory.regionCode().equals(region)) {
                    ofCountryCode.add(territory);
                }
            }
        }
        if (ofCountryCode.size() < 2) {
            // The answer is this territory whether the number is valid in it or not: no need to ask.
            return Collections.unmodifiableSet(ofCountryCode);
        }
        var validIn = EnumSet.noneOf(FrenchTerritory.class);
        for (FrenchTerritory territory : ofCountryCode) {
            if (PHONE_NUMBERS.isValidNumberForRegion(number, territory.regionCode())) {
                validIn.add(territory);
            }
        }
        return Collections.unmodifiableSet(validIn.isEmpty() ? ofCountryCode : validIn);
    }

    public static boolean isFrench(String internationalDigits) {
        return !territoriesOf(internationalDigits).isEmpty();
    }

    /** Whether the number is French and of an overseas territory, not of mainland France. */
    public static boolean isOverseas(String internationalDigits) {
        return territoriesOf(internationalDigits).stream().anyMatch(FrenchTerritory::isOverseas);
    }

    public static boolean isMainland(String internationalDigits) {
        return territoriesOf(internationalDigits).contains(FrenchTerritory.MAINLAND_FRANCE);
    }
}
