package dev.sofy.server.storage;

import static dev.sofy.server.storage.JdbiSmsStore.utc;

import dev.sofy.server.links.LinkStore;
import java.time.Instant;
import java.util.Optional;
import org.jdbi.v3.core.Jdbi;

/** {@link LinkStore} over JDBI. */
public final class JdbiLinkStore implements LinkStore {
    private static final int RECORDED_AT_ONCE = 1_000;
    private static final int CATCH_UP_RECORDINGS = 10;
    private final Jdbi jdbi;

    public JdbiLinkStore(Jdbi jdbi) {
        this.jdbi = jdbi;
    }

    private record Followed(String url, long clicks, long accountId) {}

    @Override
    public Optional<String> click(String code, Instant at) {
        // The click's event is numbered now: the status changes before it get their events first,
        // so that a receiver sees a click after the delivery of its SMS. Bounded, for a click that
        // comes while the server is saturated and the sender has let status changes pile up.
        for (int i = 0; i < CATCH_UP_RECORDINGS && JdbiWebhookStore.recordStatusEvents(jdbi, RECORDED_AT_ONCE) >= RECORDED_AT_ONCE; i++) {
            // recorded a full batch: there may be more
        }
        return jdbi.inTransaction(handle -> {
            int counted = handle.createUpdate("UPDATE sms_link SET clicks = clicks + 1 WHERE code = :code")
                    .bind("code", code)
                    .execute();
            if (counted == 0) {
                return Optional.empty();
            }
            Followed link = handle.createQuery("""
                            SELECT l.url, l.clicks, s.account_id FROM sms_link l JOIN sms s ON s.id = l.sms_id
                            WHERE l.code = :code""")
                    .bind("code", code)
                    .map((row, context) -> new Followed(row.getString("url"), row.getLong("clicks"), row.getLong("account_id")))
                    .one();
            long clickId = handle.createUpdate("INSERT INTO sms_click (code, clicks, clicked_at) VALUES (:code, :clicks, :at)")
                    .bind("code", code)
                    .bind("clicks", link.clicks())
                    .bind("at", utc(at))
                    .executeAndReturnGeneratedKeys("id")
                    .mapTo(Long.class)
                    .one();
            handle.createUpdate("""
                            INSERT INTO webhook_delivery (endpoint_id, event_type, click_id, occurred_at, next_attempt_at)
                            SELECT id, 'sms.click', :clickId, :at, :at FROM webhook_endpoint
                            WHERE account_id = :accountId AND disabled_at IS NULL AND events LIKE '%sms.click%'""")
                    .bind("clickId", clickId)
                    .bind("at", utc(at))
                    .bind("accountId", link.accountId())
                    .execute();
            return Optional.of(link.url());
        });
    }

    @Override
    public Optional<String> find(String code) {
        return jdbi.withHandle(handle -> handle.createQuery("SELECT url FROM sms_link WHERE code = :code")
                .bind("code", code)
                .mapTo(String.class)
                .findOne());
    }
}
