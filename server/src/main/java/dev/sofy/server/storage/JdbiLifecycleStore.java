package dev.sofy.server.storage;

import static dev.sofy.server.storage.Rows.instant;
import static dev.sofy.server.storage.Rows.utc;

import dev.sofy.server.delivery.AwaitedReceipt;
import dev.sofy.server.delivery.CarrierEvent.DeliveryReceipt;
import dev.sofy.server.delivery.CarrierEvent.Outcome;
import dev.sofy.server.delivery.Claimed;
import dev.sofy.server.delivery.LifecycleStore;
import dev.sofy.server.delivery.Transition;
import dev.sofy.server.sms.Status;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.PreparedBatch;
import org.jdbi.v3.core.statement.StatementContext;

/**
 * {@link LifecycleStore} over JDBI. Transitions go through the {@link CommitQueue}, so that the
 * receipts and submissions of many SMS share a transaction with new SMS; and since one thread
 * applies them in the order they came, a receipt is never applied before the submission it is
 * about. A receipt that beats the submission anyway (the carrier answered before we recorded it)
 * is kept and applied when the submission is recorded.
 */
public final class JdbiLifecycleStore implements LifecycleStore {
    static final String NO_RECEIPT = "no receipt before the validity period ended";
    /** A pending SMS no carrier took within its validity: never tried (scheduled, held, a backlog)... */
    static final String NOT_SUBMITTED = "expired before sending";
    /** ...or tried, and refused each time for want of a carrier. */
    static final String CARRIER_UNAVAILABLE = NOT_SUBMITTED + ": carrier unavailable";
    private static final int MAX_EXPIRED_AT_ONCE = 1_000;
    private static final Duration KEEP_UNMATCHED_RECEIPTS = Duration.ofDays(2);

    /** A pending SMS a node may claim: its next attempt has come and its validity has not ended. */
    /** The order of claims, which the (status, next_attempt_at) index gives. */
    static final String CLAIM_ORDER = "ORDER BY status, next_attempt_at";
    static final String CLAIMABLE =
            "status = 'pending' AND next_attempt_at <= :now AND (expires_at IS NULL OR expires_at > :now)";

    /**
     * Transitions, applied after the new SMS of their commit; the status changes they made are
     * counted once their transaction committed.
     */
    static final class TransitionWrites implements WriteKind<Transition> {
        private final StatusChangeCounters counters;

        private TransitionWrites(StatusChangeCounters counters) {
            this.counters = counters;
        }

        @Override
        public void apply(Handle handle, List<Transition> batch, Instant now) {
            var changes = new StatusChangeCounters.Tally();
            applyAll(handle, batch, now, changes);
            if (!changes.isEmpty()) {
                handle.afterCommit(() -> counters.add(changes));
            }
        }
    }

    /** The place of transitions in the commit order; each store registers a kind with its own counters. */
    static final TransitionWrites TRANSITIONS = new TransitionWrites(StatusChangeCounters.UNCOUNTED);

    private final Jdbi jdbi;
    private final CommitQueue.Lane<Transition> transitions;
    private final DueRows<Claimed, String> dueSms;

    /** Transitions commit through {@code writes}, shared with new SMS; their status changes are not counted. */
    public JdbiLifecycleStore(Jdbi jdbi, CommitQueue writes) {
        this(jdbi, writes, StatusChangeCounters.UNCOUNTED);
    }

    /** Transitions commit through {@code writes}, shared with new SMS; {@code counters} count the status changes committed. */
    public JdbiLifecycleStore(Jdbi jdbi, CommitQueue writes, StatusChangeCounters counters) {
        this.jdbi = jdbi;
        this.transitions = writes.register(new TransitionWrites(counters));
        this.dueSms = new DueRows<>(jdbi, "sms", """
                        id, account_id, (SELECT name FROM account a WHERE a.id = sms.account_id) AS account_name,
                        sender, recipient, COALESCE(sent_text, body) AS text, is_transactional, attempts, expires_at,
                        EXISTS (SELECT 1 FROM opt_out o
                                WHERE o.account_id = sms.account_id AND o.number = sms.recipient) AS opted_out""",
                CLAIMABLE, CLAIM_ORDER,
                // No ORDER BY there: with one, H2 walks the status index instead of looking the ids up.
                CLAIMABLE + " AND id IN (<ids>)",
                ", held_until = NULL", String.class, Claimed::smsId, JdbiLifecycleStore::claimed);
    }

