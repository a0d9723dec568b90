package dev.sofy.server.sms;

import java.time.Instant;

/**
 * An SMS a client asks to send, as it asked: {@code to} as written, not yet read as a number, and
 * the flags with their defaults applied. When a request was refused for its structure, the fields
 * it got wrong are null here, so that the rules can still report on the others. {@code sendAt}
 * (when to send it) and {@code validitySeconds} (how long it may wait for a carrier) are null
 * when not given.
 */
public record SmsToSend(String from, String to, String body, boolean shortenUrls, boolean transactional,
                        Instant sendAt, Integer validitySeconds) {

    /** An SMS to send at once, with the server's validity. */
    public SmsToSend(String from, String to, String body, boolean shortenUrls, boolean transactional) {
        this(from, to, body, shortenUrls, transactional, null, null);
    }
}
