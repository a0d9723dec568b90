package dev.sofy.server.storage;

import static dev.sofy.server.storage.Rows.utc;

import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.mapper.RowMapper;
import org.jdbi.v3.core.statement.PreparedBatch;

/**
 * The due rows of a table, claimed for a node in the same way on H2 and PostgreSQL: up to
 * {@code max} of them in the table's order, locked so that another node's claim in progress skips
 * them, and leased to the node until {@code leaseUntil}, when they fall due again.
 *
 * <p>PostgreSQL locks rows as it returns them, so one {@code FOR UPDATE SKIP LOCKED ... LIMIT}
 * claims a batch. H2 reads and locks every row that matches before it applies the limit, which
 * with a large backlog means writing a lock into each of them; there the due ids are chosen
 * without locks first, and only those are locked, with the condition checked again.
 *
 * @param <R> a claimed row
 * @param <K> its id
 */
final class DueRows<R, K> {
    private final Class<K> idType;
    private final Function<R, K> idOf;
    private final RowMapper<R> mapper;
    private final boolean locksOnlyWhatItReturns;
    private final String lockDue;
    private final String chooseIds;
    private final String lockChosen;
    private final String lease;

    /**
     * @param columns the columns of a claimed row
     * @param due when a row is due, with {@code :now} the time of the claim
     * @param order the order in which due rows are claimed ({@code ORDER BY ...})
     * @param chosenAndDue on H2, the ids chosen ({@code <ids>}) that are still due, written so that
     *     H2 looks them up by id rather than walking the index the condition would use
     * @param alsoSet what else a claim sets, after a comma, or nothing
     */
    DueRows(Jdbi jdbi, String table, String columns, String due, String order, String chosenAndDue, String alsoSet,
            Class<K> idType, Function<R, K> idOf, RowMapper<R> mapper) {
        this.idType = idType;
        this.idOf = idOf;
        this.mapper = mapper;
        this.locksOnlyWhatItReturns = jdbi.withHandle(Database::isPostgres);
        String select = "SELECT " + columns + " FROM " + table;
        this.lockDue = select + " WHERE " + due + " " + order + " LIMIT :max FOR UPDATE SKIP LOCKED";
        this.chooseIds = "SELECT id FROM " + table + " WHERE " + due + " " + order + " LIMIT :max";
        this.lockChosen = select + " WHERE " + chosenAndDue + " FOR UPDATE SKIP LOCKED";
        this.lease = "UPDATE " + table + " SET claimed_by = :node, claim_expires_at = :leaseUntil, "
                + "next_attempt_at = :leaseUntil" + alsoSet + " WHERE id = :id";
    }

    /** Claims, in the handle's transaction, up to {@code max} rows due at {@code now}; returns them in order. */
    List<R> claim(Handle handle, String node, int max, Instant now, Instant leaseUntil) {
        List<R> due = locksOnlyWhatItReturns ? lockDue(handle, max, now) : chooseThenLock(handle, max, now);
        if (due.isEmpty()) {
            return List.of();
        }
        PreparedBatch claim = handle.prepareBatch(lease);
        for (R row : due) {
            claim.bind("node", node).bind("leaseUntil", utc(leaseUntil)).bind("id", idOf.apply(row)).add();
        }
        claim.execute();
        return due;
    }

    private List<R> lockDue(Handle handle, int max, Instant now) {
        return handle.createQuery(lockDue).bind("now", utc(now)).bind("max", max).map(mapper).list();
    }

    private List<R> chooseThenLock(Handle handle, int max, Instant now) {
        List<K> ids = handle.createQuery(chooseIds)
                .bind("now", utc(now))
                .bind("max", max)
                .mapTo(idType)
                .list();
        if (ids.isEmpty()) {
            return List.of();
        }
        Map<K, R> locked = new HashMap<>();
        handle.createQuery(lockChosen).bind("now", utc(now)).bindList("ids", InLists.padded(ids)).map(mapper)
                .forEach(row -> locked.put(idOf.apply(row), row));
        return ids.stream().map(locked::get).filter(Objects::nonNull).toList();
    }
}
