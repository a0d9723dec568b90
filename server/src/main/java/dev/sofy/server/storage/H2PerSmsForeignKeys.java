package dev.sofy.server.storage;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.flywaydb.core.api.MigrationVersion;
import org.flywaydb.core.api.migration.Context;
import org.flywaydb.core.api.migration.JavaMigration;

/**
 * H2 only: drops the foreign keys of the rows written for every SMS. H2 builds an index of its own
 * for each foreign key, even where an index starting with the same column exists, so each one
 * costs every insert a B-tree more and a lookup; without them ingest takes about a tenth more
 * requests a second. What they guarded holds without them: accounts are never deleted, SMS only by retention after their rows ({@link JdbiRetentionStore}), and each of these rows takes its account from
 * the authenticated key and its SMS from one stored before or in the same transaction. PostgreSQL,
 * which builds no such index, keeps them.
 *
 * <p>A Java migration because H2 names these constraints itself ({@code CONSTRAINT_14}...).
 */
final class H2PerSmsForeignKeys implements JavaMigration {
    /** Table and column of each foreign key dropped, as H2 spells them. */
    static final Set<String> DROPPED = Set.of(
            "SMS.ACCOUNT_ID",
            "IDEMPOTENCY_KEY.ACCOUNT_ID",
            "IDEMPOTENCY_KEY.SMS_ID",
            "SMS_PART.SMS_ID",
            "SMS_STATUS_CHANGE.SMS_ID",
            "SMS_LINK.SMS_ID");

    @Override
    public MigrationVersion getVersion() {
        return MigrationVersion.fromVersion("9");
    }

    @Override
    public String getDescription() {
        return "drop the per-SMS foreign keys on H2";
    }

    @Override
    public Integer getChecksum() {
        return DROPPED.stream().sorted().toList().hashCode();
    }

    @Override
    public boolean canExecuteInTransaction() {
        return true;
    }

    @Override
    public void migrate(Context context) throws SQLException {
        Connection connection = context.getConnection();
        List<String> drops = new ArrayList<>();
        try (Statement statement = connection.createStatement();
             var rows = statement.executeQuery("""
                     SELECT c.TABLE_NAME, c.CONSTRAINT_NAME, k.COLUMN_NAME
                     FROM INFORMATION_SCHEMA.TABLE_CONSTRAINTS c
                     JOIN INFORMATION_SCHEMA.KEY_COLUMN_USAGE k
                       ON k.CONSTRAINT_SCHEMA = c.CONSTRAINT_SCHEMA AND k.CONSTRAINT_NAME = c.CONSTRAINT_NAME
                     WHERE c.CONSTRAINT_TYPE = 'FOREIGN KEY' AND c.TABLE_SCHEMA = SCHEMA()
                     """)) {
            while (rows.next()) {
                if (DROPPED.contains(rows.getString(1) + "." + rows.getString(3))) {
                    drops.add("ALTER TABLE \"" + rows.getString(1) + "\" DROP CONSTRAINT \"" + rows.getString(2) + "\"");
                }
            }
        }
        if (drops.size() != DROPPED.size()) {
            throw new IllegalStateException("expected the " + DROPPED.size() + " foreign keys " + DROPPED
                    + ", found " + drops.size());
        }
        try (Statement statement = connection.createStatement()) {
            for (String drop : drops) {
                statement.execute(drop);
            }
        }
    }
}
