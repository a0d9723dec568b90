package dev.sofy.server;

import dev.sofy.server.config.CarrierPlan;
import dev.sofy.server.config.Config;
import dev.sofy.server.delivery.CarrierConnector;
import dev.sofy.server.delivery.CarrierRouting;
import dev.sofy.server.delivery.smpp.SmppConnector;
import dev.sofy.server.delivery.smpp.SmppSettings;
import dev.sofy.server.delivery.smpp.SmscSimulator;
import dev.sofy.server.health.HealthChecks;
import dev.sofy.server.routing.Routes;
import dev.sofy.server.storage.DataFiles;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The carrier links the configuration asks for, and the routes to them: one SMPP connector per
 * carrier of the carriers file ({@code SOFY_CARRIERS_FILE}); else one to the SMSC of the
 * {@code SOFY_SMPP_*} variables, named {@value SmppSettings#DEFAULT_NAME}; else one to a built-in
 * {@link SmscSimulator} started on a free loopback port and bound with a random password, named
 * {@value #SIMULATOR_NAME}. With one carrier, every SMS goes to it. The connectors are not
 * started; closing closes them, then the simulator. Wiring, beside {@link App}: the dispatcher
 * knows only {@link CarrierConnector} and {@link CarrierRouting}.
 */
final class Carriers implements AutoCloseable {
    /** The name of the built-in simulator's carrier, as the SMS resource shows it. */
    static final String SIMULATOR_NAME = "simulator";
    private static final int SIMULATOR_PASSWORD_LENGTH = 8;
    private static final String PASSWORD_CHARACTERS =
            "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final Logger LOG = LoggerFactory.getLogger(Carriers.class);
    private final List<SmppConnector> connectors;
    private final Routes routes;
    private final Optional<SmscSimulator> simulator;

    private Carriers(List<SmppConnector> connectors, Routes routes, Optional<SmscSimulator> simulator) {
        this.connectors = List.copyOf(connectors);
        this.routes = routes;
        this.simulator = simulator;
    }

    static Carriers fromConfig(Config config, MeterRegistry metrics) {
        Config.Smpp smpp = config.smpp();
        if (config.carriers().isPresent()) {
            CarrierPlan plan = config.carriers().get();
            List<SmppConnector> connectors = new ArrayList<>();
            for (CarrierPlan.Carrier carrier : plan.carriers()) {
                connectors.add(new SmppConnector(SmppSettings.of(carrier.host(), carrier.port(), carrier.systemId(),
                                carrier.password(), carrier.submitRate(), carrier.window())
                        .withName(carrier.name()).withBinds(carrier.binds()), metrics));
            }
            LOG.info("Carriers of {}: {}; {} routes", "SOFY_CARRIERS_FILE", plan.carriers().stream()
                    .map(carrier -> carrier.name() + " (" + carrier.host() + ":" + carrier.port() + ", " + carrier.binds()
                            + " binds, " + carrier.submitRate() + "/s)")
                    .toList(), plan.routes().routes().size());
            return new Carriers(connectors, plan.routes(), Optional.empty());
        }
        if (!smpp.usesSimulator()) {
            return new Carriers(List.of(new SmppConnector(SmppSettings.of(smpp.host(), smpp.port(), smpp.systemId(),
                            smpp.password(), smpp.submitRate(), smpp.window()).withName(SmppSettings.DEFAULT_NAME),
                    metrics)), Routes.toOne(SmppSettings.DEFAULT_NAME), Optional.empty());
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
                password, smpp.submitRate(), smpp.window()).withName(SIMULATOR_NAME), metrics);
        return new Carriers(List.of(connector), Routes.toOne(SIMULATOR_NAME), Optional.of(simulator));
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

    List<CarrierConnector> connectors() {
        return List.copyOf(connectors);
    }

    /** The carriers of an SMS's route, by preference. */
    CarrierRouting routing() {
        return sms -> routes.carriersFor(sms.accountName(), sms.from(), sms.to());
    }

    /**
     * Waits until every carrier is bound, for at most {@code timeout} in all, so that the first SMS
     * go by preference rather than to whichever carrier bound first.
     */
    void awaitBound(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        for (SmppConnector connector : connectors) {
            long left = deadline - System.nanoTime();
            if (left <= 0 || !connector.awaitBound(Duration.ofNanos(left))) {
                break;
            }
        }
    }

    /** The links readiness reports, named by their carrier. */
    List<HealthChecks.CarrierLink> links() {
        return connectors.stream()
                .map(connector -> new HealthChecks.CarrierLink(connector.name(), connector::isBound))
                .toList();
    }

    /** The built-in SMSC, when it is the carrier: for playing handsets that reply (STOP). */
    Optional<SmscSimulator> simulator() {
        return simulator;
    }

    @Override
    public void close() {
        connectors.forEach(SmppConnector::close);
        simulator.ifPresent(SmscSimulator::close);
    }
}
