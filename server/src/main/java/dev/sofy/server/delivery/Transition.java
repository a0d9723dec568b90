package dev.sofy.server.delivery;

import java.time.Instant;
import java.util.List;

/** A change in the life of an SMS, as the dispatcher records it. */
public sealed interface Transition {

    /** The carrier named {@code carrier} took every part: {@code pending} to {@code sent}. */
    record Sent(String smsId, String carrier, List<String> carrierMessageIds, Instant at) implements Transition {
        public Sent {
            carrierMessageIds = List.copyOf(carrierMessageIds);
        }
    }

    /** Processing failed for good: {@code pending} to {@code errored}. */
    record Errored(String smsId, String reason, Instant at) implements Transition {}

    /** The carrier could not take it now: stays {@code pending}, tried again from {@code nextAttemptAt}. */
    record RetryLater(String smsId, Instant nextAttemptAt) implements Transition {}

    /**
     * A marketing SMS whose sending window is closed: stays {@code pending}, held until the
     * window opens, and is tried again then.
     */
    record Held(String smsId, Instant until) implements Transition {}

    /** A delivery receipt for one part; once every part has one, {@code sent} becomes final. */
    record Receipt(CarrierEvent.DeliveryReceipt receipt) implements Transition {}

    /**
     * Ends what can no longer succeed at {@code now}: a {@code sent} SMS whose validity ended
     * without a receipt, and a {@code pending} one that could not be submitted in time.
     */
    record Expire(Instant now) implements Transition {}
}
