package dev.sofy.server.webhooks;

import dev.sofy.server.inbound.InboundSms;
import dev.sofy.server.sms.Message;
import java.time.Instant;
import java.util.List;

/**
 * An event claimed for delivery to one endpoint, with all the payload needs: the SMS as it was
 * at the event (its status from the status change) with its links, and for a click, the link;
 * for {@code sms.received}, the inbound SMS alone ({@code sms} is null, {@code links} empty).
 * {@code eventId} stays the same across retries; {@code sequence} increases with the endpoint's
 * events of every type.
 */
public record Delivery(long id, String endpointId, String url, String secret, EventType type, String eventId,
                       long sequence, Instant occurredAt, int attempts, Message sms, List<Link> links, Link clicked,
                       InboundSms inbound) {

    public Delivery {
        links = List.copyOf(links);
    }

    /** An event about an SMS sent. */
    public Delivery(long id, String endpointId, String url, String secret, EventType type, String eventId,
                    long sequence, Instant occurredAt, int attempts, Message sms, List<Link> links, Link clicked) {
        this(id, endpointId, url, secret, type, eventId, sequence, occurredAt, attempts, sms, links, clicked, null);
    }

    /** A short link of the SMS: its code, the original URL, and its clicks. */
    public record Link(String code, String url, long clicks) {}
}
