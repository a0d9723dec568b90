package dev.sofy.server.sms;


import dev.sofy.server.links.TrackedLink;
import java.util.List;

/**
 * An SMS taken in: just now, or earlier by a request with the same idempotency key
 * ({@code replayed}); with its short links, so that the answer needs no second read.
 */
public record Accepted(Message message, List<TrackedLink> links, boolean replayed) {
    public Accepted {
        links = List.copyOf(links);
    }
}
