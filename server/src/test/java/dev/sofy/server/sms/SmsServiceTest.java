package dev.sofy.server.sms;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sofy.server.account.Account;
import dev.sofy.server.config.Config;
import dev.sofy.server.links.LinkShortener;
import dev.sofy.server.links.ShortCodes;
import dev.sofy.server.links.ShortLink;
import dev.sofy.server.links.TrackedLink;
import dev.sofy.server.marketing.MarketingRules;
import dev.sofy.server.storage.CommitQueue;
import dev.sofy.server.storage.Database;
import dev.sofy.server.storage.JdbiKeyStore;
import dev.sofy.server.storage.JdbiSmsStore;
import dev.sofy.server.validation.ValidationException;
import dev.sofy.server.validation.Violation;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Taking SMS in, on a real database through the real store and commit queue: idempotency, the
 * rules a request must follow, and what is stored.
 */
class SmsServiceTest {
    /** A Tuesday, 11:00 in Paris: French marketing SMS may go. */
    private static final Instant WINDOW_OPEN = Instant.parse("2026-11-24T10:00:00Z");
    /** The same Tuesday, 22:00 in Paris: French marketing SMS wait for 08:00. */
    private static final Instant WINDOW_CLOSED = Instant.parse("2026-11-24T21:00:00Z");
    private static final Duration VALIDITY = Duration.ofHours(48);
    private static final String LONG_URL = "https://example.com/a/rather/long/path/to/a/page";
    private static final SmsToSend REQUEST = new SmsToSend("Sofy", "+33 6 12 34 56 78", "Your code is 1234", true, true);

    private Database database;
    private CommitQueue writes;
    private JdbiSmsStore store;
    private Account account;
    private SmsService service;

