package dev.sofy.server.sms;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.sofy.server.account.Account;
import dev.sofy.server.config.Config;
import dev.sofy.server.links.ShortenedText;
import dev.sofy.server.marketing.MarketingRules;
import dev.sofy.server.storage.CommitQueue;
import dev.sofy.server.storage.Database;
import dev.sofy.server.storage.JdbiKeyStore;
import dev.sofy.server.storage.JdbiSmsStore;
import dev.sofy.server.validation.ValidationException;
import dev.sofy.server.validation.Violation;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** What {@code sendAt} and {@code validityPeriod} do to an SMS taken in, and cancels, on a real database. */
class SchedulingRulesTest {
    /** A Tuesday, 11:00 in Paris: French marketing SMS may go. */
    private static final Instant NOW = Instant.parse("2026-11-24T10:00:00Z");
    /** The same Tuesday, 22:00 in Paris: French marketing SMS wait for 08:00 (07:00 UTC) the next day. */
    private static final Instant EVENING = Instant.parse("2026-11-24T21:00:00Z");
    private static final Instant NEXT_MORNING = Instant.parse("2026-11-25T07:00:00Z");
    private static final Duration DEFAULT_VALIDITY = Duration.ofHours(48);

    private Database database;
    private CommitQueue writes;
    private Account account;
    private SmsService service;

    @BeforeEach
    void openAnEmptyDatabase() {
        database = Database.open(Config.from(Map.of(
                "SOFY_DB_URL", "jdbc:h2:mem:" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1")));
        writes = new CommitQueue(database.jdbi(), Clock.systemUTC());
        var keys = new JdbiKeyStore(database.jdbi());
        keys.saveKey("acme", "key-of-acme", "a".repeat(64), null, null, NOW);
        account = keys.findKey("key-of-acme").orElseThrow().account();
        service = new SmsService(new JdbiSmsStore(database.jdbi(), writes), Clock.fixed(NOW, ZoneOffset.UTC),
                DEFAULT_VALIDITY, text -> new ShortenedText(text, List.of()), MarketingRules.defaults());
    }

    @AfterEach
    void closeTheDatabase() {
        writes.close();
        database.close();
    }

    private static SmsToSend code(Instant sendAt, Integer validity) {
        return new SmsToSend("Sofy", "33612345678", "Your code is 1234", true, true, sendAt, validity);
    }

    private static SmsToSend promo(Instant sendAt, Integer validity) {
        return new SmsToSend("Sofy", "33612345678", "Soldes", true, false, sendAt, validity);
    }

    private Message send(SmsToSend request) {
        return service.send(account, request, null).join().message();
    }

    private List<Violation> violations(SmsToSend request) {
        return assertThrows(ValidationException.class, () -> service.send(account, request, null)).violations();
    }

    @Test
    void aScheduledSmsKeepsItsTime() {
        assertEquals(NOW.plusSeconds(3600), send(code(NOW.plusSeconds(3600), null)).sendAt());
    }

    @Test
    void aValidityGivenCountsFromSendAt() {
        assertEquals(NOW.plusSeconds(3600 + 600), send(code(NOW.plusSeconds(3600), 600)).expiresAt());
    }

    @Test
    void aValidityGivenCountsFromCreationWithoutSendAt() {
        assertEquals(NOW.plusSeconds(600), send(code(null, 600)).expiresAt());
    }

    @Test
    void aValidityGivenIsNotStretchedByAHold() {
        assertEquals(EVENING.plusSeconds(600), send(promo(EVENING, 600)).expiresAt());
    }

    @Test
    void theDefaultValidityCountsFromTheEndOfAHold() {
        assertEquals(NEXT_MORNING.plus(DEFAULT_VALIDITY), send(promo(EVENING, null)).expiresAt());
    }

    @Test
    void aMarketingSmsScheduledOutsideItsWindowIsHeldUntilTheWindowOpensAfterItsTime() {
        assertEquals(NEXT_MORNING, send(promo(EVENING, null)).heldUntil());
    }

    @Test
    void aMarketingSmsScheduledInsideItsWindowIsNotHeld() {
        assertNull(send(promo(NOW.plusSeconds(3600), null)).heldUntil());
    }

    @Test
    void aSendAtInThePastIsRefused() {
        assertEquals(List.of(new Violation("sendAt", SmsService.SEND_AT_PAST)), violations(code(NOW.minusMillis(1), null)));
    }

    @Test
    void aSendAtOfNowIsAccepted() {
        assertEquals(NOW, send(code(NOW, null)).sendAt());
    }

    @Test
    void aSendAtMoreThan180DaysAheadIsRefused() {
        assertEquals(List.of(new Violation("sendAt", SmsService.SEND_AT_TOO_FAR)),
                violations(code(NOW.plus(Duration.ofDays(180)).plusMillis(1), null)));
    }

    @Test
    void aSendAtOf180DaysAheadIsAccepted() {
        assertEquals(NOW.plus(Duration.ofDays(180)), send(code(NOW.plus(Duration.ofDays(180)), null)).sendAt());
    }

    @Test
    void aRetryWithTheSameKeyAndAnotherSendAtIsRefusedAsReused() {
        service.send(account, code(NOW.plusSeconds(60), null), "key-1").join();

        assertThrows(IdempotencyKeyReusedException.class,
                () -> service.send(account, code(NOW.plusSeconds(120), null), "key-1"));
    }

    @Test
    void theFingerprintOfARequestWithoutTheNewFieldsIsTheOneItHadBefore() {
        // SHA-256 of "4:Sofy11:336123456786:Soldes4:true5:false", as stored with keys before sendAt existed.
        assertEquals("30e49d639856c5d745553886fbf6964e4d8e69b07221b8bec57538c624a97399", SmsService.fingerprint(promo(null, null)));
    }

    @Test
    void aScheduledSmsIsCanceled() {
        Message scheduled = send(code(NOW.plusSeconds(3600), null));

        Message canceled = service.cancel(account, scheduled.id());

        assertEquals(List.of(Status.CANCELED, SmsService.CANCELED_REASON), List.of(canceled.status(), canceled.statusReason()));
    }

    @Test
    void anSmsCanceledAlreadyIsNotCancelableAndSaysItIsCanceled() {
        Message scheduled = send(code(NOW.plusSeconds(3600), null));
        service.cancel(account, scheduled.id());

        assertEquals(Status.CANCELED, assertThrows(SmsNotCancelableException.class,
                () -> service.cancel(account, scheduled.id())).status());
    }

    @Test
    void aMalformedIdIsNotFound() {
        assertThrows(SmsNotFoundException.class, () -> service.cancel(account, "not-an-id"));
    }
}
