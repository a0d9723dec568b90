package dev.sofy.server.storage;

import static dev.sofy.server.storage.Rows.SMS_COLUMNS;
import static dev.sofy.server.storage.Rows.instant;
import static dev.sofy.server.storage.Rows.utc;

import dev.sofy.server.delivery.Claimed;
import dev.sofy.server.delivery.Handoff;
import dev.sofy.server.links.ShortLink;
import dev.sofy.server.links.TrackedLink;
import dev.sofy.server.sms.DuplicateIdempotencyKeyException;
import dev.sofy.server.sms.IdempotencyKey;
import dev.sofy.server.sms.Message;
import dev.sofy.server.sms.SmsService;
import dev.sofy.server.sms.SmsStore;
import dev.sofy.server.sms.SmsStore.Cancellation;
import dev.sofy.server.sms.Status;
import dev.sofy.server.sms.StorageUnavailableException;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.PreparedBatch;
import org.jdbi.v3.core.statement.UnableToExecuteStatementException;

/**
 * {@link SmsStore} over JDBI; the same SQL runs on H2 and PostgreSQL. New SMS go through the
 * {@link CommitQueue}: one transaction for all the writes that arrive while the previous one commits.
 */
public final class JdbiSmsStore implements SmsStore {
    private static final Duration COMMIT_TIMEOUT = Duration.ofSeconds(30);
    /** Expired idempotency keys deleted a transaction. */
    static final int DELETED_KEYS_A_TRANSACTION = 1_000;
    /** The SQLState of a unique-key violation, on H2 and PostgreSQL alike. */
    private static final String UNIQUE_VIOLATION = "23505";

    /** A new SMS as queued for the writer. */
    record NewSms(Message message, List<ShortLink> links, IdempotencyKey idempotencyKey) {}

    /**
     * New SMS, with their short links and idempotency keys. A write is the SMS of one request: one,
     * or a whole batch, which the group commit never splits, so that it commits all or nothing.
     * Those due at once are leased to this node's dispatcher in their insert while it has room,
     * and handed over to it once committed.
     */
    static final class NewSmsWrites implements WriteKind<List<NewSms>> {
        private final Handoff handoff;

        private NewSmsWrites(Handoff handoff) {
            this.handoff = handoff;
        }

        @Override
        public void apply(Handle handle, List<List<NewSms>> writes, Instant now) {
            List<NewSms> all = new ArrayList<>();
            writes.forEach(all::addAll);
            insertAll(handle, all, handoff, now);
        }
    }

    /** The place of new SMS in the commit order; each store registers a kind with its own hand-off. */
    static final NewSmsWrites NEW_SMS = new NewSmsWrites(Handoff.NONE);

    /**
     * A cancel as queued for the writer. It commits through the writer, as every status change
     * does, so that the webhook sender never reads past a change not yet committed
     * ({@link EventLogs}); the writer leaves what it found in {@code outcome}.
     */
    static final class Cancel {
        final long accountId;
        final String id;
        final String reason;
        final Instant at;
        volatile Cancellation outcome;

        Cancel(long accountId, String id, String reason, Instant at) {
            this.accountId = accountId;
            this.id = id;
            this.reason = reason;
            this.at = at;
        }
    }

    /** Cancels; the status changes they make are counted once their transaction committed. */
    static final class CancelWrites implements WriteKind<Cancel> {
        private final StatusChangeCounters counters;

        private CancelWrites(StatusChangeCounters counters) {
            this.counters = counters;
        }

        @Override
        public void apply(Handle handle, List<Cancel> batch, Instant now) {
            var changes = new StatusChangeCounters.Tally();
            cancelAll(handle, batch, changes);
            if (!changes.isEmpty()) {
                handle.afterCommit(() -> counters.add(changes));
            }
        }
    }

    static final CancelWrites CANCELS = new CancelWrites(StatusChangeCounters.UNCOUNTED);

    private final Jdbi jdbi;
    private final CommitQueue.Lane<List<NewSms>> newSms;
    private final CommitQueue.Lane<Cancel> cancels;

    /** New SMS commit through {@code writes}, shared with the lifecycle, and wait for a claim. */
    public JdbiSmsStore(Jdbi jdbi, CommitQueue writes) {
        this(jdbi, writes, StatusChangeCounters.UNCOUNTED, Handoff.NONE);
    }

    /**
     * As {@link #JdbiSmsStore(Jdbi, CommitQueue)}; {@code counters} count the cancels committed,
     * and new SMS due at once go to {@code handoff} as they commit.
     */
    public JdbiSmsStore(Jdbi jdbi, CommitQueue writes, StatusChangeCounters counters, Handoff handoff) {
        this.jdbi = jdbi;
        this.newSms = writes.register(new NewSmsWrites(handoff));
        this.cancels = writes.register(new CancelWrites(counters));
    }