    @Override
    public List<Claimed> claimDue(String node, int max, Instant now, Instant leaseUntil) {
        return jdbi.inTransaction(handle -> dueSms.claim(handle, node, max, now, leaseUntil));
    }

    private static Claimed claimed(ResultSet row, StatementContext context) throws SQLException {
        return new Claimed(row.getString("id"), row.getLong("account_id"), row.getString("account_name"),
                row.getString("sender"),
                row.getString("recipient"), row.getString("text"), row.getBoolean("is_transactional"),
                row.getBoolean("opted_out"), row.getInt("attempts"),
                row.getObject("expires_at") == null ? null : instant(row, "expires_at"));
    }

    @Override
    public int releaseClaims(String node, Instant now) {
        return jdbi.withHandle(handle -> handle.createUpdate("""
                        UPDATE sms SET claimed_by = NULL, claim_expires_at = NULL, next_attempt_at = :now
                        WHERE claimed_by = :node AND status = 'pending'""")
                .bind("node", node)
                .bind("now", utc(now))
                .execute());
    }

    @Override
    public List<AwaitedReceipt> awaitingReceipts(Collection<String> carriers, Instant before, int max) {
        if (carriers.isEmpty()) {
            return List.of();
        }
        return jdbi.withHandle(handle -> handle.createQuery("""
                        SELECT p.sms_id, p.part_number, p.carrier, p.carrier_message_id, s.sender
                        FROM sms s JOIN sms_part p ON p.sms_id = s.id
                        WHERE s.status = 'sent' AND s.updated_at <= :before AND p.outcome IS NULL
                          AND p.carrier IN (<carriers>) AND (p.queried_at IS NULL OR p.queried_at <= :before)
                        ORDER BY s.updated_at, p.sms_id, p.part_number
                        LIMIT :max""")
                .bindList("carriers", List.copyOf(carriers))
                .bind("before", utc(before))
                .bind("max", max)
                .map((row, context) -> new AwaitedReceipt(row.getString("sms_id"), row.getInt("part_number"),
                        row.getString("carrier"), row.getString("carrier_message_id"), row.getString("sender")))
                .list());
    }

    @Override
    public void markQueried(List<AwaitedReceipt> parts, Instant at) {
        if (parts.isEmpty()) {
            return;
        }
        jdbi.useHandle(handle -> {
            PreparedBatch update = handle.prepareBatch(
                    "UPDATE sms_part SET queried_at = :at WHERE sms_id = :id AND part_number = :part");
            for (AwaitedReceipt part : parts) {
                update.bind("at", utc(at)).bind("id", part.smsId()).bind("part", part.partNumber()).add();
            }
            update.execute();
        });
    }

    @Override
    public CompletableFuture<Void> record(Transition transition) {
        return transitions.submit(transition);
    }

    /** Applies a batch of transitions in the writer's transaction, in the order of their kinds. */
    static void applyAll(Handle handle, List<Transition> batch, Instant now) {
        applyAll(handle, batch, now, new StatusChangeCounters.Tally());
    }

