package dev.sofy.server.sms;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sofy.server.account.Account;
import dev.sofy.server.links.ShortLink;
import dev.sofy.server.links.ShortenedText;
import dev.sofy.server.links.TrackedLink;
import dev.sofy.server.marketing.MarketingRules;
import dev.sofy.server.validation.ValidationException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/** The service counts as taking SMS for a second after a valid request came in. */
class TakingSmsTest {
    private static final Account ACCOUNT = new Account(1, "default");

    /** Commits every insert at once, and can do nothing else. */
    private static final class CommitsAtOnce implements SmsStore {
        @Override
        public CompletableFuture<Void> insert(Message message, List<ShortLink> links, IdempotencyKey key) {
            return CompletableFuture.completedFuture(null);
        }

        @Override
        public CompletableFuture<Void> insertBatch(List<NewMessage> messages, IdempotencyKey key) {
            return CompletableFuture.completedFuture(null);
        }

        @Override
        public List<Message> findAll(long accountId, List<String> ids) {
            throw new UnsupportedOperationException();
        }

        @Override
        public Map<String, List<TrackedLink>> links(List<String> smsIds) {
            throw new UnsupportedOperationException();
        }

        @Override
        public Optional<Message> find(long accountId, String id) {
            throw new UnsupportedOperationException();
        }

        @Override
        public List<Message> list(long accountId, int limit, Position after, Status status, String to,
                                  Instant createdFrom, Instant createdTo) {
            throw new UnsupportedOperationException();
        }

        @Override
        public Optional<IdempotencyKey> findIdempotencyKey(long accountId, String key, Instant notBefore) {
            throw new UnsupportedOperationException();
        }

        @Override
        public CompletableFuture<Cancellation> cancel(long accountId, String id, String reason, Instant at) {
            throw new UnsupportedOperationException();
        }

        @Override
        public int deleteIdempotencyKeysBefore(Instant cutoff) {
            throw new UnsupportedOperationException();
        }
    }

    private final SmsService service = new SmsService(new CommitsAtOnce(), Clock.systemUTC(), Duration.ofHours(48),
            text -> new ShortenedText(text, List.of()), MarketingRules.defaults());

    private void send(String to) {
        service.send(ACCOUNT, new SmsToSend("Sofy", to, "Hello", true, true), null);
    }

    @Test
    void aServiceThatTookNoSmsIsNotTakingSms() {
        assertFalse(service.takingSms());
    }

    @Test
    void aServiceIsTakingSmsRightAfterAValidRequest() {
        send("33612345678");

        assertTrue(service.takingSms());
    }

    @Test
    void anInvalidRequestDoesNotCount() {
        assertThrows(ValidationException.class, () -> send("123"));

        assertFalse(service.takingSms());
    }

    @Test
    void aServiceStopsTakingSmsASecondAfterTheLastRequest() throws InterruptedException {
        send("33612345678");
        Thread.sleep(SmsService.TAKING_SMS_FOR.toMillis() + 100);

        assertFalse(service.takingSms());
    }
}
