package dev.sofy.server.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.sofy.server.config.Config;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.flywaydb.core.Flyway;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** What the migrations leave on each database, where the two differ on purpose. */
class SchemaTest {
    @RegisterExtension
    static final ContractDatabases.Postgres POSTGRES = new ContractDatabases.Postgres("schema");

    /**
     * The foreign keys that stay on H2: rows written per key, endpoint or opt-out, and the outbox's
     * link to its endpoint, whose cascade removes an endpoint's events.
     */
    private static final Set<String> H2_FOREIGN_KEYS = Set.of(
            "API_KEY.ACCOUNT_ID", "WEBHOOK_ENDPOINT.ACCOUNT_ID", "WEBHOOK_DELIVERY.ENDPOINT_ID", "OPT_OUT.ACCOUNT_ID");

    private static final String FOREIGN_KEYS = """
            SELECT UPPER(c.table_name) || '.' || UPPER(k.column_name)
            FROM information_schema.table_constraints c
            JOIN information_schema.key_column_usage k
              ON k.constraint_schema = c.constraint_schema AND k.constraint_name = c.constraint_name
            WHERE c.constraint_type = 'FOREIGN KEY' AND c.table_schema = CURRENT_SCHEMA
            """;

    @TempDir
    Path directory;

    @Test
    void onH2OnlyTheForeignKeysOfRowsNotWrittenForEverySmsRemain() throws Exception {
        try (Database database = Database.open(ContractDatabases.emptyH2(directory))) {
            assertEquals(new TreeSet<>(H2_FOREIGN_KEYS), foreignKeys(database.jdbi()));
        }
    }

    @Test
    void onH2TheTablesWrittenForEverySmsHaveOnlyTheIndexesTheMigrationsName() throws Exception {
        try (Database database = Database.open(ContractDatabases.emptyH2(directory))) {
            var indexes = database.jdbi().withHandle(handle -> handle.createQuery("""
                            SELECT TABLE_NAME || '.' || INDEX_NAME FROM INFORMATION_SCHEMA.INDEXES
                            WHERE TABLE_SCHEMA = SCHEMA() AND INDEX_TYPE_NAME <> 'PRIMARY KEY'
                              AND TABLE_NAME IN ('SMS', 'IDEMPOTENCY_KEY', 'SMS_PART', 'SMS_STATUS_CHANGE', 'SMS_LINK')
                            """)
                    .mapTo(String.class)
                    .collect(Collectors.toCollection(TreeSet::new)));
            assertEquals(new TreeSet<>(Set.of(
                    "SMS.SMS_ACCOUNT_CREATED", "SMS.SMS_STATUS_EXPIRES", "SMS.SMS_RECIPIENT", "SMS.SMS_STATUS_NEXT_ATTEMPT",
                    "IDEMPOTENCY_KEY.IDEMPOTENCY_KEY_CREATED", "SMS_PART.SMS_PART_CARRIER_ID",
                    // Retention deletes the keys of the SMS it deletes (V17); only a keyed request pays for it.
                    "IDEMPOTENCY_KEY.IDEMPOTENCY_KEY_SMS",
                    "SMS_STATUS_CHANGE.SMS_STATUS_CHANGE_SMS", "SMS_LINK.SMS_LINK_SMS")), indexes);
        }
    }

    @Test
    void anH2DatabaseOfAnEarlierReleaseLosesThoseForeignKeysWhenTheServerOpensIt() throws Exception {
        Config config = ContractDatabases.emptyH2(directory);
        Flyway.configure()
                .dataSource(Database.durableUrl(config.dbUrl()), config.dbUser(), config.dbPassword())
                .locations("classpath:db/migration")
                .placeholders(Map.of("identityCache", "1000"))
                .target("7")
                .load()
                .migrate();
        try (Database database = Database.open(config)) {
            assertEquals(new TreeSet<>(H2_FOREIGN_KEYS), foreignKeys(database.jdbi()));
        }
    }

    @Test
    void onPostgresqlEveryForeignKeyStays() throws Exception {
        try (Database database = Database.open(POSTGRES.emptyDatabase())) {
            var all = new TreeSet<>(H2_FOREIGN_KEYS);
            all.addAll(H2PerSmsForeignKeys.DROPPED);
            assertEquals(all, foreignKeys(database.jdbi()));
        }
    }

    private static TreeSet<String> foreignKeys(Jdbi jdbi) {
        return jdbi.withHandle(handle -> handle.createQuery(FOREIGN_KEYS)
                .mapTo(String.class)
                .collect(Collectors.toCollection(TreeSet::new)));
    }
}
