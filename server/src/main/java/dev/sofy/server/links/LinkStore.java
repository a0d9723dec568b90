package dev.sofy.server.links;

import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/** Where short links are followed. */
public interface LinkStore {

    /**
     * Queues a click on the link with this code to be counted; completes once it is committed. Its
     * {@code sms.click} events are recorded later, as status events are. A code with no link
     * counts nothing.
     */
    CompletableFuture<Void> click(String code, Instant at);

    /** The original URL of the link with this code, read only; empty when there is no such link. */
    Optional<String> find(String code);
}
