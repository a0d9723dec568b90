package dev.sofy.server.storage;

import static dev.sofy.server.storage.Rows.instant;
import static dev.sofy.server.storage.Rows.utc;

import dev.sofy.server.inbound.InboundSms;
import dev.sofy.server.sms.Message;
import dev.sofy.server.sms.Status;
import dev.sofy.server.webhooks.Delivery;
import dev.sofy.server.webhooks.Endpoint;
import dev.sofy.server.webhooks.EventType;
import dev.sofy.server.webhooks.WebhookStore;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Collectors;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.PreparedBatch;
import org.jdbi.v3.core.statement.StatementContext;

/** {@link WebhookStore} over JDBI. */
public final class JdbiWebhookStore implements WebhookStore {
    private static final int MAX_ERROR_LENGTH = 500;
    /** Events deleted a transaction: those of a removed endpoint, or finished ones. */
    static final int DELETED_EVENTS_A_TRANSACTION = 1_000;
    /**
     * Delivered, or given up, before {@code :cutoff}: two ranges of the webhook_delivery_due index.
     * The lower bounds spare H2, which puts NULLs first, a walk through every event still owed.
     */
    static final List<String> FINISHED_BEFORE = List.of(
            "delivered_at >= :epoch AND delivered_at < :cutoff",
            "delivered_at IS NULL AND failed_at >= :epoch AND failed_at < :cutoff");

    /** Due: neither delivered nor given up, and its time has come (a claim pushes it to the lease's end). */
    private static final String CLAIMABLE = "delivered_at IS NULL AND failed_at IS NULL AND next_attempt_at <= :now";

    /** The order of the webhook_delivery_due index: H2 follows it only when every column is named. */
    private static final String IN_INDEX_ORDER = "ORDER BY delivered_at, failed_at, next_attempt_at";

    /** The cursors of the status changes and of the clicks recorded as events. */
    private static final String STATUS_CHANGES = "sms_status_change";
    private static final String CLICKS = "sms_click";

    private final Jdbi jdbi;
    private final CommitQueue.Lane<Outcome> outcomes;
    private final DueRows<Claim, Long> dueEvents;

    /** The outcome of an attempt, committed with the other writes of the hot paths. */
    sealed interface Outcome {
        long deliveryId();
    }

    record Delivered(long deliveryId, int status, Instant at) implements Outcome {}

    record Failed(long deliveryId, Integer status, String error, Instant nextAttemptAt, Instant at) implements Outcome {}

    /** The outcomes of attempts. */
    static final class OutcomeWrites implements WriteKind<Outcome> {
        private OutcomeWrites() {}

        @Override
        public void apply(Handle handle, List<Outcome> batch, Instant now) {
            applyOutcomes(handle, batch);
        }
    }

    static final OutcomeWrites OUTCOMES = new OutcomeWrites();

    public JdbiWebhookStore(Jdbi jdbi, CommitQueue writes) {
        this.jdbi = jdbi;
        this.outcomes = writes.register(OUTCOMES);
        this.dueEvents = new DueRows<>(jdbi, "webhook_delivery",
                "id, endpoint_id, event_type, status_change_id, click_id, inbound_sms_id, occurred_at, attempts",
                CLAIMABLE, IN_INDEX_ORDER,
                // The condition in a CASE, which no index serves: else H2 walks the due index again.
                "id IN (<ids>) AND CASE WHEN " + CLAIMABLE + " THEN TRUE ELSE FALSE END",
                "", Long.class, Claim::id, JdbiWebhookStore::claim);
    }

    /**
     * The outbox, for the metrics: the events still owed (neither delivered nor given up) and,
     * of those due now, when the oldest became due; null when none is due.
     */
    public record Outbox(long owed, Instant oldestDueSince) {}

    /**
     * Reads the outbox: one range of the webhook_delivery_due index (the events owed), so the cost
     * grows with the backlog, not with the events kept; the metrics read it at most every few seconds.
     */
    public Outbox outbox(Instant now) {
        return jdbi.withHandle(handle -> handle.createQuery("""
                        SELECT COUNT(*) AS owed,
                               MIN(CASE WHEN next_attempt_at <= :now THEN next_attempt_at END) AS oldest_due
                        FROM webhook_delivery WHERE delivered_at IS NULL AND failed_at IS NULL""")
                .bind("now", utc(now))
                .map((row, context) -> new Outbox(row.getLong("owed"),
                        row.getObject("oldest_due") == null ? null : instant(row, "oldest_due")))
                .one());
    }

