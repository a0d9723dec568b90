package dev.sofy.server.delivery;

import java.time.Instant;

/** What a carrier tells us on its own initiative. */
public sealed interface CarrierEvent {

    /**
     * The final fate of one submitted part, from a delivery receipt of the carrier named
     * {@code carrier}: its message ids are its own, another carrier may issue the same.
     */
    record DeliveryReceipt(String carrier, String carrierMessageId, Outcome outcome, String errorCode, Instant doneAt)
            implements CarrierEvent {}

    /** A message from a handset to one of our senders (for example a STOP reply). */
    record InboundMessage(String from, String to, String text, Instant receivedAt) implements CarrierEvent {}

    /** What a receipt says became of a part. */
    enum Outcome {
        DELIVERED,
        /** Not delivered: refused by the network or the handset, or deleted. */
        UNDELIVERED,
        /** The validity period ended before delivery. */
        EXPIRED
    }
}
