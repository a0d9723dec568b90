package dev.sofy.server.inbound;

import java.util.List;

/** A page of inbound SMS, newest first; {@code nextCursor} is null on the last page. */
public record InboundPage(List<InboundSms> messages, String nextCursor) {
    public InboundPage {
        messages = List.copyOf(messages);
    }
}
