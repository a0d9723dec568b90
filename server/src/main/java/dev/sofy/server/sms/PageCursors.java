package dev.sofy.server.sms;

import java.nio.charset.StandardCharsets;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.Optional;

/**
 * Opaque page cursors: the position of a page's last item (its time in microseconds and its id),
 * base64url-encoded. Opaque so that clients do not build them and the format can change. Each
 * list tags its cursors, so that a cursor of one list is refused by another rather than taken
 * for a place in it.
 */
public final class PageCursors {

    /** Where a page ended: the time the list is ordered by, then the id. */
    public record Position(Instant at, String id) {}

    private PageCursors() {}

    public static String encode(String tag, Position position) {
        long micros = ChronoUnit.MICROS.between(Instant.EPOCH, position.at());
        String plain = tag + ":" + micros + ":" + position.id();
        return Base64.getUrlEncoder().withoutPadding().encodeToString(plain.getBytes(StandardCharsets.US_ASCII));
    }

    public static Optional<Position> decode(String tag, String cursor) {
        try {
            String[] fields = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.US_ASCII).split(":", 3);
            if (fields.length != 3 || !fields[0].equals(tag) || !SmsIds.isWellFormed(fields[2])) {
                return Optional.empty();
            }
            Instant at = Instant.EPOCH.plus(Long.parseLong(fields[1]), ChronoUnit.MICROS);
            return Optional.of(new Position(at, fields[2]));
        } catch (IllegalArgumentException | ArithmeticException | DateTimeException e) {
            return Optional.empty();
        }
    }
}
