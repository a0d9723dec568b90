package dev.sofy.server.numbers;

import com.google.i18n.phonenumbers.NumberParseException;
import com.google.i18n.phonenumbers.PhoneNumberUtil;
import com.google.i18n.phonenumbers.Phonemetadata.PhoneMetadata;
import com.google.i18n.phonenumbers.Phonenumber.PhoneNumber;
import com.google.i18n.phonenumbers.metadata.DefaultMetadataDependenciesProvider;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Reads international digits (country code first, no {@code +}) as libphonenumber's parser
 * would, without running it when it would only split off the country code. The parser first
 * tries a dozen regular expressions written for text that people type (extensions, letters,
 * punctuation); on bare digits they change nothing, and they cost more than the rest of the
 * request. So a number is built directly when nothing else could happen to it: its country code
 * is known, its national part is long enough, does not start with 0 (Italian leading zeros) and
 * does not start with what the region strips as a national prefix. Anything else goes to the
 * parser. A test compares both ways over every region's example numbers and random digits.
 */
public final class InternationalNumbers {
    private static final PhoneNumberUtil PHONE_NUMBERS = PhoneNumberUtil.getInstance();
    private static final int LARGEST_COUNTRY_CODE = 999;
    /** Shorter national parts, and longer ones, are left to the parser's length rules. */
    private static final int SHORTEST_NATIONAL = 4;
    private static final int LONGEST_NATIONAL = 15;
    /** Country codes that exist; per code, the national prefix its main region strips, if any. */
    private static final boolean[] KNOWN = new boolean[LARGEST_COUNTRY_CODE + 1];
    private static final Pattern[] NATIONAL_PREFIX = new Pattern[LARGEST_COUNTRY_CODE + 1];

    static {
        var metadata = DefaultMetadataDependenciesProvider.getInstance().getPhoneNumberMetadataSource();
        for (int code : PHONE_NUMBERS.getSupportedCallingCodes()) {
            String region = PHONE_NUMBERS.getRegionCodeForCountryCode(code);
            PhoneMetadata main = PhoneNumberUtil.REGION_CODE_FOR_NON_GEO_ENTITY.equals(region)
                    ? metadata.getMetadataForNonGeographicalRegion(code)
                    : metadata.getMetadataForRegion(region);
            KNOWN[code] = true;
            String prefix = main.getNationalPrefixForParsing();
            NATIONAL_PREFIX[code] = prefix.isEmpty() ? null : Pattern.compile(prefix);
        }
    }

    private InternationalNumbers() {}

    /** The number, as {@code parse("+" + digits, null)} gives it; empty where the parser throws. */
    public static Optional<PhoneNumber> parse(String digits) {
        PhoneNumber direct = withoutParser(digits);
        if (direct != null) {
            return Optional.of(direct);
        }
        try {
            return Optional.of(PHONE_NUMBERS.parse("+" + digits, null));
        } catch (NumberParseException e) {
            return Optional.empty();
        }
    }

    /** The number built without the parser, or null when only the parser can say. */
    static PhoneNumber withoutParser(String digits) {
        if (digits.isEmpty() || digits.charAt(0) == '0' || !isAsciiDigits(digits)) {
            return null;
        }
        // Country codes are prefix-free: the first known prefix of one to three digits is the code.
        for (int length = 1; length <= 3 && length < digits.length(); length++) {
            int code = Integer.parseInt(digits, 0, length, 10);
            if (!KNOWN[code]) {
                continue;
            }
            int national = digits.length() - length;
            if (national < SHORTEST_NATIONAL || national > LONGEST_NATIONAL || digits.charAt(length) == '0') {
                return null;
            }
            Pattern prefix = NATIONAL_PREFIX[code];
            if (prefix != null && prefix.matcher(digits).region(length, digits.length()).lookingAt()) {
                return null;
            }
            return new PhoneNumber().setCountryCode(code).setNationalNumber(Long.parseLong(digits, length,
                    digits.length(), 10));
        }
        return null;
    }

    private static boolean isAsciiDigits(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c < '0' || c > '9') {
                return false;
            }
        }
        return true;
    }
}
