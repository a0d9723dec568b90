package dev.sofy.server.inbound;

import dev.sofy.server.account.Account;
import dev.sofy.server.numbers.PhoneNumbers;
import dev.sofy.server.sms.PageCursors;
import dev.sofy.server.sms.SmsIds;
import dev.sofy.server.validation.ValidationException;
import dev.sofy.server.validation.Violation;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Inbound SMS. A message from a handset reaches the accounts that sent an SMS to its number in
 * the {@link #REPLY_REACH} before it came: it answers their conversation. Each of them gets it
 * in its list and as an {@code sms.received} webhook event; one that reaches no account is
 * dropped, since no account could read it.
 */
public final class InboundService {
    private static final Logger LOG = LoggerFactory.getLogger(InboundService.class);
    /** The tag of this list's page cursors, apart from the SMS list's. */
    private static final String CURSORS = "i1";
    /** How far back a reply reaches: the accounts that sent to the number within this. */
    public static final Duration REPLY_REACH = Duration.ofDays(30);
    /**
     * The same message from the same handset to the same sender within this is taken for the
     * SMSC delivering it again after our acknowledgement was lost, and is kept once. A person
     * sending the very same text twice within it is kept once too, which loses nothing.
     */
    public static final Duration DUPLICATE_WINDOW = Duration.ofMinutes(10);
    /** The longest text kept, in code points, as for the SMS sent; longer ones are cut. */
    static final int MAX_TEXT = 1600;
    /** An SMPP address has at most 21 characters. */
    static final int MAX_ADDRESS = 21;
    private static final Pattern INTERNATIONAL_DIGITS = Pattern.compile("\\+[0-9]+");
    /** What the {@code to} filter takes: a sender as an SMS's {@code from} is written, as the spec says. */
    private static final Pattern SENDER = Pattern.compile("\\+?[A-Za-z0-9]([A-Za-z0-9 ]*[A-Za-z0-9])?");
    private static final int MAX_SENDER = 16;
    private static final String INVALID_NUMBER =
            "must be a valid international phone number, country code first, such as 33612345678";

    private final InboundStore store;

    public InboundService(InboundStore store) {
        this.store = store;
    }

    /**
     * Keeps a message from a handset for the accounts it reaches, committed with its webhook
     * events when this returns; returns what each account got, empty when it reached none or
     * was a duplicate.
     */
    public List<InboundSms> receive(String from, String to, String text, Instant receivedAt) {
        Optional<String> number = PhoneNumbers.normaliseRecipient(from);
        if (number.isEmpty()) {
            LOG.info("An inbound SMS from an address that is not a valid number reached no account");
            return List.of();
        }
        Instant at = receivedAt.truncatedTo(ChronoUnit.MICROS);
        var message = new InboundStore.Received(number.get(), clipped(address(to == null ? "" : to), MAX_ADDRESS),
                clipped(text == null ? "" : text, MAX_TEXT), at);
        List<InboundSms> stored = store.receive(message, at.minus(REPLY_REACH), at.minus(DUPLICATE_WINDOW),
                () -> SmsIds.next(at));
        LOG.info("An inbound SMS reached {} account(s)", stored.size());
        return stored;
    }

    public InboundSms get(Account account, String id) {
        if (!SmsIds.isWellFormed(id)) {
            throw new InboundSmsNotFoundException();
        }
        return store.find(account.id(), id).orElseThrow(InboundSmsNotFoundException::new);
    }

    /** A page of the account's inbound SMS, newest first. */
    public InboundPage list(Account account, InboundQuery query) {
        List<Violation> violations = new ArrayList<>(2);
        InboundStore.Position after = query.cursor() == null ? null : PageCursors.decode(CURSORS, query.cursor())
                .map(position -> new InboundStore.Position(position.at(), position.id())).orElse(null);
        if (query.cursor() != null && after == null) {
            violations.add(new Violation("cursor", "is not a cursor this server gave"));
        }
        String from = query.from() == null ? null : PhoneNumbers.normaliseRecipient(query.from()).orElse(null);
        if (query.from() != null && from == null) {
            violations.add(new Violation("from", INVALID_NUMBER));
        }
        if (query.to() != null && (query.to().length() > MAX_SENDER || !SENDER.matcher(query.to()).matches())) {
            violations.add(new Violation("to", "must be a sender: an alphanumeric name, a short code or a number"));
        }
        if (!violations.isEmpty()) {
            throw new ValidationException(violations);
        }
        String to = query.to() == null ? null : address(query.to());
        // One more than asked tells whether there is a next page.
        List<InboundSms> found = store.list(account.id(), query.limit() + 1, after, from, to,
                query.receivedFrom(), query.receivedTo());
        if (found.size() <= query.limit()) {
            return new InboundPage(found, null);
        }
        List<InboundSms> page = found.subList(0, query.limit());
        InboundSms last = page.get(page.size() - 1);
        return new InboundPage(page, PageCursors.encode(CURSORS, new PageCursors.Position(last.receivedAt(), last.id())));
    }

    /** A sender as stored and filtered: a number in digits without {@code +}, anything else as is. */
    static String address(String address) {
        String trimmed = address.strip();
        return INTERNATIONAL_DIGITS.matcher(trimmed).matches() ? trimmed.substring(1) : trimmed;
    }

    private static String clipped(String text, int maxCodePoints) {
        if (text.codePointCount(0, text.length()) <= maxCodePoints) {
            return text;
        }
        return text.substring(0, text.offsetByCodePoints(0, maxCodePoints));
    }
}
