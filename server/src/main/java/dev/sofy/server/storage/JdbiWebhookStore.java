package dev.sofy.server.storage;

import static dev.sofy.server.storage.JdbiSmsStore.instant;
import static dev.sofy.server.storage.JdbiSmsStore.utc;

import dev.sofy.server.sms.Message;
import dev.sofy.server.sms.Status;
import dev.sofy.server.webhooks.Delivery;
import dev.sofy.server.webhooks.Endpoint;
import dev.sofy.server.webhooks.EventType;
import dev.sofy.server.webhooks.WebhookStore;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.PreparedBatch;

/** {@link WebhookStore} over JDBI. */
public final class JdbiWebhookStore implements WebhookStore {
    private static final int MAX_ERROR_LENGTH = 500;

    private final Jdbi jdbi;

    public JdbiWebhookStore(Jdbi jdbi) {
        this.jdbi = jdbi;
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
        return jdbi.inTransaction(handle -> {
            handle.createUpdate("""
                            DELETE FROM webhook_delivery WHERE endpoint_id IN
                              (SELECT id FROM webhook_endpoint WHERE id = :id AND account_id = :accountId)""")
                    .bind("id", id).bind("accountId", accountId).execute();
            return handle.createUpdate("DELETE FROM webhook_endpoint WHERE id = :id AND account_id = :accountId")
                    .bind("id", id).bind("accountId", accountId).execute() > 0;
        });
    }

    private record Claim(long id, String endpointId, String type, Long statusChangeId, Long clickId, Instant occurredAt,
                         int attempts) {}

    @Override
    public List<Delivery> claimDue(String node, int max, Instant now, Instant leaseUntil) {
        return jdbi.inTransaction(handle -> {
            List<Claim> due = handle.createQuery("""
                            SELECT id, endpoint_id, event_type, status_change_id, click_id, occurred_at, attempts
                            FROM webhook_delivery
                            WHERE delivered_at IS NULL AND failed_at IS NULL AND next_attempt_at <= :now
                              AND (claimed_by IS NULL OR claim_expires_at < :now)
                            ORDER BY id
                            LIMIT :max
                            FOR UPDATE SKIP LOCKED""")
                    .bind("now", utc(now))
                    .bind("max", max)
                    .map((row, context) -> new Claim(row.getLong("id"), row.getString("endpoint_id"),
                            row.getString("event_type"), row.getObject("status_change_id", Long.class),
                            row.getObject("click_id", Long.class), instant(row, "occurred_at"), row.getInt("attempts")))
                    .list();
            if (due.isEmpty()) {
                return List.of();
            }
            PreparedBatch claim = handle.prepareBatch(
                    "UPDATE webhook_delivery SET claimed_by = :node, claim_expires_at = :leaseUntil WHERE id = :id");
            due.forEach(one -> claim.bind("node", node).bind("leaseUntil", utc(leaseUntil)).bind("id", one.id()).add());
            claim.execute();
            return deliveries(handle, due);
        });
    }

    private record StatusEvent(String smsId, String status, String reason, Instant changedAt) {}

    private record ClickEvent(String code, long clicks, Instant clickedAt, String smsId, String url) {}

    /**
     * What each claimed event's payload needs, read in a few queries for the whole batch. The
     * sequence is the outbox row's id: status changes and clicks are numbered apart, but an
     * endpoint's outbox rows are written in the order of its events, whatever their type.
     */
    private List<Delivery> deliveries(Handle handle, List<Claim> due) {
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
        List<String> smsIds = new ArrayList<>();
        statuses.values().forEach(event -> smsIds.add(event.smsId()));
        clicks.values().forEach(event -> smsIds.add(event.smsId()));
        Map<String, Message> messages = new HashMap<>();
        Map<String, List<Delivery.Link>> links = new HashMap<>();
        if (!smsIds.isEmpty()) {
            List<String> distinct = smsIds.stream().distinct().toList();
            handle.createQuery("SELECT " + JdbiSmsStore.COLUMNS + " FROM sms WHERE id IN (<ids>)")
                    .bindList("ids", distinct)
                    .map(JdbiSmsStore::message)
                    .forEach(message -> messages.put(message.id(), message));
            handle.createQuery("SELECT sms_id, code, url, clicks FROM sms_link WHERE sms_id IN (<ids>) ORDER BY code")
                    .bindList("ids", distinct)
                    .map((row, context) -> Map.entry(row.getString("sms_id"),
                            new Delivery.Link(row.getString("code"), row.getString("url"), row.getLong("clicks"))))
                    .forEach(entry -> links.computeIfAbsent(entry.getKey(), id -> new ArrayList<>()).add(entry.getValue()));
        }
        List<Delivery> deliveries = new ArrayList<>();
        for (Claim claim : due) {
            Endpoint endpoint = endpoints.get(claim.endpointId());
            if (claim.statusChangeId() != null) {
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
        return deliveries;
    }

    @Override
    public int releaseClaims(String node) {
        return jdbi.withHandle(handle -> handle.createUpdate("""
                        UPDATE webhook_delivery SET claimed_by = NULL, claim_expires_at = NULL
                        WHERE claimed_by = :node AND delivered_at IS NULL AND failed_at IS NULL""")
                .bind("node", node)
                .execute());
    }

    @Override
    public void delivered(long deliveryId, int status, Instant at) {
        jdbi.useHandle(handle -> handle.createUpdate("""
                        UPDATE webhook_delivery SET delivered_at = :at, last_status = :status, attempts = attempts + 1,
                                                    claimed_by = NULL, claim_expires_at = NULL
                        WHERE id = :id""")
                .bind("at", utc(at)).bind("status", status).bind("id", deliveryId)
                .execute());
    }

    @Override
    public void failed(long deliveryId, Integer status, String error, Instant nextAttemptAt, Instant at) {
        String clipped = error.length() <= MAX_ERROR_LENGTH ? error : error.substring(0, MAX_ERROR_LENGTH);
        jdbi.useHandle(handle -> handle.createUpdate("""
                        UPDATE webhook_delivery SET attempts = attempts + 1, last_status = :status, last_error = :error,
                               next_attempt_at = COALESCE(:next, next_attempt_at),
                               failed_at = CASE WHEN :giveUp THEN :at ELSE NULL END,
                               claimed_by = NULL, claim_expires_at = NULL
                        WHERE id = :id""")
                .bindByType("status", status, Integer.class)
                .bind("error", clipped)
                .bindByType("next", nextAttemptAt == null ? null : utc(nextAttemptAt), java.time.OffsetDateTime.class)
                .bind("giveUp", nextAttemptAt == null)
                .bind("at", utc(at))
                .bind("id", deliveryId)
                .execute());
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
