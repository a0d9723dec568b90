package dev.sofy.server.sms;

import java.time.Instant;

/** An SMS of an account, as the domain and storage know it. */
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
        Instant updatedAt) {}
