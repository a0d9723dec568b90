package dev.sofy.server.http.wire;

import dev.sofy.server.inbound.InboundSms;
import java.time.ZoneOffset;

/** The InboundSms resource of the spec, as HTTP answers and webhook events show it. */
public final class InboundResources {
    private InboundResources() {}

    public static dev.sofy.api.model.InboundSms of(InboundSms message) {
        return new dev.sofy.api.model.InboundSms()
                .id(message.id())
                .from(message.from())
                .to(message.to())
                .text(message.text())
                .receivedAt(message.receivedAt().atOffset(ZoneOffset.UTC));
    }
}