    @Override
    public void insert(Endpoint endpoint) {
        jdbi.useHandle(handle -> handle.createUpdate("""
                        INSERT INTO webhook_endpoint (id, account_id, url, events, secret, created_at)
                        VALUES (:id, :accountId, :url, :events, :secret, :createdAt)""")
                .bind("id", endpoint.id())
                .bind("accountId", endpoint.accountId())
                .bind("url", endpoint.url())
                .bind("events", endpoint.events().stream().map(EventType::wireName).sorted().collect(Collectors.joining(",")))
                .bind("secret", endpoint.secret())
                .bind("createdAt", utc(endpoint.createdAt()))
                .execute());
    }

    @Override
    public List<Endpoint> list(long accountId) {
        return jdbi.withHandle(handle -> handle.createQuery("""
                        SELECT id, account_id, url, events, secret, created_at, disabled_at, disabled_reason
                        FROM webhook_endpoint WHERE account_id = :accountId ORDER BY created_at, id""")
                .bind("accountId", accountId)
                .map((row, context) -> endpoint(row))
                .list());
    }

    private static Endpoint endpoint(ResultSet row) throws SQLException {
        Set<EventType> events = Arrays.stream(row.getString("events").split(","))
                .map(name -> EventType.fromWireName(name).orElseThrow())
                .collect(Collectors.toSet());
        return new Endpoint(row.getString("id"), row.getLong("account_id"), row.getString("url"), events,
                row.getString("secret"), instant(row, "created_at"),
                row.getObject("disabled_at") == null ? null : instant(row, "disabled_at"),
                row.getString("disabled_reason"));
    }

    @Override
    public boolean delete(long accountId, String id) {
        boolean owned = jdbi.withHandle(handle -> handle.createQuery(
                        "SELECT COUNT(*) FROM webhook_endpoint WHERE id = :id AND account_id = :accountId")
                .bind("id", id).bind("accountId", accountId).mapTo(Integer.class).one() > 0);
        if (!owned) {
            return false;
        }
        // The events it is owed go a few at a time: the writer may be recording the outcomes of
        // some, and one transaction over an outbox of millions would hold it (and new SMS) up.
        long after = 0;
        List<Long> deleted;
        do {
            deleted = deleteOwedEvents(id, after);
            after = deleted.isEmpty() ? after : deleted.get(deleted.size() - 1);
        } while (deleted.size() == DELETED_EVENTS_A_TRANSACTION);
        // Events queued meanwhile go with the endpoint (ON DELETE CASCADE).
        return jdbi.withHandle(handle -> handle.createUpdate(
                        "DELETE FROM webhook_endpoint WHERE id = :id AND account_id = :accountId")
                .bind("id", id).bind("accountId", accountId).execute() > 0);
    }

    /**
     * Deletes, in one transaction, up to {@link #DELETED_EVENTS_A_TRANSACTION} of the events owed to
     * the endpoint whose ids follow {@code afterId}, in id order; returns their ids.
     */
    List<Long> deleteOwedEvents(String endpointId, long afterId) {
        return jdbi.inTransaction(handle -> {
            List<Long> ids = handle.createQuery("""
                            SELECT id FROM webhook_delivery WHERE endpoint_id = :id AND id > :after
                            ORDER BY id LIMIT :max""")
                    .bind("id", endpointId).bind("after", afterId).bind("max", DELETED_EVENTS_A_TRANSACTION)
                    .mapTo(Long.class).list();
            if (!ids.isEmpty()) {
                handle.createUpdate("DELETE FROM webhook_delivery WHERE id IN (<ids>)").bindList("ids", ids).execute();
            }
            return ids;
        });
    }

    @Override
    public int forgetFinishedBefore(Instant cutoff) {
        // A transaction each thousand events, as for a removed endpoint: the writer waits for none long.
        int forgotten = 0;
        for (String finished : FINISHED_BEFORE) {
            List<Long> deleted;
            do {
                deleted = deleteFinished(finished, cutoff);
                forgotten += deleted.size();
            } while (deleted.size() == DELETED_EVENTS_A_TRANSACTION);
        }
        return forgotten;
    }

