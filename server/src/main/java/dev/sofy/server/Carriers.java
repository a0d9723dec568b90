package dev.sofy.server;

import dev.sofy.server.config.Config;
import dev.sofy.server.delivery.CarrierConnector;
import dev.sofy.server.delivery.smpp.SmppConnector;
import dev.sofy.server.delivery.smpp.SmppSettings;
import dev.sofy.server.delivery.smpp.SmscSimulator;
import dev.sofy.server.health.HealthChecks;
import dev.sofy.server.storage.DataFiles;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.security.SecureRandom;
import java.util.List;
import java.util.Optional;

/**
 * The carrier link the configuration asks for: an SMPP connector to the configured SMSC or,
 * when no SMSC host is set, to a built-in {@link SmscSimulator} started on a free loopback port
 * and bound with a random password. The connector is not started; closing closes it, then the
 * simulator. Wiring, beside {@link App}: the dispatcher knows only {@link CarrierConnector}.
 */
final class Carriers implements AutoCloseable {
    private static final int SIMULATOR_PASSWORD_LENGTH = 8;
    private static final String PASSWORD_CHARACTERS =
            "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    private static final SecureRandom RANDOM = new SecureRandom();
    private final SmppConnector connector;
    private final Optional<SmscSimulator> simulator;

    private Carriers(SmppConnector connector, Optional<SmscSimulator> simulator) {
        this.connector = connector;
        this.simulator = simulator;
    }

    static Carriers fromConfig(Config config, MeterRegistry metrics) {
        Config.Smpp smpp = config.smpp();
        if (!smpp.usesSimulator()) {
            return new Carriers(new SmppConnector(SmppSettings.of(smpp.host(), smpp.port(), smpp.systemId(),
                    smpp.password(), smpp.submitRate(), smpp.window()), metrics), Optional.empty());
        }
        String password = simulatorPassword();
        SmscSimulator simulator;
        try {
            simulator = SmscSimulator.start(0, smpp.systemId(), password, smpp.simulatorReceiptDelay(),
                    DataFiles.simulatorStateFile(config.dbUrl(), config.delivery().nodeId()));
        } catch (IOException e) {
            throw new UncheckedIOException("could not start the SMSC simulator", e);
        }
        var connector = new SmppConnector(SmppSettings.of(simulator.host(), simulator.port(), smpp.systemId(),
                password, smpp.submitRate(), smpp.window()), metrics);
        return new Carriers(connector, Optional.of(simulator));
    }

    /**
     * Any local user can reach the simulator's loopback port; with the well-known default password
     * one could bind and take the receipts and replies meant for the server. SMPP passwords have at
     * most 8 characters: 8 of 62 letters and digits.
     */
    private static String simulatorPassword() {
        var password = new StringBuilder(SIMULATOR_PASSWORD_LENGTH);
        for (int i = 0; i < SIMULATOR_PASSWORD_LENGTH; i++) {
            password.append(PASSWORD_CHARACTERS.charAt(RANDOM.nextInt(PASSWORD_CHARACTERS.length())));
        }
        return password.toString();
    }

    CarrierConnector connector() {
        return connector;
    }

    /** The links readiness reports, named by their SMSC's address. */
    List<HealthChecks.CarrierLink> links() {
        SmppSettings settings = connector.settings();
        String name = (simulator.isPresent() ? "simulator " : "smpp ") + settings.host() + ":" + settings.port();
        return List.of(new HealthChecks.CarrierLink(name, connector::isBound));
    }

    /** The built-in SMSC, when it is the carrier: for playing handsets that reply (STOP). */
    Optional<SmscSimulator> simulator() {
        return simulator;
    }

    @Override
    public void close() {
        connector.close();
        simulator.ifPresent(SmscSimulator::close);
    }
}
