package dev.sofy.server.sms;

import dev.sofy.api.model.SmsCreateRequest;
import dev.sofy.server.account.Account;
import dev.sofy.server.validation.ValidationException;
import dev.sofy.server.validation.Violation;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;

/**
 * Takes SMS in and reads them back. The structure of a request (types, required fields, lengths)
 * has been checked against the spec before it gets here; this checks what the spec cannot say.
 */
public final class SmsService {
    static final String INVALID_RECIPIENT =
            "must be a valid international phone number, country code first, such as 33612345678";
    static final String INVALID_SENDER = "must be an alphanumeric sender of 1 to 11 characters (ASCII letters,"
            + " digits and spaces, at least one letter), a short code of 3 to 8 digits,"
            + " or a valid international phone number";

    private final SmsStore store;
    private final Clock clock;

    public SmsService(SmsStore store, Clock clock) {
        this.store = store;
        this.clock = clock;
    }

    /** Stores the SMS as pending and returns it; when this returns, the SMS is committed. */
    public Message send(Account account, SmsCreateRequest request) {
        List<Violation> violations = violations(request);
        if (!violations.isEmpty()) {
            throw new ValidationException(violations);
        }
        String recipient = Addresses.normaliseRecipient(request.getTo()).orElseThrow();
        // Both databases keep microseconds; truncating makes what is read back equal what was written.
        Instant now = clock.instant().truncatedTo(ChronoUnit.MICROS);
        var message = new Message(
                SmsIds.next(),
                account.id(),
                request.getFrom(),
                recipient,
                request.getBody(),
                !Boolean.FALSE.equals(request.getShortenUrls()),
                Boolean.TRUE.equals(request.getIsTransactional()),
                Status.PENDING,
                "",
                now,
                now);
        store.insert(message);
        return message;
    }

    /**
     * What is wrong with the request's sender and recipient. A field that is null is skipped: its
     * absence is the spec's business, and this also runs on requests the spec already refused, so
     * that one answer lists every bad field.
     */
    public List<Violation> violations(SmsCreateRequest request) {
        List<Violation> violations = new ArrayList<>(2);
        if (request.getFrom() != null && !Addresses.isValidSender(request.getFrom())) {
            violations.add(new Violation("from", INVALID_SENDER));
        }
        if (request.getTo() != null && Addresses.normaliseRecipient(request.getTo()).isEmpty()) {
            violations.add(new Violation("to", INVALID_RECIPIENT));
        }
        return violations;
    }

    public Message get(Account account, String id) {
        if (!SmsIds.isWellFormed(id)) {
            throw new SmsNotFoundException();
        }
        return store.find(account.id(), id).orElseThrow(() -> new SmsNotFoundException());
    }
}
