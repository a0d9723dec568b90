package dev.sofy.server.delivery.smpp;

import dev.sofy.server.delivery.CarrierEvent.Outcome;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jsmpp.bean.MessageState;

/** What a query_sm_resp says: its message_state as an outcome, its final_date as an instant. */
final class QueryStates {
    /** SMPP 3.4 absolute time, YYMMDDhhmmsstnnp: tenths, quarter hours from UTC, and + or - (R is relative). */
    private static final Pattern ABSOLUTE = Pattern.compile("([0-9]{12})([0-9])([0-9]{2})([+-])");
    private static final DateTimeFormatter LOCAL = DateTimeFormatter.ofPattern("uuMMddHHmmss");

    private QueryStates() {}

    /** The final outcome of a message in {@code state}, or nothing while it is still open. */
    static Optional<Outcome> outcome(MessageState state) {
        return switch (state) {
            case DELIVERED -> Optional.of(Outcome.DELIVERED);
            case UNDELIVERABLE, REJECTED, DELETED -> Optional.of(Outcome.UNDELIVERED);
            case EXPIRED -> Optional.of(Outcome.EXPIRED);
            case ENROUTE, ACCEPTED, SCHEDULED, UNKNOWN, SKIPPED -> Optional.empty();
        };
    }

    /** The instant of an absolute final_date; nothing when it is empty, relative or malformed. */
    static Optional<Instant> finalDate(String finalDate) {
        if (finalDate == null) {
            return Optional.empty();
        }
        Matcher parts = ABSOLUTE.matcher(finalDate);
        if (!parts.matches()) {
            return Optional.empty();
        }
        try {
            int quarters = Integer.parseInt(parts.group(3));
            int offsetSeconds = quarters * 15 * 60 * (parts.group(4).equals("-") ? -1 : 1);
            LocalDateTime local = LocalDateTime.parse(parts.group(1), LOCAL)
                    .plusNanos(Integer.parseInt(parts.group(2)) * 100_000_000L);
            return Optional.of(local.toInstant(ZoneOffset.ofTotalSeconds(offsetSeconds)));
        } catch (DateTimeException e) {
            return Optional.empty();
        }
    }
}
