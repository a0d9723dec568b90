package dev.sofy.server.storage;

import dev.sofy.server.config.Config;
import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/** A store contract runs each test on the stores of a new empty database of its subclass's kind. */
abstract class StoreContract {
    /** When account acme's key was saved. */
    static final Instant T0 = Instant.parse("2026-11-24T10:00:00Z");
    /** The writer's clock. */
    static final Instant NOW = T0.plusSeconds(60);

    ContractStores stores;

    protected abstract Config emptyDatabase() throws Exception;

    @BeforeEach
    final void openDatabase() throws Exception {
        stores = new ContractStores(emptyDatabase(), NOW, T0);
    }

    @AfterEach
    final void closeDatabase() {
        stores.close();
    }
}
