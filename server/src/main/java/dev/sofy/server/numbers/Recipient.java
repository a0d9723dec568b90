package dev.sofy.server.numbers;

import com.google.i18n.phonenumbers.Phonenumber.PhoneNumber;
import java.util.Objects;

/**
 * A valid recipient, read once: its international digits without {@code +} (as stored), and
 * libphonenumber's reading of it with the region it was found valid in, so that the rules that
 * need the region (the French territories) do not read and check the number again.
 */
public record Recipient(String digits, PhoneNumber number, String region) {
    public Recipient {
        Objects.requireNonNull(digits, "digits");
        Objects.requireNonNull(number, "number");
        Objects.requireNonNull(region, "region");
    }
}
