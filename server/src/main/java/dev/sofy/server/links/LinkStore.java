package dev.sofy.server.links;

import java.time.Instant;
import java.util.Optional;

/** Where short links are followed. */
public interface LinkStore {

    /**
     * Counts a click on the link with this code and writes its {@code sms.click} events, in one
     * transaction; the original URL, or empty when there is no such link.
     */
    Optional<String> click(String code, Instant at);

    /** The original URL of the link with this code, nothing counted; empty when there is no such link. */
    Optional<String> find(String code);
}
