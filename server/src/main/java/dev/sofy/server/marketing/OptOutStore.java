package dev.sofy.server.marketing;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** Where the opt-out lists are kept. */
public interface OptOutStore {

    /** Puts the number on the account's list, unless it is there already; the entry as it is now. */
    OptOut add(long accountId, String number, OptOut.Source source, Instant at);

    boolean remove(long accountId, String number);

    /** Up to {@code limit} entries of the account in the order of the numbers, after {@code afterNumber} when not null. */
    List<OptOut> list(long accountId, int limit, String afterNumber);

    /** Puts the number on the list of every account that sent it an SMS since {@code since}; how many. */
    int addForAccountsThatSentTo(String number, Instant since, OptOut.Source source, Instant at);
}
