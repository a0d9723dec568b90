package dev.sofy.server.marketing;

import com.google.i18n.phonenumbers.PhoneNumberUtil;
import com.google.i18n.phonenumbers.Phonenumber.PhoneNumber;
import dev.sofy.server.numbers.InternationalNumbers;
import dev.sofy.server.numbers.Recipient;
import java.util.Collections;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.Map;
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
    private static final Map<Integer, Set<FrenchTerritory>> BY_COUNTRY_CODE = byCountryCode();

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
        String digits = internationalDigits.startsWith("+") ? internationalDigits.substring(1) : internationalDigits;
        return InternationalNumbers.parse(digits).map(number -> territoriesOf(number, null)).orElse(Set.of());
    }

    /** As {@link #territoriesOf(String)}, without checking the number again in the region it is known valid in. */
    public static Set<FrenchTerritory> territoriesOf(Recipient recipient) {
        return territoriesOf(recipient.number(), recipient.region());
    }

    private static Set<FrenchTerritory> territoriesOf(PhoneNumber number, String validRegion) {
        Set<FrenchTerritory> ofCountryCode = BY_COUNTRY_CODE.getOrDefault(number.getCountryCode(), Set.of());
        return ofCountryCode.size() < 2 ? ofCountryCode : validIn(number, ofCountryCode, validRegion);
    }

    /**
     * The territories where the number is valid, or all of them when it is valid in none: the
     * answer for a country code with one territory is that territory, valid or not.
     */
    private static Set<FrenchTerritory> validIn(PhoneNumber number, Set<FrenchTerritory> ofCountryCode,
                                                String validRegion) {
        var validIn = EnumSet.noneOf(FrenchTerritory.class);
        for (FrenchTerritory territory : ofCountryCode) {
            if (territory.regionCode().equals(validRegion)
                    || PHONE_NUMBERS.isValidNumberForRegion(number, territory.regionCode())) {
                validIn.add(territory);
            }
        }
        return validIn.isEmpty() ? ofCountryCode : Collections.unmodifiableSet(validIn);
    }

    private static Map<Integer, Set<FrenchTerritory>> byCountryCode() {
        Map<Integer, EnumSet<FrenchTerritory>> territories = new HashMap<>();
        for (FrenchTerritory territory : FrenchTerritory.values()) {
            territories.computeIfAbsent(PHONE_NUMBERS.getCountryCodeForRegion(territory.regionCode()),
                    code -> EnumSet.noneOf(FrenchTerritory.class)).add(territory);
        }
        Map<Integer, Set<FrenchTerritory>> unmodifiable = new HashMap<>();
        territories.forEach((code, set) -> unmodifiable.put(code, Collections.unmodifiableSet(set)));
        return Map.copyOf(unmodifiable);
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