    /**
     * Deletes, in one transaction, up to {@link #DELETED_EVENTS_A_TRANSACTION} finished events;
     * returns the ids it found.
     */
    List<Long> deleteFinished(String finished, Instant cutoff) {
        return jdbi.inTransaction(handle -> {
            List<Long> ids = handle.createQuery("SELECT id FROM webhook_delivery WHERE " + finished + " "
                            + IN_INDEX_ORDER + " LIMIT :max")
                    .bind("epoch", utc(Instant.EPOCH)).bind("cutoff", utc(cutoff))
                    .bind("max", DELETED_EVENTS_A_TRANSACTION)
                    .mapTo(Long.class).list();
            if (!ids.isEmpty()) {
                handle.createUpdate("DELETE FROM webhook_delivery WHERE id IN (<ids>)").bindList("ids", ids).execute();
            }
            return ids;
        });
    }

    /**
     * Turns the status changes and clicks that follow their cursors into events, for each endpoint
     * that wanted them when they happened, and moves the cursors past them: up to {@code max} ids
     * of each a call, and only committed ones ({@link EventLogs}). An endpoint's events are
     * numbered in the order the writer committed what they tell: a click goes after the status
     * change its row says came before it, and before the next one. With no endpoint to tell, a
     * cursor goes straight to the last committed row.
     */
    @Override
    public int recordEvents(int max) {
        EventLogs.Committed committed = EventLogs.committedUpTo(jdbi);
        return jdbi.inTransaction(handle -> {
            Map<String, Long> cursors = new HashMap<>();
            handle.createQuery("SELECT source, last_id FROM webhook_cursor WHERE source IN (<sources>) ORDER BY source FOR UPDATE")
                    .bindList("sources", List.of(CLICKS, STATUS_CHANGES))
                    .map((row, context) -> Map.entry(row.getString("source"), row.getLong("last_id")))
                    .forEach(cursor -> cursors.put(cursor.getKey(), cursor.getValue()));
            long lastChange = cursors.get(STATUS_CHANGES);
            long lastClick = cursors.get(CLICKS);
            if (committed.statusChanges() <= lastChange && committed.clicks() <= lastClick) {
                return 0;
            }
            boolean statusWanted = anyEndpointFor(handle, EventType.SMS_STATUS);
            boolean clicksWanted = anyEndpointFor(handle, EventType.SMS_CLICK);
            long changesUpTo = statusWanted ? Math.min(committed.statusChanges(), lastChange + max) : committed.statusChanges();
            long clicksUpTo = clicksWanted ? Math.min(committed.clicks(), lastClick + max) : committed.clicks();
            if (clicksWanted) {
                // Neither log is recorded past a place the other has not reached: no click before a
                // status change it came after, no status change before a click it came after.
                Optional<Long> held = handle.createQuery("""
                                SELECT id FROM sms_click
                                WHERE id > :last AND id <= :upTo AND after_status_change > :changesUpTo
                                ORDER BY id LIMIT 1""")
                        .bind("last", lastClick).bind("upTo", clicksUpTo).bind("changesUpTo", changesUpTo)
                        .mapTo(Long.class).findOne();
                if (held.isPresent()) {
                    clicksUpTo = held.get() - 1;
                }
                if (clicksUpTo < committed.clicks()) {
                    long nextClickAfter = handle.createQuery("""
                                    SELECT after_status_change FROM sms_click WHERE id > :upTo AND id <= :committed
                                    ORDER BY id LIMIT 1""")
                            .bind("upTo", clicksUpTo).bind("committed", committed.clicks())
                            .mapTo(Long.class).one();
                    changesUpTo = Math.max(lastChange, Math.min(changesUpTo, nextClickAfter));
                }
            }
            // A log no endpoint wants is passed over without reading it.
            long changesFrom = statusWanted ? lastChange : changesUpTo;
            long clicksFrom = clicksWanted ? lastClick : clicksUpTo;
            if (changesUpTo > changesFrom || clicksUpTo > clicksFrom) {
                // In that order: an endpoint's outbox ids are the sequence of its events.
                handle.createUpdate("""
                                INSERT INTO webhook_delivery (endpoint_id, event_type, status_change_id, click_id,
                                                              occurred_at, next_attempt_at)
                                SELECT endpoint_id, event_type, status_change_id, click_id, occurred_at, occurred_at
                                FROM (
                                    SELECT e.id AS endpoint_id, 'sms.status' AS event_type, c.id AS status_change_id,
                                           CAST(NULL AS BIGINT) AS click_id, c.changed_at AS occurred_at,
                                           c.id AS place, 0 AS kind, c.id AS row_id
                                    FROM sms_status_change c JOIN webhook_endpoint e ON e.account_id = c.account_id
                                    WHERE c.id > :changesFrom AND c.id <= :changesUpTo AND e.disabled_at IS NULL
                                      AND e.events LIKE '%sms.status%' AND e.created_at <= c.changed_at
                                    UNION ALL
                                    SELECT e.id, 'sms.click', CAST(NULL AS BIGINT), k.id, k.clicked_at,
                                           k.after_status_change, 1, k.id
                                    FROM sms_click k JOIN sms_link l ON l.code = k.code JOIN sms s ON s.id = l.sms_id
                                         JOIN webhook_endpoint e ON e.account_id = s.account_id
                                    WHERE k.id > :clicksFrom AND k.id <= :clicksUpTo AND e.disabled_at IS NULL
                                      AND e.events LIKE '%sms.click%' AND e.created_at <= k.clicked_at
                                ) recorded
                                ORDER BY place, kind, row_id, endpoint_id""")
                        .bind("changesFrom", changesFrom).bind("changesUpTo", changesUpTo)
                        .bind("clicksFrom", clicksFrom).bind("clicksUpTo", clicksUpTo)
                        .execute();
            }
            PreparedBatch moved = handle.prepareBatch("UPDATE webhook_cursor SET last_id = :upTo WHERE source = :source");
            moved.bind("upTo", changesUpTo).bind("source", STATUS_CHANGES).add();
            moved.bind("upTo", clicksUpTo).bind("source", CLICKS).add();
            moved.execute();
            return Math.toIntExact(changesUpTo - lastChange + clicksUpTo - lastClick);
        });
    }

