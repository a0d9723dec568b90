package dev.sofy.server.numbers;

import com.google.i18n.phonenumbers.PhoneNumberUtil;
import com.google.i18n.phonenumbers.PhoneNumberUtil.PhoneNumberFormat;
import java.util.Optional;
import java.util.regex.Pattern;

/** Phone numbers as clients write them, international and country code first, checked by libphonenumber. */
public final class PhoneNumbers {
    private static final PhoneNumberUtil PHONE_NUMBERS = PhoneNumberUtil.getInstance();
    /** Digits, an optional leading +, and the separators people type between digits. */
    private static final Pattern INTERNATIONAL = Pattern.compile("\\+?[0-9]([0-9 ().-]*[0-9])?");
    private static final Pattern SEPARATORS = Pattern.compile("[ ().-]");

    private PhoneNumbers() {}

    /** The recipient as international digits without {@code +}, if it is a valid number. */
    public static Optional<String> normaliseRecipient(String to) {
        return recipient(to).map(Recipient::digits);
    }

    /** The recipient, if it is a valid number, with the region libphonenumber found it valid in. */
    public static Optional<Recipient> recipient(String to) {
        if (to == null || !INTERNATIONAL.matcher(to).matches()) {
            return Optional.empty();
        }
        return valid(SEPARATORS.matcher(to).replaceAll(""));
    }

    private static Optional<Recipient> valid(String number) {
        String digits = number.startsWith("+") ? number.substring(1) : number;
        if (digits.length() > 15) {
            return Optional.empty();
        }
        return InternationalNumbers.parse(digits).flatMap(parsed -> {
            // What isValidNumber does, keeping the region it finds.
            String region = PHONE_NUMBERS.getRegionCodeForNumber(parsed);
            if (!PHONE_NUMBERS.isValidNumberForRegion(parsed, region)) {
                return Optional.empty();
            }
            return Optional.of(new Recipient(PHONE_NUMBERS.format(parsed, PhoneNumberFormat.E164).substring(1),
                    parsed, region));
        });
    }
}