    /** As {@link #applyAll(Handle, List, Instant)}, adding the status changes made to {@code changes}. */
    static void applyAll(Handle handle, List<Transition> batch, Instant now, StatusChangeCounters.Tally changes) {
        if (batch.isEmpty()) {
            return;
        }
        {
            List<DeliveryReceipt> receipts = new ArrayList<>();
            receipts.addAll(applySent(handle, only(batch, Transition.Sent.class), changes));
            applyErrored(handle, only(batch, Transition.Errored.class), changes);
            applyRetries(handle, only(batch, Transition.RetryLater.class));
            applyHolds(handle, only(batch, Transition.Held.class));
            for (Transition.Receipt receipt : only(batch, Transition.Receipt.class)) {
                receipts.add(receipt.receipt());
            }
            applyReceipts(handle, receipts, now, changes);
            for (Transition.Expire expire : only(batch, Transition.Expire.class)) {
                applyExpire(handle, expire.now(), changes);
            }
        }
    }

    /** Records submissions; returns the receipts that had come before them. */
    private static List<DeliveryReceipt> applySent(Handle handle, List<Transition.Sent> sent,
                                                   StatusChangeCounters.Tally changes) {
        if (sent.isEmpty()) {
            return List.of();
        }
        PreparedBatch update = handle.prepareBatch("""
                UPDATE sms SET status = 'sent', status_reason = '', updated_at = :at, attempts = attempts + 1,
                               claimed_by = NULL, claim_expires_at = NULL, carrier = :carrier
                WHERE id = :id AND status = 'pending'""");
        for (Transition.Sent one : sent) {
            update.bind("at", utc(one.at())).bind("carrier", one.carrier()).bind("id", one.smsId()).add();
        }
        int[] updated = update.execute();
        List<Transition.Sent> recorded = new ArrayList<>();
        for (int i = 0; i < updated.length; i++) {
            if (updated[i] > 0) {
                recorded.add(sent.get(i));
            }
        }
        if (recorded.isEmpty()) {
            return List.of();
        }
        // A part left by an earlier submission (a crash before it was recorded) is replaced.
        PreparedBatch forget = handle.prepareBatch("DELETE FROM sms_part WHERE sms_id = :id");
        PreparedBatch parts = handle.prepareBatch("""
                INSERT INTO sms_part (sms_id, part_number, carrier, carrier_message_id)
                VALUES (:id, :part, :carrier, :carrierId)""");
        List<CarrierPart> carrierIds = new ArrayList<>();
        for (Transition.Sent one : recorded) {
            forget.bind("id", one.smsId()).add();
            for (int part = 0; part < one.carrierMessageIds().size(); part++) {
                String carrierId = one.carrierMessageIds().get(part);
                parts.bind("id", one.smsId()).bind("part", part + 1).bind("carrier", one.carrier())
                        .bind("carrierId", carrierId).add();
                carrierIds.add(new CarrierPart(one.carrier(), carrierId));
            }
        }
        forget.execute();
        parts.execute();
        appendStatusChanges(handle, recorded.stream().map(Transition.Sent::smsId).toList());
        changes.add(Status.SENT, recorded.size());
        return takeUnmatchedReceipts(handle, carrierIds);
    }

    /** A part as its carrier knows it; the carrier is null for parts sent before there were several. */
    private record CarrierPart(String carrier, String carrierMessageId) {}

    /** The receipts kept for parts just recorded: of the same carrier, or kept before receipts named theirs. */
    private static List<DeliveryReceipt> takeUnmatchedReceipts(Handle handle, List<CarrierPart> carrierParts) {
        Set<CarrierPart> recorded = new HashSet<>(carrierParts);
        List<DeliveryReceipt> early = handle.createQuery("""
                        SELECT carrier, carrier_message_id, outcome, error_code, done_at FROM sms_receipt_unmatched
                        WHERE carrier_message_id IN (<ids>)""")
                .bindList("ids", InLists.padded(carrierParts.stream().map(CarrierPart::carrierMessageId).distinct().toList()))
                .map((row, context) -> new DeliveryReceipt(row.getString("carrier"), row.getString("carrier_message_id"),
                        Outcome.valueOf(row.getString("outcome")), row.getString("error_code"), instant(row, "done_at")))
                .list();
        List<DeliveryReceipt> taken = new ArrayList<>();
        PreparedBatch delete = handle.prepareBatch("""
                DELETE FROM sms_receipt_unmatched WHERE carrier_message_id = :carrierId AND COALESCE(carrier, '') = :carrier""");
        for (DeliveryReceipt receipt : early) {
            boolean ours = receipt.carrier() == null
                    ? carrierParts.stream().anyMatch(part -> part.carrierMessageId().equals(receipt.carrierMessageId()))
                    : recorded.contains(new CarrierPart(receipt.carrier(), receipt.carrierMessageId()));
            if (ours) {
                taken.add(receipt);
                delete.bind("carrierId", receipt.carrierMessageId())
                        .bind("carrier", receipt.carrier() == null ? "" : receipt.carrier()).add();
            }
        }
        if (!taken.isEmpty()) {
            delete.execute();
        }
        return taken;
    }

