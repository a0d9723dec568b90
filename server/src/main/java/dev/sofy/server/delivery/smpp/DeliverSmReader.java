package dev.sofy.server.delivery.smpp;

import dev.sofy.server.delivery.CarrierEvent;
import dev.sofy.server.delivery.CarrierEvent.DeliveryReceipt;
import dev.sofy.server.delivery.CarrierEvent.InboundMessage;
import dev.sofy.server.delivery.CarrierEvent.Outcome;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Optional;
import org.jsmpp.bean.DeliverSm;
import org.jsmpp.bean.MessageState;
import org.jsmpp.bean.OptionalParameter;
import org.jsmpp.util.InvalidDeliveryReceiptException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a deliver_sm means: a delivery receipt (esm_class message type 0x04) or a message from a
 * handset. Receipts are read from their TLVs (receipted_message_id, message_state,
 * network_error_code) where present, else from the receipt text. The text's done date has no
 * time zone and minute precision in SMPP 3.4, so {@code doneAt} is when the receipt arrived.
 */
final class DeliverSmReader {
    private static final Logger log = LoggerFactory.getLogger(DeliverSmReader.class);

    private DeliverSmReader() {}

    /**
     * The event, or nothing for an intermediate receipt (en route, accepted) or one that names no
     * message; a receipt names {@code carrier}, whose link it came on.
     */
    static Optional<CarrierEvent> read(String carrier, DeliverSm deliverSm, Instant receivedAt) {
        if (deliverSm.isSmscDeliveryReceipt()) {
            return receipt(carrier, deliverSm, receivedAt).map(CarrierEvent.class::cast);
        }
        String text = ShortMessages.text(deliverSm.getDataCoding(), deliverSm.isUdhi(), content(deliverSm));
        return Optional.of(new InboundMessage(deliverSm.getSourceAddr(), deliverSm.getDestAddress(), text, receivedAt));
    }

    private static Optional<DeliveryReceipt> receipt(String carrier, DeliverSm deliverSm, Instant receivedAt) {
        byte[] content = content(deliverSm);
        org.jsmpp.bean.DeliveryReceipt text = null;
        try {
            text = new org.jsmpp.bean.DeliveryReceipt(new String(content, StandardCharsets.ISO_8859_1));
        } catch (InvalidDeliveryReceiptException e) {
            log.debug("Delivery receipt text not in the usual format: {}", e.getMessage());
        }
        var receiptedId = deliverSm.getOptionalParameter(OptionalParameter.Receipted_message_id.class);
        String messageId = receiptedId != null ? receiptedId.getValueAsString() : text != null ? text.getId() : null;
        var stateParameter = deliverSm.getOptionalParameter(OptionalParameter.Message_state.class);
        String state = stateParameter != null ? stateName(stateParameter.getValue()) : null;
        if (state == null && text != null && text.getFinalStatus() != null) {
            state = text.getFinalStatus().name();
        }
        if (messageId == null || messageId.isEmpty() || state == null) {
            log.warn("Ignoring a delivery receipt that names no message or state: {}",
                    new String(content, StandardCharsets.ISO_8859_1));
            return Optional.empty();
        }
        Optional<Outcome> outcome = outcome(state);
        if (outcome.isEmpty()) {
            log.debug("Ignoring an intermediate receipt for {}: {}", messageId, state);
            return Optional.empty();
        }
        String errorCode = null;
        if (outcome.get() != Outcome.DELIVERED) {
            var networkError = deliverSm.getOptionalParameter(OptionalParameter.Network_error_code.class);
            if (text != null && text.getError() != null && !text.getError().isBlank()) {
                errorCode = text.getError();
            } else if (networkError != null) {
                errorCode = String.valueOf(networkError.getErrorCode());
            }
        }
        return Optional.of(new DeliveryReceipt(carrier, messageId, outcome.get(), errorCode, receivedAt));
    }

    /**
     * The final outcome a state stands for, or nothing while the message is still on its way.
     * {@code state} is a receipt text's stat (DELIVRD, UNDELIV...) or a message_state TLV's name.
     */
    static Optional<Outcome> outcome(String state) {
        switch (state) {
            case "DELIVRD":
            case "DELIVERED":
                return Optional.of(Outcome.DELIVERED);
            case "EXPIRED":
                return Optional.of(Outcome.EXPIRED);
            case "UNDELIV":
            case "UNDELIVERABLE":
            case "REJECTD":
            case "REJECTED":
            case "DELETED":
            case "UNKNOWN":
            case "SKIPPED":
                return Optional.of(Outcome.UNDELIVERED);
            default:
                return Optional.empty();
        }
    }

    private static String stateName(byte messageState) {
        try {
            return MessageState.valueOf(messageState).name();
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    /** short_message, or the message_payload TLV that replaces it for long content. */
    private static byte[] content(DeliverSm deliverSm) {
        byte[] shortMessage = deliverSm.getShortMessage();
        if (shortMessage != null && shortMessage.length > 0) {
            return shortMessage;
        }
        var payload = deliverSm.getOptionalParameter(OptionalParameter.Message_payload.class);
        return payload != null ? payload.getValue() : new byte[0];
    }
}
