package dev.sofy.server.storage;

import static dev.sofy.server.storage.Rows.utc;

import dev.sofy.server.retention.RetentionStore;
import dev.sofy.server.sms.Status;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

/**
 * {@link RetentionStore} over JDBI. Its transactions are its own, beside the writer's: the rows it
 * deletes are final and old, which no write of the hot paths touches.
 */
public final class JdbiRetentionStore implements RetentionStore {
    private static final List<String> FINAL = Arrays.stream(Status.values())
            .filter(Status::isFinal).map(Status::wireName).toList();

    private final Jdbi jdbi;

    public JdbiRetentionStore(Jdbi jdbi) {
        this.jdbi = jdbi;
    }

    /**
     * Account by account, along the (account_id, created_at) index: an SMS last changed before the
     * cutoff was created before it. The status changes and clicks the webhook sender has not passed
     * stay, and so does the one at its cursor, so that the largest id of each log never falls
     * below the cursor ({@link EventLogs}).
     */
    @Override
    public int deleteFinalSmsBefore(Instant cutoff, int max) {
        return jdbi.inTransaction(handle -> {
            long statusCursor = cursor(handle, "sms_status_change");
            long clickCursor = cursor(handle, "sms_click");
            List<String> ids = new ArrayList<>();
            for (long accountId : accounts(handle)) {
                ids.addAll(handle.createQuery("""
                                SELECT s.id FROM sms s
                                WHERE s.account_id = :accountId AND s.created_at < :cutoff
                                  AND s.status IN (<final>) AND s.updated_at < :cutoff
                                  AND NOT EXISTS (SELECT 1 FROM sms_status_change c
                                                  WHERE c.sms_id = s.id AND c.id >= :statusCursor)
                                  AND NOT EXISTS (SELECT 1 FROM sms_link l JOIN sms_click k ON k.code = l.code
                                                  WHERE l.sms_id = s.id AND k.id >= :clickCursor)
                                ORDER BY s.created_at LIMIT :max""")
                        .bind("accountId", accountId)
                        .bind("cutoff", utc(cutoff))
                        .bindList("final", FINAL)
                        .bind("statusCursor", statusCursor)
                        .bind("clickCursor", clickCursor)
                        .bind("max", max - ids.size())
                        .mapTo(String.class)
                        .list());
                if (ids.size() >= max) {
                    break;
                }
            }
            if (ids.isEmpty()) {
                return 0;
            }
            List<String> codes = handle.createQuery("SELECT code FROM sms_link WHERE sms_id IN (<ids>)")
                    .bindList("ids", ids).mapTo(String.class).list();
            if (!codes.isEmpty()) {
                handle.createUpdate("DELETE FROM sms_click WHERE code IN (<codes>)").bindList("codes", codes).execute();
                handle.createUpdate("DELETE FROM sms_link WHERE sms_id IN (<ids>)").bindList("ids", ids).execute();
            }
            // The children first: PostgreSQL keeps the foreign keys to sms.
            for (String table : List.of("sms_part", "sms_status_change", "idempotency_key")) {
                handle.createUpdate("DELETE FROM " + table + " WHERE sms_id IN (<ids>)").bindList("ids", ids).execute();
            }
            return handle.createUpdate("DELETE FROM sms WHERE id IN (<ids>)").bindList("ids", ids).execute();
        });
    }

    @Override
    public int deleteInboundSmsBefore(Instant cutoff, int max) {
        return jdbi.inTransaction(handle -> {
            List<String> ids = new ArrayList<>();
            for (long accountId : accounts(handle)) {
                ids.addAll(handle.createQuery("""
                                SELECT id FROM inbound_sms WHERE account_id = :accountId AND received_at < :cutoff
                                ORDER BY received_at LIMIT :max""")
                        .bind("accountId", accountId)
                        .bind("cutoff", utc(cutoff))
                        .bind("max", max - ids.size())
                        .mapTo(String.class)
                        .list());
                if (ids.size() >= max) {
                    break;
                }
            }
            return ids.isEmpty() ? 0
                    : handle.createUpdate("DELETE FROM inbound_sms WHERE id IN (<ids>)").bindList("ids", ids).execute();
        });
    }

    private static List<Long> accounts(Handle handle) {
        return handle.createQuery("SELECT id FROM account ORDER BY id").mapTo(Long.class).list();
    }

    /** The last id of the log the webhook sender has recorded as events; a stale read is only lower. */
    private static long cursor(Handle handle, String source) {
        return handle.createQuery("SELECT last_id FROM webhook_cursor WHERE source = :source")
                .bind("source", source).mapTo(Long.class).findOne().orElse(0L);
    }
}
