package dev.sofy.server.http.wire;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.sofy.api.model.WebhookEvent;
import dev.sofy.api.model.WebhookEventData;
import dev.sofy.api.model.WebhookEventType;
import dev.sofy.server.webhooks.Delivery;
import dev.sofy.server.webhooks.WebhookPayloads;
import java.io.UncheckedIOException;
import java.time.ZoneOffset;
import java.util.List;
import java.util.function.Supplier;

/**
 * Webhook payloads: a delivery as the spec's {@code WebhookEvent}, its SMS (or inbound SMS) shown as
 * HTTP answers show it.
 */
public final class WebhookEvents implements WebhookPayloads {
    private final Supplier<String> publicBaseUrl;

    /** @param publicBaseUrl where short links are followed, known once the server listens */
    public WebhookEvents(Supplier<String> publicBaseUrl) {
        this.publicBaseUrl = publicBaseUrl;
    }

    @Override
    public byte[] of(Delivery delivery) {
        var data = new WebhookEventData();
        if (delivery.inbound() != null) {
            data.inboundSms(InboundResources.of(delivery.inbound()));
        } else {
            List<SmsResources.Link> links = delivery.links().stream().map(this::link).toList();
            data.sms(SmsResources.of(delivery.sms(), links));
        }
        if (delivery.clicked() != null) {
            data.link(SmsResources.link(link(delivery.clicked())));
        }
        var event = new WebhookEvent()
                .type(WebhookEventType.fromValue(delivery.type().wireName()))
                .timestamp(delivery.occurredAt().atOffset(ZoneOffset.UTC))
                .sequence(delivery.sequence())
                .data(data);
        try {
            return Json.MAPPER.writeValueAsBytes(event);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    private SmsResources.Link link(Delivery.Link link) {
        return new SmsResources.Link(link.url(), publicBaseUrl.get() + "/r/" + link.code(), link.clicks());
    }
}
