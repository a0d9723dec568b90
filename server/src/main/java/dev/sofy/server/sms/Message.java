package dev.sofy.server.sms;

import java.time.Instant;

/**
 * An SMS of an account, as the domain and storage know it. {@code updatedAt} is when it got its
 * current status; {@code expiresAt} ends its validity: no receipt by then means none will come.
 * {@code sentText} is what goes to the carrier when it is not the body (short links, an opt-out
 * mention); {@code heldUntil}, when a marketing SMS waits for its sending window; {@code carrier},
 * the name of the carrier that took it (null while pending); {@code sendAt}, when the client asked
 * for it to be sent, if it did.
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
        Instant expiresAt,
        String sentText,
        Instant heldUntil,
        String carrier,
        Instant sendAt) {

    /** An SMS no carrier has taken yet, sent as soon as it was accepted. */
    public Message(String id, long accountId, String from, String to, String body, boolean shortenUrls,
                   boolean transactional, Status status, String statusReason, Instant createdAt, Instant updatedAt,
                   int segments, String encoding, Instant expiresAt, String sentText, Instant heldUntil) {
        this(id, accountId, from, to, body, shortenUrls, transactional, status, statusReason, createdAt, updatedAt,
                segments, encoding, expiresAt, sentText, heldUntil, null, null);
    }

    /** The SMS as it was when it was accepted, for replaying that answer. */
    public Message asAccepted() {
        return new Message(id, accountId, from, to, body, shortenUrls, transactional, Status.PENDING,
                "", createdAt, createdAt, segments, encoding, expiresAt, sentText, heldUntil, null, sendAt);
    }

    /** The same SMS, asked to be sent at {@code time}. */
    public Message withSendAt(Instant time) {
        return new Message(id, accountId, from, to, body, shortenUrls, transactional, status, statusReason, createdAt,
                updatedAt, segments, encoding, expiresAt, sentText, heldUntil, carrier, time);
    }

    /** The text the carrier gets. */
    public String textToSend() {
        return sentText == null ? body : sentText;
    }

    /** The same SMS with the status it had at a given change; no carrier had it while it was pending. */
    public Message withStatus(Status newStatus, String reason, Instant changedAt) {
        return new Message(id, accountId, from, to, body, shortenUrls, transactional, newStatus, reason, createdAt,
                changedAt, segments, encoding, expiresAt, sentText, heldUntil, newStatus == Status.PENDING ? null : carrier,
                sendAt);
    }
}
