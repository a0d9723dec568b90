package dev.sofy.server.delivery.smpp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sofy.server.delivery.CarrierEvent;
import dev.sofy.server.delivery.CarrierEvent.DeliveryReceipt;
import dev.sofy.server.delivery.CarrierEvent.InboundMessage;
import dev.sofy.server.delivery.CarrierEvent.Outcome;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Optional;
import org.jsmpp.bean.DeliverSm;
import org.jsmpp.bean.MessageState;
import org.jsmpp.bean.OptionalParameter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class SmppReceiptParsingTest {
    private static final Instant NOW = Instant.parse("2026-11-24T10:15:30Z");

    @ParameterizedTest(name = "stat:{0} reads as {1}")
    @CsvSource({
        "DELIVRD, DELIVERED",
        "UNDELIV, UNDELIVERED",
        "REJECTD, UNDELIVERED",
        "DELETED, UNDELIVERED",
        "UNKNOWN, UNDELIVERED",
        "EXPIRED, EXPIRED"
    })
    void theFinalStatesOfAReceiptTextMapToOutcomes(String stat, Outcome outcome) {
        DeliveryReceipt receipt = receipt(deliverSm(receiptText("7f3a21", stat, "000")));

        assertEquals("7f3a21", receipt.carrierMessageId());
        assertEquals(outcome, receipt.outcome());
        assertEquals(NOW, receipt.doneAt());
    }

    @Test
    void anUndeliveredReceiptCarriesItsErrorCode() {
        assertEquals("034", receipt(deliverSm(receiptText("7f3a21", "UNDELIV", "034"))).errorCode());
    }

    @Test
    void aDeliveredReceiptHasNoErrorCode() {
        assertNull(receipt(deliverSm(receiptText("7f3a21", "DELIVRD", "000"))).errorCode());
    }

    @ParameterizedTest(name = "stat:{0} is not final")
    @ValueSource(strings = {"ENROUTE", "ACCEPTD"})
    void intermediateReceiptsAreNotEvents(String stat) {
        assertEquals(Optional.empty(), DeliverSmReader.read("mainland", deliverSm(receiptText("7f3a21", stat, "000")), NOW));
    }

    @Test
    void theReceiptedMessageIdParameterWinsOverTheIdInTheText() {
        DeliverSm deliverSm = deliverSm(receiptText("123", "DELIVRD", "000"));
        deliverSm.setOptionalParameters(new OptionalParameter.Receipted_message_id("7F3A21"));

        assertEquals("7F3A21", receipt(deliverSm).carrierMessageId());
    }

    @Test
    void theParametersAloneAreEnoughWhenTheTextIsNotInTheUsualFormat() {
        DeliverSm deliverSm = deliverSm("delivered to handset".getBytes(StandardCharsets.US_ASCII));
        deliverSm.setOptionalParameters(
                new OptionalParameter.Receipted_message_id("7f3a21"),
                new OptionalParameter.Message_state(MessageState.UNDELIVERABLE.value()),
                new OptionalParameter.Network_error_code(
                        OptionalParameter.Network_error_code.Network_error_code_type.GSM, (short) 27));

        DeliveryReceipt receipt = receipt(deliverSm);

        assertEquals(new DeliveryReceipt("mainland", "7f3a21", Outcome.UNDELIVERED, "27", NOW), receipt);
    }

    @Test
    void aReceiptThatNamesNoMessageIsIgnored() {
        assertEquals(Optional.empty(), DeliverSmReader.read("mainland", deliverSm("garbage".getBytes(StandardCharsets.US_ASCII)), NOW));
    }

    @Test
    void aDeliverSmThatIsNotAReceiptIsAnInboundMessage() {
        var deliverSm = new DeliverSm();
        deliverSm.setSourceAddr("33612345678");
        deliverSm.setDestAddress("36789");
        deliverSm.setShortMessage(new byte[] {0x53, 0x54, 0x4F, 0x50});

        CarrierEvent event = DeliverSmReader.read("mainland", deliverSm, NOW).orElseThrow();

        assertEquals(new InboundMessage("33612345678", "36789", "STOP", NOW), event);
    }

    @Test
    void theHeaderOfAConcatenatedInboundPartIsNotText() {
        var deliverSm = new DeliverSm();
        deliverSm.setSourceAddr("33612345678");
        deliverSm.setDestAddress("36789");
        deliverSm.setUdhi();
        deliverSm.setShortMessage(new byte[] {0x05, 0x00, 0x03, 0x2A, 0x02, 0x01, 0x53, 0x54, 0x4F, 0x50});

        var message = (InboundMessage) DeliverSmReader.read("mainland", deliverSm, NOW).orElseThrow();

        assertEquals("STOP", message.text());
    }

    @Test
    void aLatin1InboundMessageIsDecoded() {
        var deliverSm = new DeliverSm();
        deliverSm.setSourceAddr("33612345678");
        deliverSm.setDestAddress("36789");
        deliverSm.setDataCoding((byte) 0x03);
        deliverSm.setShortMessage("Arrêt".getBytes(StandardCharsets.ISO_8859_1));

        var message = (InboundMessage) DeliverSmReader.read("mainland", deliverSm, NOW).orElseThrow();

        assertEquals("Arrêt", message.text());
    }

    private static DeliveryReceipt receipt(DeliverSm deliverSm) {
        Optional<CarrierEvent> event = DeliverSmReader.read("mainland", deliverSm, NOW);
        assertTrue(event.isPresent(), "a receipt");
        return (DeliveryReceipt) event.get();
    }

    private static DeliverSm deliverSm(byte[] shortMessage) {
        var deliverSm = new DeliverSm();
        deliverSm.setSmscDeliveryReceipt();
        deliverSm.setSourceAddr("33612345678");
        deliverSm.setDestAddress("APITEST");
        deliverSm.setShortMessage(shortMessage);
        return deliverSm;
    }

    private static byte[] receiptText(String id, String stat, String err) {
        return ("id:" + id + " sub:001 dlvrd:001 submit date:2611241015 done date:2611241015 stat:" + stat
                + " err:" + err + " text:Your code is 1234").getBytes(StandardCharsets.US_ASCII);
    }
}
