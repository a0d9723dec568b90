package dev.sofy.server.delivery.smpp;

import static dev.sofy.server.delivery.smpp.CollectedEvents.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.sofy.server.delivery.CarrierEvent;
import dev.sofy.server.delivery.CarrierEvent.InboundMessage;
import dev.sofy.server.delivery.OutboundSms;
import dev.sofy.server.numbers.PhoneNumbers;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The simulator's {@link SmscSimulator#REPLYING_NUMBER} answers like a handset, over a real SMPP link. */
class SmscReplyingHandsetTest {
    private SmscSimulator simulator;
    private SmppConnector connector;
    private final List<CarrierEvent> events = new CopyOnWriteArrayList<>();

    @BeforeEach
    void bind() throws IOException {
        simulator = SmscSimulator.start(0, "sofy", "secret", Duration.ZERO);
        connector = new SmppConnector(SmppSettings.of("127.0.0.1", simulator.port(), "sofy", "secret", 100, 4));
        connector.start(events::add);
        await(() -> simulator.boundSessionCount() == 1, "a bound session");
    }

    @AfterEach
    void close() {
        connector.close();
        simulator.close();
    }

    private List<InboundMessage> replies() {
        return events.stream().filter(InboundMessage.class::isInstance).map(InboundMessage.class::cast).toList();
    }

    private long receipts() {
        return events.stream().filter(CarrierEvent.DeliveryReceipt.class::isInstance).count();
    }

    @Test
    void theReplyingNumberIsAValidRecipient() {
        assertEquals(Optional.of(SmscSimulator.REPLYING_NUMBER),
                PhoneNumbers.normaliseRecipient("+" + SmscSimulator.REPLYING_NUMBER));
    }

    @Test
    void anSmsToTheReplyingNumberIsDeliveredThenAnsweredWithReAndItsFirst20Characters() {
        connector.submit(new OutboundSms("sms-1", "33757000000", SmscSimulator.REPLYING_NUMBER,
                "Your table for two is ready at 8 pm")).join();

        await(() -> !replies().isEmpty(), "the handset's reply");
        InboundMessage reply = replies().get(0);
        assertEquals(List.of(SmscSimulator.REPLYING_NUMBER, "33757000000", "Re: Your table for two i"),
                List.of(reply.from(), reply.to(), reply.text()));
    }

    @Test
    void aLongSmsToTheReplyingNumberIsAnsweredOnceFromItsFirstPart() {
        connector.submit(new OutboundSms("sms-1", "36789", SmscSimulator.REPLYING_NUMBER,
                "Première partie d'un long SMS " + "x".repeat(200))).join();

        await(() -> receipts() == 2 && !replies().isEmpty(), "two receipts and the handset's reply");
        assertEquals(List.of("Re: Première partie d'un"), replies().stream().map(InboundMessage::text).toList());
    }

    @Test
    void anSmsFromAnAlphanumericSenderGetsNoReply() {
        connector.submit(new OutboundSms("sms-1", "APITEST", SmscSimulator.REPLYING_NUMBER, "From a name")).join();
        await(() -> receipts() == 1, "the receipt of the SMS from a name");

        // A reply to it would have been scheduled before the reply to this one.
        connector.submit(new OutboundSms("sms-2", "33757000000", SmscSimulator.REPLYING_NUMBER, "From a number")).join();
        await(() -> !replies().isEmpty(), "the reply to the SMS from a number");

        assertEquals(List.of("33757000000"), replies().stream().map(InboundMessage::to).toList());
    }
}