    private static boolean anyEndpointFor(Handle handle, EventType type) {
        return handle.createQuery("SELECT COUNT(*) FROM webhook_endpoint WHERE disabled_at IS NULL AND events LIKE :type")
                .bind("type", "%" + type.wireName() + "%")
                .mapTo(Long.class).one() > 0;
    }

    private record Claim(long id, String endpointId, String type, Long statusChangeId, Long clickId,
                         String inboundSmsId, Instant occurredAt, int attempts) {}

    @Override
    public List<Delivery> claimDue(String node, int max, Instant now, Instant leaseUntil) {
        return jdbi.inTransaction(handle -> {
            List<Claim> due = dueEvents.claim(handle, node, max, now, leaseUntil);
            return due.isEmpty() ? List.of() : deliveries(handle, due, now);
        });
    }

    private static Claim claim(ResultSet row, StatementContext context) throws SQLException {
        return new Claim(row.getLong("id"), row.getString("endpoint_id"), row.getString("event_type"),
                row.getObject("status_change_id", Long.class), row.getObject("click_id", Long.class),
                row.getString("inbound_sms_id"), instant(row, "occurred_at"), row.getInt("attempts"));
    }

    private record StatusEvent(String smsId, String status, String reason, Instant changedAt) {}

    private record ClickEvent(String code, long clicks, Instant clickedAt, String smsId, String url) {}