    private static void applyErrored(Handle handle, List<Transition.Errored> errored,
                                     StatusChangeCounters.Tally changes) {
        if (errored.isEmpty()) {
            return;
        }
        PreparedBatch update = handle.prepareBatch("""
                UPDATE sms SET status = 'errored', status_reason = :reason, updated_at = :at, attempts = attempts + 1,
                               claimed_by = NULL, claim_expires_at = NULL
                WHERE id = :id AND status = 'pending'""");
        for (Transition.Errored one : errored) {
            update.bind("reason", clip(one.reason())).bind("at", utc(one.at())).bind("id", one.smsId()).add();
        }
        List<String> changed = changed(update.execute(), errored.stream().map(Transition.Errored::smsId).toList());
        appendStatusChanges(handle, changed);
        changes.add(Status.ERRORED, changed.size());
    }

    private static void applyRetries(Handle handle, List<Transition.RetryLater> retries) {
        if (retries.isEmpty()) {
            return;
        }
        PreparedBatch update = handle.prepareBatch("""
                UPDATE sms SET next_attempt_at = :next, attempts = attempts + 1, claimed_by = NULL, claim_expires_at = NULL
                WHERE id = :id AND status = 'pending'""");
        for (Transition.RetryLater one : retries) {
            update.bind("next", utc(one.nextAttemptAt())).bind("id", one.smsId()).add();
        }
        update.execute();
    }

    private static void applyHolds(Handle handle, List<Transition.Held> holds) {
        if (holds.isEmpty()) {
            return;
        }
        PreparedBatch update = handle.prepareBatch("""
                UPDATE sms SET next_attempt_at = :until, held_until = :until, claimed_by = NULL, claim_expires_at = NULL
                WHERE id = :id AND status = 'pending'""");
        for (Transition.Held one : holds) {
            update.bind("until", utc(one.until())).bind("id", one.smsId()).add();
        }
        update.execute();
    }

    private static void applyReceipts(Handle handle, List<DeliveryReceipt> receipts, Instant now,
                                      StatusChangeCounters.Tally changes) {
        if (receipts.isEmpty()) {
            return;
        }
        PreparedBatch update = handle.prepareBatch("""
                UPDATE sms_part SET outcome = :outcome, error_code = :errorCode, done_at = :doneAt
                WHERE carrier_message_id = :carrierId AND (carrier = :carrier OR carrier IS NULL) AND outcome IS NULL""");
        for (DeliveryReceipt receipt : receipts) {
            update.bind("outcome", receipt.outcome().name())
                    .bindByType("errorCode", receipt.errorCode(), String.class)
                    .bind("doneAt", utc(receipt.doneAt()))
                    .bind("carrierId", receipt.carrierMessageId())
                    .bindByType("carrier", receipt.carrier(), String.class)
                    .add();
        }
        int[] updated = update.execute();
        List<String> matched = new ArrayList<>();
        List<DeliveryReceipt> unmatched = new ArrayList<>();
        for (int i = 0; i < updated.length; i++) {
            if (updated[i] > 0) {
                matched.add(receipts.get(i).carrierMessageId());
            } else {
                unmatched.add(receipts.get(i));
            }
        }
        keepUnmatched(handle, unmatched);
        if (!matched.isEmpty()) {
            finishDeliveredParts(handle, matched, now, changes);
        }
    }

