package dev.sofy.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sofy.server.config.Config;
import dev.sofy.server.delivery.CarrierEvent;
import dev.sofy.server.delivery.CarrierEvent.DeliveryReceipt;
import dev.sofy.server.delivery.CarrierEvent.InboundMessage;
import dev.sofy.server.delivery.CarrierEvent.Outcome;
import dev.sofy.server.delivery.OutboundSms;
import dev.sofy.server.delivery.SubmitResult;
import dev.sofy.server.delivery.smpp.SmscSimulator;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.jsmpp.bean.BindType;
import org.jsmpp.bean.NumberingPlanIndicator;
import org.jsmpp.bean.TypeOfNumber;
import org.jsmpp.session.BindParameter;
import org.jsmpp.session.SMPPSession;
import org.junit.jupiter.api.Test;

class SmppCarriersTest {
    /** No database file, so no simulator state file in the working directory either. */
    private static final String IN_MEMORY = "jdbc:h2:mem:carriers";

    @Test
    void withNoSmscConfiguredTheWholeLifecycleRunsAgainstTheBuiltInSimulator() throws InterruptedException {
        var events = new LinkedBlockingQueue<CarrierEvent>();
        try (var carriers = Carriers.fromConfig(Config.from(Map.of("SOFY_SIMULATOR_RECEIPT_DELAY_MS", "0",
                "SOFY_DB_URL", IN_MEMORY)), new SimpleMeterRegistry())) {
            assertTrue(carriers.simulator().isPresent());
            carriers.connectors().get(0).start(events::add);

            SubmitResult result = carriers.connectors().get(0)
                    .submit(new OutboundSms("sms-1", "APITEST", "33612345678", "Hello")).join();
            var receipt = (DeliveryReceipt) events.poll(10, TimeUnit.SECONDS);
            carriers.simulator().get().sendInbound("33612345678", "APITEST", "STOP");
            var reply = (InboundMessage) events.poll(10, TimeUnit.SECONDS);

            assertEquals(result.carrierMessageIds().get(0), receipt.carrierMessageId());
            assertEquals(Outcome.DELIVERED, receipt.outcome());
            assertEquals("STOP", reply.text());
        }
    }

    /**
     * Any local user reaches the simulator's loopback port; the default password must not bind
     * there. The simulator closes the session as it refuses, so the client may see no answer and
     * wait until its response timeout, hence a short one.
     */
    @Test
    void theBuiltInSimulatorRefusesABindWithTheDefaultPassword() {
        try (var carriers = Carriers.fromConfig(Config.from(Map.of("SOFY_DB_URL", IN_MEMORY)), new SimpleMeterRegistry())) {
            var session = new SMPPSession();
            try {
                assertThrows(IOException.class, () -> session.connectAndBind(
                        "127.0.0.1", carriers.simulator().orElseThrow().port(),
                        new BindParameter(BindType.BIND_TRX, "sofy", "sofy", "", TypeOfNumber.UNKNOWN,
                                NumberingPlanIndicator.UNKNOWN, null), 2_000));
            } finally {
                session.close();
            }
        }
    }

    @Test
    void withAnSmscHostConfiguredThereIsNoSimulator() throws Exception {
        try (var smsc = SmscSimulator.start(0, "acme", "pw", Duration.ZERO);
             var carriers = Carriers.fromConfig(Config.from(Map.of(
                     "SOFY_SMPP_HOST", "127.0.0.1",
                     "SOFY_SMPP_PORT", String.valueOf(smsc.port()),
                     "SOFY_SMPP_SYSTEM_ID", "acme",
                     "SOFY_SMPP_PASSWORD", "pw")), new SimpleMeterRegistry())) {
            assertTrue(carriers.simulator().isEmpty());
            carriers.connectors().get(0).start(event -> {});

            carriers.connectors().get(0).submit(new OutboundSms("sms-1", "APITEST", "33612345678", "Hello")).join();

            assertEquals(1, smsc.submitCount());
        }
    }
}
