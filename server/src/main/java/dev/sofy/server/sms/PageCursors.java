package dev.sofy.server.sms;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.Optional;

/**
 * Opaque page cursors: the position of a page's last SMS (creation time in microseconds and
 * id), base64url-encoded. Opaque so that clients do not build them and the format can change.
 */
final class PageCursors {
    private static final String VERSION = "1";

    private PageCursors() {}

    static String encode(SmsStore.Position position) {
        long micros = ChronoUnit.MICROS.between(Instant.EPOCH, position.createdAt());
        String plain = VERSION + ":" + micros + ":" + position.id();
        return Base64.getUrlEncoder().withoutPadding().encodeToString(plain.getBytes(StandardCharsets.US_ASCII));
    }

    static Optional<SmsStore.Position> decode(String cursor) {
        try {
            String[] fields = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.US_ASCII).split(":", 3);
            if (fields.length != 3 || !fields[0].equals(VERSION) || !SmsIds.isWellFormed(fields[2])) {
                return Optional.empty();
            }
            Instant createdAt = Instant.EPOCH.plus(Long.parseLong(fields[1]), ChronoUnit.MICROS);
            return Optional.of(new SmsStore.Position(createdAt, fields[2]));
        } catch (IllegalArgumentException | ArithmeticException | java.time.DateTimeException e) {
            return Optional.empty();
        }
    }
}