    /** Receipts for parts we do not know yet are kept; repeated receipts of known parts are dropped. */
    private static void keepUnmatched(Handle handle, List<DeliveryReceipt> unmatched) {
        if (unmatched.isEmpty()) {
            return;
        }
        List<CarrierPart> known = handle.createQuery(
                        "SELECT carrier, carrier_message_id FROM sms_part WHERE carrier_message_id IN (<ids>)")
                .bindList("ids", InLists.padded(unmatched.stream().map(DeliveryReceipt::carrierMessageId).toList()))
                .map((row, context) -> new CarrierPart(row.getString("carrier"), row.getString("carrier_message_id")))
                .list();
        PreparedBatch keep = handle.prepareBatch("""
                INSERT INTO sms_receipt_unmatched (carrier, carrier_message_id, outcome, error_code, done_at)
                VALUES (:carrier, :carrierId, :outcome, :errorCode, :doneAt)""");
        int kept = 0;
        for (DeliveryReceipt receipt : unmatched) {
            boolean isKnown = known.stream().anyMatch(part -> part.carrierMessageId().equals(receipt.carrierMessageId())
                    && (part.carrier() == null || part.carrier().equals(receipt.carrier())));
            if (!isKnown) {
                keep.bindByType("carrier", receipt.carrier(), String.class)
                        .bind("carrierId", receipt.carrierMessageId())
                        .bind("outcome", receipt.outcome().name())
                        .bindByType("errorCode", receipt.errorCode(), String.class)
                        .bind("doneAt", utc(receipt.doneAt()))
                        .add();
                kept++;
            }
        }
        if (kept > 0) {
            keep.execute();
        }
    }

    private record PartState(String smsId, String outcome, String errorCode) {}

    /** An SMS whose every part has its receipt gets its final status. */
    private static void finishDeliveredParts(Handle handle, List<String> carrierIds, Instant now,
                                             StatusChangeCounters.Tally changes) {
        // Two indexed lookups: H2 would scan every part for an IN (subquery).
        List<String> smsIds = handle.createQuery("SELECT DISTINCT sms_id FROM sms_part WHERE carrier_message_id IN (<ids>)")
                .bindList("ids", InLists.padded(carrierIds))
                .mapTo(String.class)
                .list();
        List<PartState> parts = handle.createQuery("""
                        SELECT sms_id, outcome, error_code FROM sms_part WHERE sms_id IN (<ids>)
                        ORDER BY sms_id, part_number""")
                .bindList("ids", InLists.padded(smsIds))
                .map((row, context) -> new PartState(row.getString("sms_id"), row.getString("outcome"),
                        row.getString("error_code")))
                .list();
        Map<String, List<PartState>> bySms = new LinkedHashMap<>();
        parts.forEach(part -> bySms.computeIfAbsent(part.smsId(), id -> new ArrayList<>()).add(part));
        PreparedBatch update = handle.prepareBatch("""
                UPDATE sms SET status = :status, status_reason = :reason, updated_at = :at
                WHERE id = :id AND status = 'sent'""");
        List<String> ids = new ArrayList<>();
        List<Status> statuses = new ArrayList<>();
        bySms.forEach((smsId, states) -> {
            if (states.stream().anyMatch(state -> state.outcome() == null)) {
                return;
            }
            PartState failed = states.stream()
                    .filter(state -> !Outcome.DELIVERED.name().equals(state.outcome()))
                    .findFirst().orElse(null);
            Status status = failed == null ? Status.DELIVERED : Status.UNDELIVERED;
            update.bind("status", status.wireName())
                    .bind("reason", failed == null ? "" : undeliveredReason(failed))
                    .bind("at", utc(now))
                    .bind("id", smsId)
                    .add();
            ids.add(smsId);
            statuses.add(status);
        });
        if (!ids.isEmpty()) {
            int[] updated = update.execute();
            appendStatusChanges(handle, changed(updated, ids));
            for (int i = 0; i < updated.length; i++) {
                if (updated[i] > 0) {
                    changes.add(statuses.get(i), 1);
                }
            }
        }
    }