    @BeforeEach
    void openAnEmptyDatabase() {
        database = Database.open(Config.from(Map.of(
                "SOFY_DB_URL", "jdbc:h2:mem:" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1")));
        writes = new CommitQueue(database.jdbi(), Clock.systemUTC());
        store = new JdbiSmsStore(database.jdbi(), writes);
        account = account("acme");
        service = service(store, WINDOW_OPEN);
    }

    @AfterEach
    void closeTheDatabase() {
        writes.close();
        database.close();
    }

    private Account account(String name) {
        var keys = new JdbiKeyStore(database.jdbi());
        keys.saveKey(name, "key-of-" + name, "a".repeat(64), null, null, WINDOW_OPEN);
        return keys.findKey("key-of-" + name).orElseThrow().account();
    }

    private SmsService service(SmsStore smsStore, Instant now) {
        var shortener = new LinkShortener("https://sofy.test", new ShortCodes(10, new SecureRandom()));
        return new SmsService(smsStore, Clock.fixed(now, ZoneOffset.UTC), VALIDITY, shortener::shorten,
                MarketingRules.defaults());
    }

    private Accepted send(SmsToSend request) {
        return service.send(account, request, null).join();
    }

    private Message stored(Accepted accepted) {
        return store.find(account.id(), accepted.message().id()).orElseThrow();
    }

    private List<Message> storedOf(Account owner) {
        return store.list(owner.id(), 10, null, null, null, null, null);
    }

    // Idempotency

    @Test
    void aRetryWithTheSameKeyAndFieldsGetsTheSmsOfTheFirstRequest() {
        Accepted first = service.send(account, REQUEST, "key-1").join();

        Accepted retry = service.send(account, REQUEST, "key-1").join();

        assertEquals(first.message(), retry.message());
    }

    @Test
    void aRetryIsSaidToBeReplayed() {
        service.send(account, REQUEST, "key-1").join();

        assertTrue(service.send(account, REQUEST, "key-1").join().replayed());
    }

    @Test
    void aFirstRequestIsNotSaidToBeReplayed() {
        assertFalse(service.send(account, REQUEST, "key-1").join().replayed());
    }

    @Test
    void aRetryStoresNothingNew() {
        service.send(account, REQUEST, "key-1").join();

        service.send(account, REQUEST, "key-1").join();

        assertEquals(1, storedOf(account).size());
    }

    @Test
    void aRetryCarriesTheShortLinksOfTheFirstAnswer() {
        var linked = new SmsToSend("Sofy", "33612345678", "See " + LONG_URL, true, true);
        Accepted first = service.send(account, linked, "key-1").join();

        assertEquals(first.links(), service.send(account, linked, "key-1").join().links());
    }

    @Test
    void anotherRequestWithTheSameKeyIsRefused() {
        service.send(account, REQUEST, "key-1").join();
        var other = new SmsToSend("Sofy", "+33 6 12 34 56 78", "Your code is 5678", true, true);

        assertThrows(IdempotencyKeyReusedException.class, () -> service.send(account, other, "key-1"));
    }

    @Test
    void theSameRequestWithTheFlagsTurnedIsAnotherRequest() {
        service.send(account, REQUEST, "key-1").join();
        var marketing = new SmsToSend(REQUEST.from(), REQUEST.to(), REQUEST.body(), REQUEST.shortenUrls(), false);

        assertThrows(IdempotencyKeyReusedException.class, () -> service.send(account, marketing, "key-1"));
    }

    @Test
    void theSameKeyOfAnotherAccountIsAnotherKey() {
        Accepted mine = service.send(account, REQUEST, "key-1").join();

        Accepted theirs = service.send(account("globex"), REQUEST, "key-1").join();

        assertNotEquals(mine.message().id(), theirs.message().id());
    }

    @Test
    void aKeyWhoseFirstRequestIsStillBeingStoredIsInUse() {
        var held = new HeldInserts(store);
        service = service(held, WINDOW_OPEN);
        service.send(account, REQUEST, "key-1");

        assertThrows(IdempotencyKeyInUseException.class, () -> service.send(account, REQUEST, "key-1"));
    }

    @Test
    void aRequestWhoseKeyAnotherNodeStoredMeanwhileGetsThatNodesSms() {
        var held = new HeldInserts(store);
        CompletableFuture<Accepted> here = service(held, WINDOW_OPEN).send(account, REQUEST, "key-1");
        Accepted there = service(store, WINDOW_OPEN).send(account, REQUEST, "key-1").join();

        held.release();

        assertEquals(there.message().id(), here.join().message().id());
    }

    /** The fingerprint is stored with each key: a retry across an upgrade must still match. */
    @Test
    void theFingerprintOfARequestWithDefaultFlagsIsTheOneStoredBefore() {
        var request = new SmsToSend("Sofy", "+33 6 12 34 56 78", "Bonjour 👋 café https://example.com/a", true, false);

        assertEquals("624d3e93866fcee5ece19734a0b105d4ce64e1bfd1a2ce85a83c814f2ab844e4", SmsService.fingerprint(request));
    }

    @Test
    void theFingerprintOfARequestWithEveryFlagTurnedIsTheOneStoredBefore() {
        var request = new SmsToSend("33612345678", "590690112233", "Code 1234", false, true);

        assertEquals("e8803a1f87bbbfb70845ff6beebc02103b5a7c6519da2ac7ba12780047bb02f0", SmsService.fingerprint(request));
    }

    @Test
    void theFingerprintOfTheRequestIsStoredWithItsKey() {
        service.send(account, REQUEST, "key-1").join();

        assertEquals(SmsService.fingerprint(REQUEST),
                store.findIdempotencyKey(account.id(), "key-1", Instant.EPOCH).orElseThrow().requestSha256());
    }

    // Validation

    @Test
    void aSenderThatIsNoNameShortCodeOrNumberIsRefused() {
        var request = new SmsToSend("Shop-2026", "33612345678", "Hello", true, true);

        assertEquals(List.of(new Violation("from", SmsService.INVALID_SENDER)), service.violations(request, null));
    }

    @Test
    void aRecipientThatIsNoValidInternationalNumberIsRefused() {
        var request = new SmsToSend("Sofy", "0612345678", "Hello", true, true);

        assertEquals(List.of(new Violation("to", SmsService.INVALID_RECIPIENT)), service.violations(request, null));
    }

    @Test
    void aBlankIdempotencyKeyIsRefused() {
        assertEquals(List.of(SmsService.IDEMPOTENCY_KEY_FIELD),
                fields(service.violations(REQUEST, "  ")));
    }

    @Test
    void anIdempotencyKeyOfMoreThan255CharactersIsRefused() {
        assertEquals(List.of(SmsService.IDEMPOTENCY_KEY_FIELD),
                fields(service.violations(REQUEST, "k".repeat(256))));
    }

    @Test
    void anIdempotencyKeyOf255CharactersIsAccepted() {
        assertEquals(List.of(), service.violations(REQUEST, "k".repeat(255)));
    }

    @Test
    void everyBadFieldIsListedInOneAnswer() {
        var request = new SmsToSend("Shop-2026", "0612345678", "Hello", true, true);

        assertEquals(List.of("from", "to", SmsService.IDEMPOTENCY_KEY_FIELD), fields(service.violations(request, "")));
    }

    @Test
    void fieldsTheSpecAlreadyRefusedAreNotCheckedAgain() {
        assertEquals(List.of(), service.violations(new SmsToSend(null, null, null, true, false), null));
    }

    @Test
    void sendRefusesAnInvalidRequestWithItsViolations() {
        var request = new SmsToSend("Sofy", "0612345678", "Hello", true, true);

        ValidationException refused = assertThrows(ValidationException.class, () -> service.send(account, request, null));

        assertEquals(List.of("to"), fields(refused.violations()));
    }

    @Test
    void anInvalidRequestStoresNothing() {
        var request = new SmsToSend("Sofy", "0612345678", "Hello", true, true);
        assertThrows(ValidationException.class, () -> service.send(account, request, "key-1"));

        assertEquals(List.of(), storedOf(account));
    }

    private static List<String> fields(List<Violation> violations) {
        return violations.stream().map(Violation::field).toList();
    }

    // What send stores

    @Test
    void whatSendAcceptedIsWhatItStored() {
        Accepted accepted = send(REQUEST);

        assertEquals(accepted.message(), stored(accepted));
    }

    @Test
    void aNewSmsIsPending() {
        assertEquals(Status.PENDING, stored(send(REQUEST)).status());
    }

    @Test
    void theRecipientIsStoredAsInternationalDigits() {
        assertEquals("33612345678", stored(send(REQUEST)).to());
    }

    @Test
    void theSenderAndBodyAreStoredAsGiven() {
        Message stored = stored(send(REQUEST));

        assertEquals(List.of("Sofy", "Your code is 1234"), List.of(stored.from(), stored.body()));
    }

    @Test
    void anSmsIsCreatedWhenItIsTaken() {
        assertEquals(WINDOW_OPEN, stored(send(REQUEST)).createdAt());
    }

    @Test
    void anSmsMayBeDeliveredForTheValidityAfterItIsTaken() {
        assertEquals(WINDOW_OPEN.plus(VALIDITY), stored(send(REQUEST)).expiresAt());
    }

    @Test
    void theUrlsOfTheTextAreSentAsShortLinks() {
        Accepted accepted = send(new SmsToSend("Sofy", "33612345678", "See " + LONG_URL, true, true));

        assertEquals("See https://sofy.test/r/" + accepted.links().get(0).code(), stored(accepted).sentText());
    }

    @Test
    void theShortLinksOfTheTextAreStored() {
        Accepted accepted = send(new SmsToSend("Sofy", "33612345678", "See " + LONG_URL, true, true));

        assertEquals(List.of(LONG_URL), store.links(List.of(accepted.message().id())).get(accepted.message().id())
                .stream().map(TrackedLink::url).toList());
    }

    @Test
    void withShortLinksTurnedOffTheTextIsSentAsWritten() {
        Accepted accepted = send(new SmsToSend("Sofy", "33612345678", "See " + LONG_URL, false, true));

        assertNull(stored(accepted).sentText());
    }

    @Test
    void aMarketingSmsToAFrenchNumberIsSentWithTheOptOutMention() {
        Accepted accepted = send(new SmsToSend("Sofy", "33612345678", "Sales: -20%", true, false));

        assertEquals("Sales: -20% STOP au 36229", stored(accepted).textToSend());
    }

    @Test
    void theSegmentsCountTheTextSentWithItsMention() {
        Accepted accepted = send(new SmsToSend("Sofy", "33612345678", "a".repeat(160), true, false));

        assertEquals(2, stored(accepted).segments());
    }

    @Test
    void aMarketingSmsOutsideTheSendingWindowIsHeldUntilItOpens() {
        service = service(store, WINDOW_CLOSED);

        Accepted accepted = send(new SmsToSend("Sofy", "33612345678", "Sales: -20%", true, false));

        assertEquals(Instant.parse("2026-11-25T07:00:00Z"), stored(accepted).heldUntil());
    }

    @Test
    void aHeldSmsMayBeDeliveredForTheValidityAfterItsHoldEnds() {
        service = service(store, WINDOW_CLOSED);

        Accepted accepted = send(new SmsToSend("Sofy", "33612345678", "Sales: -20%", true, false));

        assertEquals(Instant.parse("2026-11-25T07:00:00Z").plus(VALIDITY), stored(accepted).expiresAt());
    }

    @Test
    void aTransactionalSmsIsNeverHeld() {
        service = service(store, WINDOW_CLOSED);

        assertNull(stored(send(REQUEST)).heldUntil());
    }
}
