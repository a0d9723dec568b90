package dev.sofy.server.inbound;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/** Where inbound SMS are kept. */
public interface InboundStore {

    /** A message from a handset, normalised: {@code from} in international digits. */
    record Received(String from, String to, String text, Instant receivedAt) {}

    /** The place of an inbound SMS in its account's list, newest first. */
    record Position(Instant receivedAt, String id) {}

    /**
     * Stores the message, under a new id from {@code ids}, for each account that sent an SMS to
     * its {@code from} since {@code reachSince}, except an account that already has the same
     * message (same from, to and text) received since {@code duplicateSince}; with the
     * {@code sms.received} webhook events of those accounts' endpoints, all in one transaction,
     * committed when this returns. Returns what it stored.
     */
    List<InboundSms> receive(Received message, Instant reachSince, Instant duplicateSince, Supplier<String> ids);

    Optional<InboundSms> find(long accountId, String id);

    /**
     * Up to {@code limit} inbound SMS of the account, newest first, after {@code after} when it is
     * not null; null filters do not filter. {@code receivedFrom} is inclusive, {@code receivedTo} not.
     */
    List<InboundSms> list(long accountId, int limit, Position after, String from, String to, Instant receivedFrom,
                          Instant receivedTo);
}
