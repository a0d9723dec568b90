package dev.sofy.server.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.sofy.server.account.Account;
import dev.sofy.server.inbound.InboundPage;
import dev.sofy.server.inbound.InboundQuery;
import dev.sofy.server.inbound.InboundService;
import dev.sofy.server.inbound.InboundSms;
import dev.sofy.server.inbound.InboundSmsNotFoundException;
import dev.sofy.server.marketing.OptOut;
import dev.sofy.server.marketing.OptOutService;
import dev.sofy.server.sms.Message;
import dev.sofy.server.sms.SmsIds;
import dev.sofy.server.sms.Status;
import dev.sofy.server.webhooks.Delivery;
import dev.sofy.server.webhooks.Endpoint;
import dev.sofy.server.webhooks.EventType;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Which accounts an inbound SMS reaches, and what each then reads of it, with its webhook events:
 * {@link InboundService} over {@link JdbiInboundStore}, on any database.
 */
abstract class InboundContract extends StoreContract {
    private static final String HANDSET = "33612345678";
    private static final String SENDER = "33757000000";
    /** When the replies come in. */
    private static final Instant RECEIVED = T0.plus(Duration.ofDays(40));

    private InboundService inbound;
    private long globex;

    @BeforeEach
    final void moreAccounts() {
        inbound = new InboundService(new JdbiInboundStore(database.jdbi()));
        var keys = new JdbiKeyStore(database.jdbi());
        keys.saveKey("globex", "key-2", "b".repeat(64), null, null, T0);
        globex = keys.findKey("key-2").orElseThrow().account().id();
    }

    private static Account account(long id) {
        return new Account(id, "account-" + id);
    }

    /** An SMS of the account to the number, created at {@code at}. */
    private void sentTo(long account, String number, Instant at) {
        sms.insert(new Message(SmsIds.next(at), account, SENDER, number, "Hello", false, true, Status.DELIVERED, "",
                at, at, 1, "GSM-7", at.plus(Duration.ofDays(1)), null, null), List.of(), null).join();
    }

    private List<InboundSms> all(long account) {
        return inbound.list(account(account), new InboundQuery(100, null, null, null, null, null)).messages();
    }

    private List<String> texts(long account) {
        return all(account).stream().map(InboundSms::text).toList();
    }

    @Test
    void anAccountThatSentToTheNumberWithinThe30DaysSeesTheReply() {
        sentTo(accountId, HANDSET, RECEIVED.minus(Duration.ofDays(30)).plusSeconds(60));

        inbound.receive("+" + HANDSET, SENDER, "Yes please", RECEIVED);

        assertEquals(List.of(new InboundSms(all(accountId).get(0).id(), accountId, HANDSET, SENDER, "Yes please", RECEIVED)),
                all(accountId));
    }

    @Test
    void anAccountThatSentToTheNumber31DaysAgoDoesNotSeeTheReply() {
        sentTo(accountId, HANDSET, RECEIVED.minus(Duration.ofDays(31)));

        inbound.receive(HANDSET, SENDER, "Yes please", RECEIVED);

        assertEquals(List.of(), all(accountId));
    }

    @Test
    void anAccountThatNeverSentToTheNumberDoesNotSeeTheReply() {
        sentTo(accountId, HANDSET, RECEIVED.minus(Duration.ofDays(1)));
        sentTo(globex, "33698765432", RECEIVED.minus(Duration.ofDays(1)));

        inbound.receive(HANDSET, SENDER, "Yes please", RECEIVED);

        assertEquals(List.of(), all(globex));
    }

    @Test
    void twoAccountsThatBothSentToTheNumberEachSeeTheReplyUnderAnIdOfItsOwn() {
        sentTo(accountId, HANDSET, RECEIVED.minus(Duration.ofDays(2)));
        sentTo(globex, HANDSET, RECEIVED.minus(Duration.ofDays(1)));
        sentTo(globex, HANDSET, RECEIVED.minus(Duration.ofHours(1)));

        inbound.receive(HANDSET, SENDER, "Yes please", RECEIVED);

        List<InboundSms> acme = all(accountId);
        List<InboundSms> ofGlobex = all(globex);
        assertEquals(List.of("Yes please"), acme.stream().map(InboundSms::text).toList());
        assertEquals(List.of("Yes please"), ofGlobex.stream().map(InboundSms::text).toList());
        assertNotEquals(acme.get(0).id(), ofGlobex.get(0).id());
    }

    @Test
    void aReplyThatReachesNoAccountIsNotKept() {
        assertEquals(List.of(), inbound.receive(HANDSET, SENDER, "Who is this?", RECEIVED));
    }

    @Test
    void theSameMessageDeliveredAgainWithinTheWindowIsKeptOnce() {
        sentTo(accountId, HANDSET, RECEIVED.minus(Duration.ofDays(1)));

        inbound.receive(HANDSET, SENDER, "Yes please", RECEIVED);
        inbound.receive(HANDSET, SENDER, "Yes please", RECEIVED.plus(Duration.ofMinutes(9)));

        assertEquals(List.of("Yes please"), texts(accountId));
    }

    @Test
    void theSameTextAfterTheDuplicateWindowIsKeptAgain() {
        sentTo(accountId, HANDSET, RECEIVED.minus(Duration.ofDays(1)));

        inbound.receive(HANDSET, SENDER, "Yes please", RECEIVED);
        inbound.receive(HANDSET, SENDER, "Yes please", RECEIVED.plus(InboundService.DUPLICATE_WINDOW).plusSeconds(1));

        assertEquals(List.of("Yes please", "Yes please"), texts(accountId));
    }

