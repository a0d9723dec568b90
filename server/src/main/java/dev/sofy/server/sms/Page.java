package dev.sofy.server.sms;

import java.util.List;

/** A page of SMS, newest first; {@code nextCursor} is null on the last page. */
public record Page(List<Message> messages, String nextCursor) {
    public Page {
        messages = List.copyOf(messages);
    }
}
