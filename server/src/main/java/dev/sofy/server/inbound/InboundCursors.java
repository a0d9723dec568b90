package dev.sofy.server.inbound;

import dev.sofy.server.sms.SmsIds;
import java.nio.charset.StandardCharsets;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.Optional;

/**
 * Opaque page cursors, as the SMS list's: the position of a page's last inbound SMS (reception
 * time in microseconds and id), base64url-encoded. Their own version tag, so that a cursor of
 * the SMS list is refused here rather than taken for a place in another list.
 */
final class InboundCursors {
    private static final String VERSION = "i1";

    private InboundCursors() {}

    static String encode(InboundStore.Position position) {
        long micros = ChronoUnit.MICROS.between(Instant.EPOCH, position.receivedAt());
        String plain = VERSION + ":" + micros + ":" + position.id();
        return Base64.getUrlEncoder().withoutPadding().encodeToString(plain.getBytes(StandardCharsets.US_ASCII));
    }

    static Optional<InboundStore.Position> decode(String cursor) {
        try {
            String[] fields = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.US_ASCII).split(":", 3);
            if (fields.length != 3 || !fields[0].equals(VERSION) || !SmsIds.isWellFormed(fields[2])) {
                return Optional.empty();
            }
            Instant receivedAt = Instant.EPOCH.plus(Long.parseLong(fields[1]), ChronoUnit.MICROS);
            return Optional.of(new InboundStore.Position(receivedAt, fields[2]));
        } catch (IllegalArgumentException | ArithmeticException | DateTimeException e) {
            return Optional.empty();
        }
    }
}
