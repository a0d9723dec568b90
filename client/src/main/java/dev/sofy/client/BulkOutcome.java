package dev.sofy.client;

import dev.sofy.client.model.Sms;
import dev.sofy.client.model.SmsCreateRequest;
import java.util.Optional;

/** What became of one SMS of a bulk run: the SMS the server created, or why there is none. */
public final class BulkOutcome {
    private final int index;
    private final SmsCreateRequest request;
    private final String idempotencyKey;
    private final int attempts;
    private final Sms sms;
    private final BulkFailure failure;

    private BulkOutcome(int index, SmsCreateRequest request, String idempotencyKey, int attempts, Sms sms,
                        BulkFailure failure) {
        this.index = index;
        this.request = request;
        this.idempotencyKey = idempotencyKey;
        this.attempts = attempts;
        this.sms = sms;
        this.failure = failure;
    }

    static BulkOutcome sent(int index, SmsCreateRequest request, String idempotencyKey, int attempts, Sms sms) {
        return new BulkOutcome(index, request, idempotencyKey, attempts, sms, null);
    }

    static BulkOutcome failed(int index, SmsCreateRequest request, String idempotencyKey, int attempts,
                              BulkFailure failure) {
        return new BulkOutcome(index, request, idempotencyKey, attempts, null, failure);
    }

    /** The position of the request in the list given to {@link BulkSender#send}. */
    public int index() {
        return index;
    }

    public SmsCreateRequest request() {
        return request;
    }

    /** The {@code Idempotency-Key} every attempt of this SMS carried. */
    public String idempotencyKey() {
        return idempotencyKey;
    }

    /** How many requests were made for this SMS, refused ones included. */
    public int attempts() {
        return attempts;
    }

    public boolean isSent() {
        return sms != null;
    }

    /** The SMS as the server created it, with its id, when it was sent. */
    public Optional<Sms> sms() {
        return Optional.ofNullable(sms);
    }

    /** Why it was not sent, when it was not. */
    public Optional<BulkFailure> failure() {
        return Optional.ofNullable(failure);
    }

    @Override
    public String toString() {
        return "#" + index + " " + (isSent() ? "sent as " + sms.getId() : failure) + " after " + attempts
                + (attempts == 1 ? " attempt" : " attempts") + ", Idempotency-Key " + idempotencyKey;
    }
}