    @Override
    public CompletableFuture<Cancellation> cancel(long accountId, String id, String reason, Instant at) {
        var cancel = new Cancel(accountId, id, reason, at);
        return cancels.submit(cancel)
                .orTimeout(COMMIT_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)
                .exceptionallyCompose(failure -> CompletableFuture.failedFuture(storeFailure(failure, null)))
                .thenApply(committed -> cancel.outcome);
    }

    /**
     * Never an SMS a dispatcher holds a live claim on: it may be submitting it, and the carrier
     * would send what we said was canceled. Its claim ends in a recorded outcome or in a lease
     * that runs out; either way the claim is gone, and a cancel may try again.
     */
    private static void cancelAll(Handle handle, List<Cancel> batch, StatusChangeCounters.Tally changes) {
        List<String> canceled = new ArrayList<>();
        for (Cancel cancel : batch) {
            int updated = handle.createUpdate("""
                            UPDATE sms SET status = 'canceled', status_reason = :reason, updated_at = :at,
                                           held_until = NULL, claimed_by = NULL, claim_expires_at = NULL
                            WHERE id = :id AND account_id = :accountId AND status = 'pending'
                              AND (claimed_by IS NULL OR claim_expires_at < :at)""")
                    .bind("reason", cancel.reason)
                    .bind("at", utc(cancel.at))
                    .bind("id", cancel.id)
                    .bind("accountId", cancel.accountId)
                    .execute();
            if (updated > 0) {
                canceled.add(cancel.id);
            }
            Optional<Message> sms = handle.createQuery(
                            "SELECT " + SMS_COLUMNS + " FROM sms WHERE id = :id AND account_id = :accountId")
                    .bind("id", cancel.id)
                    .bind("accountId", cancel.accountId)
                    .map(Rows::message)
                    .findOne();
            cancel.outcome = new Cancellation(sms, updated > 0);
        }
        JdbiLifecycleStore.appendStatusChanges(handle, canceled);
        changes.add(Status.CANCELED, canceled.size());
    }

    /** How many SMS wait for the carrier ({@code pending}) and for their receipts ({@code sent}). */
    public record Backlog(long pending, long sent) {}

    /**
     * The most SMS of one status the backlog counts. Counting a range of the (status,
     * next_attempt_at) index costs as much as the range is long: a backlog of millions, counted
     * whole every few seconds, cost ingest 13 to 21 % in the benchmark's scrape phase. Past this,
     * the figure says "at least", which is all an alert needs.
     */
    public static final int MAX_BACKLOG_COUNTED = 100_000;

    /**
     * The SMS backlog, for the metrics: two bounded counts over ranges of the (status,
     * next_attempt_at) index, read at most every few seconds
     * ({@link dev.sofy.server.metrics.PeriodicReading}).
     */
    public Backlog backlog() {
        return jdbi.withHandle(handle -> new Backlog(count(handle, "pending"), count(handle, "sent")));
    }

    private static long count(Handle handle, String status) {
        return handle.createQuery("SELECT COUNT(*) FROM (SELECT 1 FROM sms WHERE status = :status LIMIT :max) counted")
                .bind("status", status)
                .bind("max", MAX_BACKLOG_COUNTED)
                .mapTo(Long.class)
                .one();
    }

    @Override
    public CompletableFuture<Void> insert(Message message, List<ShortLink> links, IdempotencyKey idempotencyKey) {
        return committed(newSms.submit(List.of(new NewSms(message, List.copyOf(links), idempotencyKey)), 1),
                idempotencyKey);
    }

    @Override
    public CompletableFuture<Void> insertBatch(List<NewMessage> messages, IdempotencyKey idempotencyKey) {
        List<NewSms> writes = new ArrayList<>(messages.size());
        for (int i = 0; i < messages.size(); i++) {
            NewMessage item = messages.get(i);
            // The key is written once, with the first SMS; it names them all.
            writes.add(new NewSms(item.message(), item.links(), i == 0 ? idempotencyKey : null));
        }
        return committed(newSms.submit(List.copyOf(writes), writes.size()), idempotencyKey);
    }

    private static CompletableFuture<Void> committed(CompletableFuture<Void> submitted, IdempotencyKey idempotencyKey) {
        return submitted
                .orTimeout(COMMIT_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)
                .exceptionallyCompose(failure -> CompletableFuture.failedFuture(storeFailure(failure, idempotencyKey)));
    }