    /**
     * What each claimed event's payload needs, read in a few queries for the whole batch. The
     * sequence is the outbox row's id: status changes and clicks are numbered apart, but an
     * endpoint's outbox rows are written in the order of its events, whatever their type. An
     * event about an SMS deleted past retention is given up: nothing is left to tell.
     */
    private List<Delivery> deliveries(Handle handle, List<Claim> due, Instant claimedAt) {
        Map<String, Endpoint> endpoints = new HashMap<>();
        handle.createQuery("SELECT id, account_id, url, events, secret, created_at, disabled_at, disabled_reason "
                        + "FROM webhook_endpoint WHERE id IN (<ids>)")
                .bindList("ids", due.stream().map(Claim::endpointId).distinct().toList())
                .map((row, context) -> endpoint(row))
                .forEach(endpoint -> endpoints.put(endpoint.id(), endpoint));
        Map<Long, StatusEvent> statuses = new HashMap<>();
        List<Long> statusIds = due.stream().map(Claim::statusChangeId).filter(id -> id != null).toList();
        if (!statusIds.isEmpty()) {
            handle.createQuery("SELECT id, sms_id, status, status_reason, changed_at FROM sms_status_change WHERE id IN (<ids>)")
                    .bindList("ids", statusIds)
                    .map((row, context) -> Map.entry(row.getLong("id"), new StatusEvent(row.getString("sms_id"),
                            row.getString("status"), row.getString("status_reason"), instant(row, "changed_at"))))
                    .forEach(entry -> statuses.put(entry.getKey(), entry.getValue()));
        }
        Map<Long, ClickEvent> clicks = new HashMap<>();
        List<Long> clickIds = due.stream().map(Claim::clickId).filter(id -> id != null).toList();
        if (!clickIds.isEmpty()) {
            handle.createQuery("""
                            SELECT c.id, c.code, c.clicks, c.clicked_at, l.sms_id, l.url
                            FROM sms_click c JOIN sms_link l ON l.code = c.code WHERE c.id IN (<ids>)""")
                    .bindList("ids", clickIds)
                    .map((row, context) -> Map.entry(row.getLong("id"), new ClickEvent(row.getString("code"),
                            row.getLong("clicks"), instant(row, "clicked_at"), row.getString("sms_id"), row.getString("url"))))
                    .forEach(entry -> clicks.put(entry.getKey(), entry.getValue()));
        }
        Map<String, InboundSms> inbound = new HashMap<>();
        List<String> inboundIds = due.stream().map(Claim::inboundSmsId).filter(id -> id != null).toList();
        if (!inboundIds.isEmpty()) {
            handle.createQuery("SELECT " + JdbiInboundStore.COLUMNS + " FROM inbound_sms WHERE id IN (<ids>)")
                    .bindList("ids", inboundIds)
                    .map(JdbiInboundStore::inbound)
                    .forEach(message -> inbound.put(message.id(), message));
        }
        List<String> smsIds = new ArrayList<>();
        statuses.values().forEach(event -> smsIds.add(event.smsId()));
        clicks.values().forEach(event -> smsIds.add(event.smsId()));
        Map<String, Message> messages = new HashMap<>();
        Map<String, List<Delivery.Link>> links = new HashMap<>();
        if (!smsIds.isEmpty()) {
            List<String> distinct = smsIds.stream().distinct().toList();
            handle.createQuery("SELECT " + Rows.SMS_COLUMNS + " FROM sms WHERE id IN (<ids>)")
                    .bindList("ids", distinct)
                    .map(Rows::message)
                    .forEach(message -> messages.put(message.id(), message));
            handle.createQuery("SELECT sms_id, code, url, clicks FROM sms_link WHERE sms_id IN (<ids>) ORDER BY code")
                    .bindList("ids", distinct)
                    .map((row, context) -> Map.entry(row.getString("sms_id"),
                            new Delivery.Link(row.getString("code"), row.getString("url"), row.getLong("clicks"))))
                    .forEach(entry -> links.computeIfAbsent(entry.getKey(), id -> new ArrayList<>()).add(entry.getValue()));
        }
        List<Delivery> deliveries = new ArrayList<>();
        List<Long> gone = new ArrayList<>();
        for (Claim claim : due) {
            Endpoint endpoint = endpoints.get(claim.endpointId());
            if (!stillExists(claim, inbound, statuses, clicks, messages)) {
                gone.add(claim.id());
            } else if (claim.inboundSmsId() != null) {
                deliveries.add(new Delivery(claim.id(), endpoint.id(), endpoint.url(), endpoint.secret(),
                        EventType.SMS_RECEIVED, "received_" + claim.inboundSmsId(), claim.id(), claim.occurredAt(),
                        claim.attempts(), null, List.of(), null, inbound.get(claim.inboundSmsId())));
            } else if (claim.statusChangeId() != null) {
                StatusEvent event = statuses.get(claim.statusChangeId());
                Message now = messages.get(event.smsId());
                Message then = now.withStatus(Status.fromWireName(event.status()), event.reason(), event.changedAt());
                deliveries.add(new Delivery(claim.id(), endpoint.id(), endpoint.url(), endpoint.secret(),
                        EventType.SMS_STATUS, "status_" + claim.statusChangeId(), claim.id(),
                        claim.occurredAt(), claim.attempts(), then, links.getOrDefault(now.id(), List.of()), null));
            } else {
                ClickEvent event = clicks.get(claim.clickId());
                Message sms = messages.get(event.smsId());
                deliveries.add(new Delivery(claim.id(), endpoint.id(), endpoint.url(), endpoint.secret(),
                        EventType.SMS_CLICK, "click_" + claim.clickId(), claim.id(), claim.occurredAt(),
                        claim.attempts(), sms, links.getOrDefault(sms.id(), List.of()),
                        new Delivery.Link(event.code(), event.url(), event.clicks())));
            }
        }
        if (!gone.isEmpty()) {
            handle.createUpdate("""
                            UPDATE webhook_delivery SET failed_at = :now, last_error = :error,
                                                        claimed_by = NULL, claim_expires_at = NULL
                            WHERE id IN (<ids>)""")
                    .bind("now", utc(claimedAt)).bind("error", SMS_GONE).bindList("ids", gone).execute();
        }
        return deliveries;
    }

