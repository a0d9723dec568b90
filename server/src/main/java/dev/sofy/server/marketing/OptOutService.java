package dev.sofy.server.marketing;

import dev.sofy.server.account.Account;
import dev.sofy.server.numbers.PhoneNumbers;
import dev.sofy.server.validation.ValidationException;
import dev.sofy.server.validation.Violation;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The opt-out lists: numbers that get no more marketing SMS from an account. A number comes on
 * a list through the API or by replying STOP (or one of the usual words) to an SMS: the reply
 * reaches a shared short code, so it puts the number on the list of every account that sent it
 * an SMS in the last {@link #REPLY_REACH}.
 */
public final class OptOutService {
    private static final Logger LOG = LoggerFactory.getLogger(OptOutService.class);
    /** How far back a STOP reply reaches: the accounts that sent to the number within this. */
    public static final Duration REPLY_REACH = Duration.ofDays(90);
    /** The words that opt out, in French and English, as carriers and Twilio recognise them. */
    private static final Set<String> STOP_WORDS = Set.of("STOP", "ARRET", "ARRÊT", "STOPALL", "UNSUBSCRIBE",
            "CANCEL", "END", "QUIT");
    private static final String INVALID_NUMBER =
            "must be a valid international phone number, country code first, such as 33612345678";

    /** A page of a list: the entries and, when there are more, where the next page starts. */
    public record Page(List<OptOut> entries, String nextCursor) {}

    private final OptOutStore store;
    private final Clock clock;

    public OptOutService(OptOutStore store, Clock clock) {
        this.store = store;
        this.clock = clock;
    }

    public OptOut add(Account account, String number) {
        return store.add(account.id(), normalised(number), OptOut.Source.API, now());
    }

    public void remove(Account account, String number) {
        Optional<String> digits = PhoneNumbers.normaliseRecipient(number);
        if (digits.isEmpty() || !store.remove(account.id(), digits.get())) {
            throw new OptOutNotFoundException();
        }
    }

    public Page list(Account account, int limit, String cursor) {
        if (cursor != null && !cursor.matches("[0-9]{1,15}")) {
            throw new ValidationException(new Violation("cursor", "is not a cursor this server gave"));
        }
        List<OptOut> found = store.list(account.id(), limit + 1, cursor);
        if (found.size() <= limit) {
            return new Page(found, null);
        }
        List<OptOut> page = found.subList(0, limit);
        return new Page(page, page.get(page.size() - 1).number());
    }

    /** A message from a handset: a STOP reply opts its number out. */
    public void onReply(String from, String text) {
        Optional<String> number = PhoneNumbers.normaliseRecipient(from);
        if (number.isEmpty() || !isStop(text)) {
            return;
        }
        Instant now = now();
        int accounts = store.addForAccountsThatSentTo(number.get(), now.minus(REPLY_REACH), OptOut.Source.SMS_REPLY, now);
        LOG.info("A STOP reply put a number on the opt-out list of {} account(s)", accounts);
    }

    static boolean isStop(String text) {
        String first = text.strip().split("\\s+", 2)[0].toUpperCase(Locale.ROOT).replaceAll("[.!]+$", "");
        return STOP_WORDS.contains(first);
    }

    private static String normalised(String number) {
        return PhoneNumbers.normaliseRecipient(number)
                .orElseThrow(() -> new ValidationException(new Violation("number", INVALID_NUMBER)));
    }

    private Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MICROS);
    }
}
