package dev.sofy.server.delivery;

import java.time.Instant;

/**
 * An SMS as handed to a carrier: the text actually sent (after link shortening and any
 * opt-out mention), with the encoding and parts it needs. {@code validUntil} is when the SMS
 * stops being worth delivering, for the carrier's own attempts; null when there is no limit.
 */
public record OutboundSms(String smsId, String from, String to, String text, Instant validUntil) {

    /** An SMS with no validity of its own: the carrier's default applies. */
    public OutboundSms(String smsId, String from, String to, String text) {
        this(smsId, from, to, text, null);
    }
}
