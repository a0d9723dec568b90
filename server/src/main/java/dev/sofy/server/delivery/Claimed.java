package dev.sofy.server.delivery;

import java.time.Instant;

/**
 * A pending SMS this node has claimed for dispatch, with what it takes to submit it: the text
 * to send, and for the marketing rules, whether it is transactional and whether its recipient
 * opted out of the account's marketing; for routing, the name of its account.
 */
public record Claimed(String smsId, long accountId, String accountName, String from, String to, String text, boolean transactional,
                      boolean recipientOptedOut, int attempts, Instant expiresAt) {}