    static final String SMS_GONE = "the SMS no longer exists: deleted past retention";

    private static boolean stillExists(Claim claim, Map<String, InboundSms> inbound, Map<Long, StatusEvent> statuses,
                                       Map<Long, ClickEvent> clicks, Map<String, Message> messages) {
        if (claim.inboundSmsId() != null) {
            return inbound.containsKey(claim.inboundSmsId());
        }
        if (claim.statusChangeId() != null) {
            StatusEvent event = statuses.get(claim.statusChangeId());
            return event != null && messages.containsKey(event.smsId());
        }
        ClickEvent event = clicks.get(claim.clickId());
        return event != null && messages.containsKey(event.smsId());
    }

    @Override
    public int releaseClaims(String node, Instant now) {
        return jdbi.withHandle(handle -> handle.createUpdate("""
                        UPDATE webhook_delivery SET claimed_by = NULL, claim_expires_at = NULL, next_attempt_at = :now
                        WHERE claimed_by = :node AND delivered_at IS NULL AND failed_at IS NULL""")
                .bind("node", node)
                .bind("now", utc(now))
                .execute());
    }

    @Override
    public CompletableFuture<Void> delivered(long deliveryId, int status, Instant at) {
        return outcomes.submit(new Delivered(deliveryId, status, at));
    }

    @Override
    public CompletableFuture<Void> failed(long deliveryId, Integer status, String error, Instant nextAttemptAt,
                                          Instant at) {
        String clipped = error.length() <= MAX_ERROR_LENGTH ? error : error.substring(0, MAX_ERROR_LENGTH);
        return outcomes.submit(new Failed(deliveryId, status, clipped, nextAttemptAt, at));
    }

    /** Records outcomes in the caller's transaction, in two batched statements. */
    static void applyOutcomes(Handle handle, List<Outcome> outcomes) {
        if (outcomes.isEmpty()) {
            return;
        }
        PreparedBatch delivered = handle.prepareBatch("""
                UPDATE webhook_delivery SET delivered_at = :at, last_status = :status, attempts = attempts + 1,
                                            claimed_by = NULL, claim_expires_at = NULL
                WHERE id = :id""");
        PreparedBatch failed = handle.prepareBatch("""
                UPDATE webhook_delivery SET attempts = attempts + 1, last_status = :status, last_error = :error,
                       next_attempt_at = COALESCE(:next, next_attempt_at),
                       failed_at = CASE WHEN :giveUp THEN :at ELSE NULL END,
                       claimed_by = NULL, claim_expires_at = NULL
                WHERE id = :id""");
        for (Outcome outcome : outcomes) {
            if (outcome instanceof Delivered one) {
                delivered.bind("at", utc(one.at())).bind("status", one.status()).bind("id", one.deliveryId()).add();
            } else if (outcome instanceof Failed one) {
                failed.bindByType("status", one.status(), Integer.class)
                        .bind("error", one.error())
                        .bindByType("next", one.nextAttemptAt() == null ? null : utc(one.nextAttemptAt()),
                                OffsetDateTime.class)
                        .bind("giveUp", one.nextAttemptAt() == null)
                        .bind("at", utc(one.at()))
                        .bind("id", one.deliveryId())
                        .add();
            }
        }
        if (delivered.size() > 0) {
            delivered.execute();
        }
        if (failed.size() > 0) {
            failed.execute();
        }
    }

    @Override
    public void disable(String endpointId, String reason, Instant at) {
        jdbi.useTransaction(handle -> {
            handle.createUpdate("""
                            UPDATE webhook_endpoint SET disabled_at = :at, disabled_reason = :reason
                            WHERE id = :id AND disabled_at IS NULL""")
                    .bind("at", utc(at)).bind("reason", reason).bind("id", endpointId).execute();
            handle.createUpdate("""
                            UPDATE webhook_delivery SET failed_at = :at, last_error = :reason, claimed_by = NULL
                            WHERE endpoint_id = :id AND delivered_at IS NULL AND failed_at IS NULL""")
                    .bind("at", utc(at)).bind("reason", "endpoint disabled: " + reason).bind("id", endpointId).execute();
        });
    }
}
