package dev.sofy.server.inbound;

import java.time.Instant;

/**
 * An SMS a handset sent to a sender of an account, as that account sees it: each account it
 * reaches has its own id for it.
 *
 * @param from the handset's number, international digits without {@code +}
 * @param to the account's sender it was sent to, as the carrier gave it (digits without {@code +})
 */
public record InboundSms(String id, long accountId, String from, String to, String text, Instant receivedAt) {}