    @Test
    void aStopReplyIsListedAsInboundAndPutsTheNumberOnTheOptOutList() {
        sentTo(accountId, HANDSET, RECEIVED.minus(Duration.ofDays(1)));
        var optOuts = new OptOutService(new JdbiOptOutStore(database.jdbi()), Clock.fixed(RECEIVED, ZoneOffset.UTC));

        inbound.receive(HANDSET, "36229", "STOP", RECEIVED);
        optOuts.onReply(HANDSET, "STOP");

        assertEquals(List.of("STOP"), texts(accountId));
        assertEquals(List.of(HANDSET), optOuts.list(account(accountId), 10, null).entries().stream()
                .map(OptOut::number).toList());
    }

    @Test
    void anInboundSmsOfAnotherAccountIsNotFound() {
        sentTo(globex, HANDSET, RECEIVED.minus(Duration.ofDays(1)));
        String id = inbound.receive(HANDSET, SENDER, "Yes please", RECEIVED).get(0).id();

        assertThrows(InboundSmsNotFoundException.class, () -> inbound.get(account(accountId), id));
    }

    @Test
    void anInboundSmsIsReadByItsId() {
        sentTo(accountId, HANDSET, RECEIVED.minus(Duration.ofDays(1)));
        InboundSms stored = inbound.receive(HANDSET, SENDER, "Yes please", RECEIVED).get(0);

        assertEquals(stored, inbound.get(account(accountId), stored.id()));
    }

    @Test
    void theListIsNewestFirstAndItsCursorGivesTheNextPage() {
        sentTo(accountId, HANDSET, RECEIVED.minus(Duration.ofDays(1)));
        for (int i = 1; i <= 5; i++) {
            inbound.receive(HANDSET, SENDER, "Reply " + i, RECEIVED.plusSeconds(i));
        }

        InboundPage first = inbound.list(account(accountId), new InboundQuery(3, null, null, null, null, null));
        InboundPage second = inbound.list(account(accountId), new InboundQuery(3, first.nextCursor(), null, null, null, null));

        assertEquals(List.of("Reply 5", "Reply 4", "Reply 3", "Reply 2", "Reply 1"), List.of(
                first.messages().get(0).text(), first.messages().get(1).text(), first.messages().get(2).text(),
                second.messages().get(0).text(), second.messages().get(1).text()));
        assertNull(second.nextCursor());
    }

    @Test
    void theListFiltersOnFromToAndTheReceivedRange() {
        sentTo(accountId, HANDSET, RECEIVED.minus(Duration.ofDays(1)));
        sentTo(accountId, "33698765432", RECEIVED.minus(Duration.ofDays(1)));
        inbound.receive(HANDSET, SENDER, "early", RECEIVED);
        inbound.receive(HANDSET, "APITEST", "to a name", RECEIVED.plusSeconds(10));
        inbound.receive("33698765432", SENDER, "another handset", RECEIVED.plusSeconds(20));
        inbound.receive(HANDSET, SENDER, "late", RECEIVED.plusSeconds(30));
        Account acme = account(accountId);

        assertEquals(List.of("another handset"), inbound.list(acme,
                new InboundQuery(10, null, "+33 6 98 76 54 32", null, null, null)).messages().stream().map(InboundSms::text).toList());
        assertEquals(List.of("to a name"), inbound.list(acme,
                new InboundQuery(10, null, null, "APITEST", null, null)).messages().stream().map(InboundSms::text).toList());
        assertEquals(List.of("another handset", "to a name"), inbound.list(acme,
                new InboundQuery(10, null, null, null, RECEIVED.plusSeconds(10), RECEIVED.plusSeconds(30)))
                .messages().stream().map(InboundSms::text).toList());
    }

    @Test
    void anEndpointThatWantsSmsReceivedHasItsEventInTheOutboxOnceTheReplyIsStored() {
        webhooks.insert(new Endpoint("endpoint-000000000001", accountId, "https://example.com/events",
                Set.of(EventType.SMS_RECEIVED), "whsec_c2VjcmV0", T0, null, null));
        sentTo(accountId, HANDSET, RECEIVED.minus(Duration.ofDays(1)));

        InboundSms stored = inbound.receive(HANDSET, SENDER, "Yes please", RECEIVED).get(0);

        List<Delivery> due = webhooks.claimDue("node-1", 10, RECEIVED, RECEIVED.plusSeconds(60));
        assertEquals(List.of(stored), due.stream().map(Delivery::inbound).toList());
        assertEquals(EventType.SMS_RECEIVED, due.get(0).type());
    }

    @Test
    void anEndpointThatDoesNotWantSmsReceivedGetsNoEventOfIt() {
        webhooks.insert(new Endpoint("endpoint-000000000001", accountId, "https://example.com/events",
                Set.of(EventType.SMS_STATUS), "whsec_c2VjcmV0", T0, null, null));
        sentTo(accountId, HANDSET, RECEIVED.minus(Duration.ofDays(1)));

        inbound.receive(HANDSET, SENDER, "Yes please", RECEIVED);

        assertEquals(0, events());
    }

    @Test
    void aTextLongerThan1600CharactersIsCutThere() {
        sentTo(accountId, HANDSET, RECEIVED.minus(Duration.ofDays(1)));

        inbound.receive(HANDSET, SENDER, "😀".repeat(1601), RECEIVED);

        assertEquals("😀".repeat(1600), texts(accountId).get(0));
    }
}
