package dev.sofy.server.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class DatabaseUrlTest {

    @Test
    void anH2FileUrlGetsTheSettingsThatKeepAcknowledgedCommitsAndLetKeysCommandsIn() {
        assertEquals("jdbc:h2:file:./data/sofy;WRITE_DELAY=0;AUTO_SERVER=TRUE",
                Database.durableUrl("jdbc:h2:file:./data/sofy"));
    }

    @Test
    void settingsTheUrlAlreadyHasAreLeftAsTheyAre() {
        assertEquals("jdbc:h2:./db;write_delay=10;AUTO_SERVER=FALSE",
                Database.durableUrl("jdbc:h2:./db;write_delay=10;AUTO_SERVER=FALSE"));
    }

    @Test
    void anInMemoryH2UrlIsLeftAsItIs() {
        assertEquals("jdbc:h2:mem:test", Database.durableUrl("jdbc:h2:mem:test"));
    }

    @Test
    void aPostgresUrlIsLeftAsItIs() {
        assertEquals("jdbc:postgresql://localhost/sofy", Database.durableUrl("jdbc:postgresql://localhost/sofy"));
    }
}
