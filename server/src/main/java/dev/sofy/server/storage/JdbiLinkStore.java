package dev.sofy.server.storage;

import static dev.sofy.server.storage.Rows.utc;

import dev.sofy.server.links.LinkStore;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.PreparedBatch;

/** {@link LinkStore} over JDBI: lookups read, clicks go to the writer. */
public final class JdbiLinkStore implements LinkStore {
    /** A click to count, committed with the other writes of the hot paths. */
    record Click(String code, Instant at) {}

    /** Clicks, counted last in their commit: after the status changes they may follow. */
    static final class ClickWrites implements WriteKind<Click> {
        private ClickWrites() {}

        @Override
        public void apply(Handle handle, List<Click> batch, Instant now) {
            countAll(handle, batch);
        }
    }

    static final ClickWrites CLICKS = new ClickWrites();

    private final Jdbi jdbi;
    private final CommitQueue.Lane<Click> clicks;

    public JdbiLinkStore(Jdbi jdbi, CommitQueue writes) {
        this.jdbi = jdbi;
        this.clicks = writes.register(CLICKS);
    }

    @Override
    public CompletableFuture<Void> click(String code, Instant at) {
        return clicks.submit(new Click(code, at));
    }

    @Override
    public Optional<String> find(String code) {
        return jdbi.withHandle(handle -> handle.createQuery("SELECT url FROM sms_link WHERE code = :code")
                .bind("code", code)
                .mapTo(String.class)
                .findOne());
    }

    /**
     * Counts a batch of clicks in the writer's transaction: each link's counter goes up once for
     * the batch, and each click becomes a row of {@code sms_click} with the count it brought the
     * link to, placed after the last status change this transaction sees, so that the webhook
     * sender numbers its events after that change's ({@link JdbiWebhookStore#recordEvents}). A
     * code with no link counts nothing.
     */
    static void countAll(Handle handle, List<Click> clicks) {
        if (clicks.isEmpty()) {
            return;
        }
        // In code order: writers of nodes sharing PostgreSQL then lock the links in the same order.
        Map<String, Integer> added = new TreeMap<>();
        clicks.forEach(click -> added.merge(click.code(), 1, Integer::sum));
        EventLogs.beforeAppending(handle);
        PreparedBatch count = handle.prepareBatch("UPDATE sms_link SET clicks = clicks + :added WHERE code = :code");
        added.forEach((code, times) -> count.bind("added", times).bind("code", code).add());
        count.execute();
        Map<String, Long> countedSoFar = new HashMap<>();
        handle.createQuery("SELECT code, clicks FROM sms_link WHERE code IN (<codes>)")
                .bindList("codes", List.copyOf(added.keySet()))
                .map((row, context) -> Map.entry(row.getString("code"), row.getLong("clicks")))
                .forEach(link -> countedSoFar.put(link.getKey(), link.getValue() - added.get(link.getKey())));
        long afterStatusChange = handle.createQuery("SELECT COALESCE(MAX(id), 0) FROM sms_status_change")
                .mapTo(Long.class).one();
        PreparedBatch insert = handle.prepareBatch("""
                INSERT INTO sms_click (code, clicks, clicked_at, after_status_change)
                VALUES (:code, :clicks, :at, :afterStatusChange)""");
        for (Click click : clicks) {
            Long clicksNow = countedSoFar.computeIfPresent(click.code(), (code, counted) -> counted + 1);
            if (clicksNow != null) {
                insert.bind("code", click.code()).bind("clicks", clicksNow).bind("at", utc(click.at()))
                        .bind("afterStatusChange", afterStatusChange).add();
            }
        }
        if (insert.size() > 0) {
            insert.execute();
        }
    }
}