    private static String undeliveredReason(PartState failed) {
        if (Outcome.EXPIRED.name().equals(failed.outcome())) {
            return "expired";
        }
        return failed.errorCode() == null || failed.errorCode().isBlank()
                ? "undelivered"
                : "undelivered: error " + failed.errorCode();
    }

    private static void applyExpire(Handle handle, Instant now, StatusChangeCounters.Tally changes) {
        expire(handle, "sent", NO_RECEIPT, now, changes);
        expire(handle, "pending", NOT_SUBMITTED, now, changes);
        handle.createUpdate("DELETE FROM sms_receipt_unmatched WHERE done_at < :cutoff")
                .bind("cutoff", utc(now.minus(KEEP_UNMATCHED_RECEIPTS)))
                .execute();
    }

    private record Expired(String id, int attempts) {}

    /** {@code reason} for a pending SMS is the one of an SMS never tried; one tried says the carrier was unavailable. */
    private static void expire(Handle handle, String status, String reason, Instant now,
                               StatusChangeCounters.Tally changes) {
        List<Expired> found = handle.createQuery("""
                        SELECT id, attempts FROM sms
                        WHERE status = :status AND expires_at <= :now AND (claimed_by IS NULL OR claim_expires_at < :now)
                        ORDER BY expires_at
                        LIMIT :max""")
                .bind("status", status)
                .bind("now", utc(now))
                .bind("max", MAX_EXPIRED_AT_ONCE)
                .map((row, context) -> new Expired(row.getString("id"), row.getInt("attempts")))
                .list();
        if (found.isEmpty()) {
            return;
        }
        List<String> ids = found.stream().map(Expired::id).toList();
        PreparedBatch update = handle.prepareBatch("""
                UPDATE sms SET status = 'errored', status_reason = :reason, updated_at = :at,
                               claimed_by = NULL, claim_expires_at = NULL, held_until = NULL
                WHERE id = :id AND status = :status""");
        for (Expired one : found) {
            String why = "pending".equals(status) && one.attempts() > 0 ? CARRIER_UNAVAILABLE : reason;
            update.bind("reason", why).bind("at", utc(now)).bind("id", one.id()).bind("status", status).add();
        }
        List<String> changed = changed(update.execute(), ids);
        appendStatusChanges(handle, changed);
        changes.add(Status.ERRORED, changed.size());
    }

    /**
     * The status each SMS now has, as the next entry of its history. The webhook sender turns these
     * entries into events later ({@link JdbiWebhookStore#recordEvents}).
     */
    static void appendStatusChanges(Handle handle, List<String> smsIds) {
        if (smsIds.isEmpty()) {
            return;
        }
        EventLogs.beforeAppending(handle);
        PreparedBatch insert = handle.prepareBatch("""
                INSERT INTO sms_status_change (sms_id, account_id, status, status_reason, changed_at)
                SELECT id, account_id, status, status_reason, updated_at FROM sms WHERE id = :id""");
        for (String id : smsIds) {
            insert.bind("id", id).add();
        }
        insert.execute();
    }

    private static List<String> changed(int[] counts, List<String> ids) {
        List<String> changed = new ArrayList<>();
        for (int i = 0; i < counts.length; i++) {
            if (counts[i] > 0) {
                changed.add(ids.get(i));
            }
        }
        return changed;
    }

    private static <T extends Transition> List<T> only(List<Transition> batch, Class<T> type) {
        List<T> found = new ArrayList<>();
        for (Transition transition : batch) {
            if (type.isInstance(transition)) {
                found.add(type.cast(transition));
            }
        }
        return found;
    }

    private static String clip(String reason) {
        return reason.length() <= 500 ? reason : reason.substring(0, 499) + "…";
    }
}
