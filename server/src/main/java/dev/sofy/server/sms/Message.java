package dev.sofy.server.sms;

import java.time.Instant;

/**
 * An SMS of an account, as the domain and storage know it. {@code updatedAt} is when it got its
 * current status; {@code expiresAt} ends its validity: no receipt by then means none will come.
 */
public record Message(
        String id,
        long accountId,
        String from,
        String to,
        String body,
        boolean shortenUrls,
        boolean transactional,
        Status status,
        String statusReason,
        Instant createdAt,
        Instant updatedAt,
        int segments,
        String encoding,
        Instant expiresAt) {

    /** The SMS as it was when it was accepted, for replaying that answer. */
    public Message asAccepted() {
        return new Message(id, accountId, from, to, body, shortenUrls, transactional, Status.PENDING, "",
                createdAt, createdAt, segments, encoding, expiresAt);
    }
}