    private static Throwable storeFailure(Throwable failure, IdempotencyKey idempotencyKey) {
        Throwable cause = failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
        if (cause instanceof TimeoutException) {
            return new StorageUnavailableException("The database did not store the SMS in time.", cause);
        }
        if (idempotencyKey != null && isUniqueViolation(cause)) {
            return new DuplicateIdempotencyKeyException(cause);
        }
        return cause;
    }

    /**
     * Inserts a batch of new SMS in the writer's transaction. Each one due at once is leased to
     * {@code handoff}'s node if it has room, as a claim would lease it; once the transaction
     * commits they are handed over, and if it rolls back their room is given back.
     */
    static void insertAll(Handle handle, List<NewSms> batch, Handoff handoff, Instant now) {
        if (batch.isEmpty()) {
            return;
        }
        List<Message> leased = new ArrayList<>();
        int leftUnclaimed = 0;
        Instant leaseUntil = null;
        // Plain JDBC for the hottest statement: JDBI's named binding cost a third as much as H2's insert.
        try (PreparedStatement sms = handle.getConnection().prepareStatement("""
                INSERT INTO sms (id, account_id, sender, recipient, body, shorten_urls, is_transactional,
                                 status, status_reason, created_at, updated_at, segments, encoding, expires_at,
                                 sent_text, next_attempt_at, held_until, send_at, claimed_by, claim_expires_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""")) {
            for (NewSms item : batch) {
                Message message = item.message();
                boolean dueNow = message.status() == Status.PENDING && message.heldUntil() == null
                        && message.sendAt() == null;
                boolean lease = dueNow && handoff.reserve();
                if (lease) {
                    leaseUntil = leaseUntil != null ? leaseUntil : handoff.leaseUntil(now);
                    leased.add(message);
                } else if (dueNow) {
                    leftUnclaimed++;
                }
                sms.setString(1, message.id());
                sms.setLong(2, message.accountId());
                sms.setString(3, message.from());
                sms.setString(4, message.to());
                sms.setString(5, message.body());
                sms.setBoolean(6, message.shortenUrls());
                sms.setBoolean(7, message.transactional());
                sms.setString(8, message.status().wireName());
                sms.setString(9, message.statusReason());
                sms.setObject(10, utc(message.createdAt()));
                sms.setObject(11, utc(message.updatedAt()));
                sms.setInt(12, message.segments());
                sms.setString(13, message.encoding());
                sms.setObject(14, utc(message.expiresAt()));
                sms.setString(15, message.sentText());
                // A held SMS is due when its hold ends, a scheduled one at its time, any other at once,
                // or when its lease ends if this node took it.
                sms.setObject(16, utc(lease ? leaseUntil : message.heldUntil() != null ? message.heldUntil()
                        : message.sendAt() != null ? message.sendAt() : message.createdAt()));
                sms.setObject(17, message.heldUntil() == null ? null : utc(message.heldUntil()),
                        Types.TIMESTAMP_WITH_TIMEZONE);
                sms.setObject(18, message.sendAt() == null ? null : utc(message.sendAt()),
                        Types.TIMESTAMP_WITH_TIMEZONE);
                sms.setString(19, lease ? handoff.nodeId() : null);
                sms.setObject(20, lease ? utc(leaseUntil) : null, Types.TIMESTAMP_WITH_TIMEZONE);
                sms.addBatch();
            }
            sms.executeBatch();
        } catch (SQLException e) {
            handoff.giveBack(leased.size());
            throw new UnableToExecuteStatementException(e, null);
        }
        if (!leased.isEmpty() || leftUnclaimed > 0) {
            handOverOnCommit(handle, leased, leftUnclaimed, handoff);
        }
        insertLinks(handle, batch);
        for (NewSms item : batch) {
            if (item.idempotencyKey() != null) {
                insertIdempotencyKey(handle, item.message().accountId(), item.idempotencyKey());
            }
        }
    }

