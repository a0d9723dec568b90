package dev.sofy.server.delivery.smpp;

import java.util.regex.Pattern;
import org.jsmpp.bean.NumberingPlanIndicator;
import org.jsmpp.bean.TypeOfNumber;

/** An address as SMPP carries it: type of number, numbering plan and the address itself. */
record SmppAddress(TypeOfNumber ton, NumberingPlanIndicator npi, String address) {
    private static final Pattern SHORT_CODE = Pattern.compile("[0-9]{3,8}");
    private static final Pattern INTERNATIONAL = Pattern.compile("\\+?[0-9]+");

    /** A sender: a short code (TON 3), an international number (TON 1, NPI 1) or an alphanumeric name (TON 5). */
    static SmppAddress sender(String from) {
        if (SHORT_CODE.matcher(from).matches()) {
            return new SmppAddress(TypeOfNumber.NETWORK_SPECIFIC, NumberingPlanIndicator.UNKNOWN, from);
        }
        if (INTERNATIONAL.matcher(from).matches()) {
            return recipient(from);
        }
        return new SmppAddress(TypeOfNumber.ALPHANUMERIC, NumberingPlanIndicator.UNKNOWN, from);
    }

    /** A handset: international digits (TON 1, NPI 1), without any leading {@code +}. */
    static SmppAddress recipient(String to) {
        String digits = to.startsWith("+") ? to.substring(1) : to;
        return new SmppAddress(TypeOfNumber.INTERNATIONAL, NumberingPlanIndicator.ISDN, digits);
    }
}
