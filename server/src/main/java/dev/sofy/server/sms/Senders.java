package dev.sofy.server.sms;

import dev.sofy.server.numbers.PhoneNumbers;
import java.util.regex.Pattern;

/** The rule for senders: an alphanumeric name, a short code or a valid international number. */
final class Senders {
    private static final Pattern SHORT_CODE = Pattern.compile("[0-9]{3,8}");
    /** Twilio's rule for alphanumeric senders: ASCII letters, digits and spaces, at least one letter. */
    private static final Pattern ALPHANUMERIC = Pattern.compile("(?=.*[A-Za-z])[A-Za-z0-9 ]{1,11}");

    private Senders() {}

    /** Whether {@code from} is an alphanumeric sender, a short code or a valid international number. */
    static boolean isValid(String from) {
        if (from == null) {
            return false;
        }
        if (SHORT_CODE.matcher(from).matches() || ALPHANUMERIC.matcher(from).matches()) {
            return true;
        }
        return PhoneNumbers.recipient(from).isPresent();
    }
}