    /**
     * Hands the leased SMS over once the transaction commits, with what a claim would have read
     * of them then: their account's name, and whether a marketing SMS's recipient opted out.
     */
    private static void handOverOnCommit(Handle handle, List<Message> leased, int leftUnclaimed, Handoff handoff) {
        // First, so that the room comes back whatever fails from here on.
        handle.afterRollback(() -> handoff.giveBack(leased.size()));
        List<Claimed> claimed = new ArrayList<>(leased.size());
        if (!leased.isEmpty()) {
            Map<Long, String> accountNames = new HashMap<>();
            handle.createQuery("SELECT id, name FROM account WHERE id IN (<ids>)")
                    .bindList("ids", InLists.padded(leased.stream().map(Message::accountId).distinct().toList()))
                    .map((row, context) -> Map.entry(row.getLong("id"), row.getString("name")))
                    .forEach(entry -> accountNames.put(entry.getKey(), entry.getValue()));
            Set<String> optedOut = optedOut(handle, leased.stream().filter(message -> !message.transactional()).toList());
            for (Message message : leased) {
                claimed.add(new Claimed(message.id(), message.accountId(), accountNames.get(message.accountId()),
                        message.from(), message.to(), message.sentText() != null ? message.sentText() : message.body(),
                        message.transactional(), optedOut.contains(message.accountId() + " " + message.to()), 0,
                        message.expiresAt()));
            }
        }
        handle.afterCommit(() -> handoff.handOver(claimed, leftUnclaimed));
    }

    /** "account recipient" of the marketing SMS whose recipient opted out of their account's marketing. */
    private static Set<String> optedOut(Handle handle, List<Message> marketing) {
        if (marketing.isEmpty()) {
            return Set.of();
        }
        Set<String> optedOut = new HashSet<>();
        Map<Long, List<String>> recipients = new HashMap<>();
        marketing.forEach(message -> recipients.computeIfAbsent(message.accountId(), account -> new ArrayList<>())
                .add(message.to()));
        recipients.forEach((account, numbers) -> handle.createQuery(
                        "SELECT number FROM opt_out WHERE account_id = :account AND number IN (<numbers>)")
                .bind("account", account)
                .bindList("numbers", InLists.padded(numbers.stream().distinct().toList()))
                .mapTo(String.class)
                .forEach(number -> optedOut.add(account + " " + number)));
        return optedOut;
    }

    private static void insertLinks(Handle handle, List<NewSms> batch) {
        PreparedBatch links = handle.prepareBatch("INSERT INTO sms_link (code, sms_id, url) VALUES (:code, :smsId, :url)");
        int count = 0;
        for (NewSms item : batch) {
            for (ShortLink link : item.links()) {
                links.bind("code", link.code()).bind("smsId", item.message().id()).bind("url", link.url()).add();
                count++;
            }
        }
        if (count > 0) {
            links.execute();
        }
    }

    @Override
    public Map<String, List<TrackedLink>> links(List<String> smsIds) {
        Map<String, List<TrackedLink>> links = new HashMap<>();
        jdbi.useHandle(handle -> handle.createQuery(
                        "SELECT sms_id, code, url, clicks FROM sms_link WHERE sms_id IN (<ids>) ORDER BY code")
                .bindList("ids", smsIds)
                .map((row, context) -> Map.entry(row.getString("sms_id"),
                        new TrackedLink(row.getString("code"), row.getString("url"), row.getLong("clicks"))))
                .forEach(entry -> links.computeIfAbsent(entry.getKey(), id -> new ArrayList<>()).add(entry.getValue())));
        return links;
    }

    private static void insertIdempotencyKey(Handle handle, long accountId, IdempotencyKey key) {
        // An expired record of the same key may still be there: the key is free again.
        handle.createUpdate("""
                        DELETE FROM idempotency_key
                        WHERE account_id = :accountId AND idempotency_key = :key AND created_at < :expired""")
                .bind("accountId", accountId)
                .bind("key", key.key())
                .bind("expired", utc(key.createdAt().minus(SmsService.IDEMPOTENCY_WINDOW)))
                .execute();
        handle.createUpdate("""
                        INSERT INTO idempotency_key (account_id, idempotency_key, request_sha256, sms_id, created_at,
                                                     batch_sms_ids)
                        VALUES (:accountId, :key, :requestSha256, :smsId, :createdAt, :batchSmsIds)""")
                .bind("accountId", accountId)
                .bind("key", key.key())
                .bind("requestSha256", key.requestSha256())
                .bind("smsId", key.smsId())
                .bind("createdAt", utc(key.createdAt()))
                .bind("batchSmsIds", key.batchSmsIds() == null ? null : String.join(",", key.batchSmsIds()))
                .execute();
    }

    @Override
    public Optional<Message> find(long accountId, String id) {
        return jdbi.withHandle(handle -> handle.createQuery(
                        "SELECT " + SMS_COLUMNS + " FROM sms WHERE id = :id AND account_id = :accountId")
                .bind("id", id)
                .bind("accountId", accountId)
                .map(Rows::message)
                .findOne());
    }

    private static List<String> batchSmsIds(String joined) {
        return joined == null ? null : List.of(joined.split(","));
    }

