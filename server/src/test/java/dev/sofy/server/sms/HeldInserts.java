package dev.sofy.server.sms;

import dev.sofy.server.links.ShortLink;
import dev.sofy.server.links.TrackedLink;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/** The real store, except that inserts wait until {@link #release()}: a request still being stored. */
final class HeldInserts implements SmsStore {
    private final SmsStore store;
    private final CompletableFuture<Void> released = new CompletableFuture<>();

    HeldInserts(SmsStore store) {
        this.store = store;
    }

    void release() {
        released.complete(null);
    }

    @Override
    public CompletableFuture<Void> insert(Message message, List<ShortLink> links, IdempotencyKey key) {
        return released.thenCompose(go -> store.insert(message, links, key));
    }

    @Override
    public CompletableFuture<Void> insertBatch(List<NewMessage> messages, IdempotencyKey key) {
        return released.thenCompose(go -> store.insertBatch(messages, key));
    }

    @Override
    public List<Message> findAll(long accountId, List<String> ids) {
        return store.findAll(accountId, ids);
    }

    @Override
    public Map<String, List<TrackedLink>> links(List<String> smsIds) {
        return store.links(smsIds);
    }

    @Override
    public Optional<Message> find(long accountId, String id) {
        return store.find(accountId, id);
    }

    @Override
    public List<Message> list(long accountId, int limit, Position after, Status status, String to,
                              Instant createdFrom, Instant createdTo) {
        return store.list(accountId, limit, after, status, to, createdFrom, createdTo);
    }

    @Override
    public Optional<IdempotencyKey> findIdempotencyKey(long accountId, String key, Instant notBefore) {
        return store.findIdempotencyKey(accountId, key, notBefore);
    }

    @Override
    public CompletableFuture<Cancellation> cancel(long accountId, String id, String reason, Instant at) {
        return store.cancel(accountId, id, reason, at);
    }

    @Override
    public int deleteIdempotencyKeysBefore(Instant cutoff) {
        return store.deleteIdempotencyKeysBefore(cutoff);
    }
}
