package dev.sofy.conformance;

import static dev.sofy.conformance.Answers.assertStatus;
import static dev.sofy.conformance.Answers.errorFields;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sofy.client.model.OptOut;
import dev.sofy.client.model.Sms;
import dev.sofy.client.model.SmsCreateRequest;
import dev.sofy.client.model.SmsStatus;
import dev.sofy.testing.KeyPair;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * An account's opt-out list: numbers added through the API or by a STOP reply get none of the
 * account's marketing SMS, and still get its transactional ones. Each test acts as a new account,
 * so that lists do not mix. Numbers are in NANPA's fictional 555-01xx range and not French, so
 * that marketing SMS to them are never held for a sending window.
 */
@ExtendWith(ConformanceExtension.class)
final class OptOutsTest {
    private static final String NUMBER = "12025550111";
    /** Only the STOP tests send to these: a STOP reaches every account that sent to the number. */
    private static final String STOPPING_NUMBER = "12025550190";
    private static final String OTHER_STOPPING_NUMBER = "12025550191";
    /** The short code STOP replies are sent to, as in the marketing mention. */
    private static final String SHORT_CODE = "36789";

    private final ServerUnderTest server;

    OptOutsTest(ServerUnderTest server) {
        this.server = server;
    }

    private Exchange add(KeyPair key, String number) {
        return server.send(RawRequest.post("/v1/opt-outs").key(key).json("{\"number\":\"" + number + "\"}"),
                SpecCheck.requestAndResponse());
    }

    private Exchange remove(KeyPair key, String number) {
        return server.send(RawRequest.of("DELETE", "/v1/opt-outs/" + number).key(key), SpecCheck.requestAndResponse());
    }

    /** The account's list, number to source. */
    private Map<String, String> list(KeyPair key) {
        Exchange listed = server.send(RawRequest.get("/v1/opt-outs").key(key), SpecCheck.requestAndResponse());
        assertStatus(200, listed);
        List<JsonNode> entries = new ArrayList<>();
        listed.responseJson().path("data").forEach(entries::add);
        return entries.stream().collect(Collectors.toMap(
                entry -> entry.path("number").asText(), entry -> entry.path("source").asText()));
    }

    /** Sends an SMS and returns it once it has a final status. */
    private Sms finalStatusOf(KeyPair key, String to, boolean transactional) throws Exception {
        GeneratedClient client = server.client(key);
        Sms created = client.sms().createSms(new SmsCreateRequest().from("APITEST").to(to)
                .body("Nouveautes de la semaine").isTransactional(transactional), null);
        return Lifecycle.awaitFinalStatus(client, created.getId());
    }

    @Test
    void anAddedNumberIsListedWithSourceApi() {
        KeyPair key = server.freshAccountKey();

        Exchange added = add(key, NUMBER);

        assertStatus(201, added);
        assertEquals("api", added.responseJson().path("source").asText());
        assertEquals(Map.of(NUMBER, "api"), list(key));
    }

    @Test
    void aNumberGivenWithAPlusIsListedAsDigits() {
        KeyPair key = server.freshAccountKey();

        Exchange added = add(key, "+" + NUMBER);

        assertEquals(NUMBER, added.responseJson().path("number").asText());
        assertEquals(Set.of(NUMBER), list(key).keySet());
    }

    @Test
    void aRemovedNumberLeavesTheListAndRemovingItAgainIsNotFound() {
        KeyPair key = server.freshAccountKey();
        add(key, NUMBER);

        Exchange removed = remove(key, NUMBER);
        Exchange removedAgain = remove(key, NUMBER);

        assertStatus(204, removed);
        assertEquals(Map.of(), list(key));
        assertStatus(404, removedAgain);
    }

    @Test
    void aNumberCanBeRemovedGivenWithItsPlus() {
        KeyPair key = server.freshAccountKey();
        add(key, NUMBER);

        Exchange removed = remove(key, "+" + NUMBER);

        assertStatus(204, removed);
        assertEquals(Map.of(), list(key));
    }

    @Test
    void anAddedNumberIsAtItsLocationWhichTakesItOff() {
        KeyPair key = server.freshAccountKey();
        Exchange added = add(key, "+" + NUMBER);

        String location = added.responseHeader("Location").orElseThrow();
        Exchange removed = server.send(RawRequest.of("DELETE", location).key(key), SpecCheck.requestAndResponse());

        assertEquals("/v1/opt-outs/" + NUMBER, location);
        assertStatus(204, removed);
        assertEquals(Map.of(), list(key));
    }

    @Test
    void anInvalidNumberIsRefusedNamingNumber() {
        Exchange refused = server.send(RawRequest.post("/v1/opt-outs").key(server.freshAccountKey())
                .json("{\"number\":\"0612\"}"), SpecCheck.responseOnly());

        assertStatus(400, refused);
        assertEquals(Set.of("number"), errorFields(refused));
    }

    @Test
    void aMarketingSmsToAnOptedOutNumberIsErroredAsOptedOut() throws Exception {
        KeyPair key = server.freshAccountKey();
        add(key, NUMBER);

        Sms sms = finalStatusOf(key, NUMBER, false);

        assertEquals(SmsStatus.ERRORED, sms.getStatus(), sms::toString);
        assertEquals("recipient opted out", sms.getStatusReason());
    }

    @Test
    void aTransactionalSmsToAnOptedOutNumberIsDelivered() throws Exception {
        KeyPair key = server.freshAccountKey();
        add(key, NUMBER);

        Sms sms = finalStatusOf(key, NUMBER, true);

        assertEquals(SmsStatus.DELIVERED, sms.getStatus(), sms::toString);
    }

    @Test
    void anotherAccountsListIsSeparate() {
        KeyPair mine = server.freshAccountKey();
        add(server.freshAccountKey(), NUMBER);

        assertEquals(Map.of(), list(mine));
    }

    @Test
    void anotherAccountsOptOutDoesNotStopThisAccountsMarketingSms() throws Exception {
        KeyPair mine = server.freshAccountKey();
        add(server.freshAccountKey(), NUMBER);

        Sms sms = finalStatusOf(mine, NUMBER, false);

        assertEquals(SmsStatus.DELIVERED, sms.getStatus(), sms::toString);
    }

    @Test
    void aStopReplyPutsTheNumberOnTheListOfTheAccountThatSentToIt() throws Exception {
        KeyPair key = server.freshAccountKey();
        finalStatusOf(key, STOPPING_NUMBER, false);

        // Acknowledged once the server has handled it, so the list has it by then.
        server.simulator().sendInbound(STOPPING_NUMBER, SHORT_CODE, "STOP");

        List<OptOut> listed = server.client(key).optOuts().listOptOuts(null, null).getData();
        assertEquals(List.of(STOPPING_NUMBER), listed.stream().map(OptOut::getNumber).toList());
        assertEquals(OptOut.SourceEnum.SMS_REPLY, listed.get(0).getSource());
    }

    @Test
    void aStopReplyDoesNotReachAnAccountThatNeverSentToTheNumber() throws Exception {
        KeyPair sender = server.freshAccountKey();
        KeyPair bystander = server.freshAccountKey();
        finalStatusOf(sender, OTHER_STOPPING_NUMBER, false);

        server.simulator().sendInbound(OTHER_STOPPING_NUMBER, SHORT_CODE, "STOP");

        assertEquals(Set.of(OTHER_STOPPING_NUMBER), list(sender).keySet(), "the sender's list has it");
        assertEquals(Map.of(), list(bystander));
    }
}