    @Override
    public List<Message> findAll(long accountId, List<String> ids) {
        if (ids.isEmpty()) {
            return List.of();
        }
        return jdbi.withHandle(handle -> handle.createQuery(
                        "SELECT " + SMS_COLUMNS + " FROM sms WHERE account_id = :accountId AND id IN (<ids>)")
                .bind("accountId", accountId)
                .bindList("ids", ids)
                .map(Rows::message)
                .list());
    }

    @Override
    public List<Message> list(long accountId, int limit, Position after, Status status, String to,
                              Instant createdFrom, Instant createdTo) {
        // Only fixed fragments go into the SQL; every value is bound.
        var sql = new StringBuilder("SELECT " + SMS_COLUMNS + " FROM sms WHERE account_id = :accountId");
        if (status != null) {
            sql.append(" AND status = :status");
        }
        if (to != null) {
            sql.append(" AND recipient = :to");
        }
        if (createdFrom != null) {
            sql.append(" AND created_at >= :createdFrom");
        }
        if (createdTo != null) {
            sql.append(" AND created_at < :createdTo");
        }
        if (after != null) {
            sql.append(" AND (created_at < :afterCreatedAt OR (created_at = :afterCreatedAt AND id < :afterId))");
        }
        sql.append(" ORDER BY created_at DESC, id DESC LIMIT :limit");
        return jdbi.withHandle(handle -> {
            var query = handle.createQuery(sql.toString()).bind("accountId", accountId).bind("limit", limit);
            if (status != null) {
                query.bind("status", status.wireName());
            }
            if (to != null) {
                query.bind("to", to);
            }
            if (createdFrom != null) {
                query.bind("createdFrom", utc(createdFrom));
            }
            if (createdTo != null) {
                query.bind("createdTo", utc(createdTo));
            }
            if (after != null) {
                query.bind("afterCreatedAt", utc(after.createdAt())).bind("afterId", after.id());
            }
            return query.map(Rows::message).list();
        });
    }

    @Override
    public Optional<IdempotencyKey> findIdempotencyKey(long accountId, String key, Instant notBefore) {
        return jdbi.withHandle(handle -> handle.createQuery("""
                        SELECT idempotency_key, request_sha256, sms_id, created_at, batch_sms_ids FROM idempotency_key
                        WHERE account_id = :accountId AND idempotency_key = :key AND created_at >= :notBefore""")
                .bind("accountId", accountId)
                .bind("key", key)
                .bind("notBefore", utc(notBefore))
                .map((row, context) -> new IdempotencyKey(row.getString("idempotency_key"),
                        row.getString("request_sha256"), row.getString("sms_id"), instant(row, "created_at"),
                        batchSmsIds(row.getString("batch_sms_ids"))))
                .findOne());
    }

    @Override
    public int deleteIdempotencyKeysBefore(Instant cutoff) {
        // An hour of keys at full speed is millions of rows: one transaction would hold the writer up.
        int deleted = 0;
        List<StoredKey> found;
        do {
            found = deleteOldestIdempotencyKeys(cutoff);
            deleted += found.size();
        } while (found.size() == DELETED_KEYS_A_TRANSACTION);
        return deleted;
    }

    record StoredKey(long accountId, String key) {}

    /**
     * Deletes, in one transaction, up to {@link #DELETED_KEYS_A_TRANSACTION} of the oldest keys
     * created before the cutoff; returns those it found.
     */
    List<StoredKey> deleteOldestIdempotencyKeys(Instant cutoff) {
        return jdbi.inTransaction(handle -> {
            List<StoredKey> keys = handle.createQuery("""
                            SELECT account_id, idempotency_key FROM idempotency_key WHERE created_at < :cutoff
                            ORDER BY created_at LIMIT :max""")
                    .bind("cutoff", utc(cutoff)).bind("max", DELETED_KEYS_A_TRANSACTION)
                    .map((row, context) -> new StoredKey(row.getLong("account_id"), row.getString("idempotency_key")))
                    .list();
            if (!keys.isEmpty()) {
                PreparedBatch delete = handle.prepareBatch("""
                        DELETE FROM idempotency_key
                        WHERE account_id = :accountId AND idempotency_key = :key AND created_at < :cutoff""");
                keys.forEach(key -> delete.bind("accountId", key.accountId()).bind("key", key.key())
                        .bind("cutoff", utc(cutoff)).add());
                delete.execute();
            }
            return keys;
        });
    }

    private static boolean isUniqueViolation(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof SQLException sql) {
                for (SQLException next = sql; next != null; next = next.getNextException()) {
                    if (UNIQUE_VIOLATION.equals(next.getSQLState())) {
                        return true;
                    }
                }
            }
        }
        return false;
    }
}
