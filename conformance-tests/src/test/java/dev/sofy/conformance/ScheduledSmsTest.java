package dev.sofy.conformance;

import static dev.sofy.conformance.Answers.assertStatus;
import static dev.sofy.conformance.Answers.errorFields;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code sendAt} schedules an SMS: the answer is still the seed's {@code pending} with an empty
 * reason, and echoes the time; a time in the past, more than 180 days ahead, or not a date-time
 * is refused naming the field. {@code validityPeriod} is bounded by the spec.
 */
@ExtendWith(ConformanceExtension.class)
final class ScheduledSmsTest {
    private final ServerUnderTest server;

    ScheduledSmsTest(ServerUnderTest server) {
        this.server = server;
    }

    private Exchange send(String extraFields, SpecCheck check) {
        return server.send(RawRequest.post("/v1/sms").key(server.key()).json(
                "{\"from\":\"APITEST\",\"to\":\"" + Lifecycle.ORDINARY_NUMBER + "\",\"body\":\"Your code is 123456\","
                        + "\"isTransactional\":true," + extraFields + "}"), check);
    }

    private static String inAnHour(ZoneOffset offset) {
        // Not toString(): it leaves out the seconds when they are zero, which RFC 3339 requires.
        return OffsetDateTime.now(offset).plusHours(1).truncatedTo(ChronoUnit.SECONDS)
                .format(DateTimeFormatter.ISO_OFFSET_DATE_TIME);
    }

    @Test
    void aScheduledSmsIsAnsweredPendingWithAnEmptyReason() {
        JsonNode sms = send("\"sendAt\":\"" + inAnHour(ZoneOffset.UTC) + "\"", SpecCheck.requestAndResponse())
                .responseJson();

        assertEquals(Set.of("pending", ""), Set.of(sms.path("status").asText(), sms.path("statusReason").asText()));
    }

    @Test
    void aScheduledSmsEchoesItsTime() {
        String sendAt = inAnHour(ZoneOffset.UTC);

        Exchange created = send("\"sendAt\":\"" + sendAt + "\"", SpecCheck.requestAndResponse());

        assertStatus(201, created);
        assertEquals(OffsetDateTime.parse(sendAt).toInstant(),
                OffsetDateTime.parse(created.responseJson().path("sendAt").asText()).toInstant());
    }

    @Test
    void theSameTimeWithAnotherOffsetIsTheSameInstant() {
        String inParis = inAnHour(ZoneOffset.ofHours(2));

        JsonNode sms = send("\"sendAt\":\"" + inParis + "\"", SpecCheck.requestAndResponse()).responseJson();

        assertEquals(OffsetDateTime.parse(inParis).toInstant(), OffsetDateTime.parse(sms.path("sendAt").asText()).toInstant());
    }

    @Test
    void aScheduledSmsWaitsPendingBeforeItsTime() throws Exception {
        String id = send("\"sendAt\":\"" + inAnHour(ZoneOffset.UTC) + "\"", SpecCheck.requestAndResponse())
                .responseJson().path("id").asText();
        Thread.sleep(500);

        Exchange read = server.send(RawRequest.get("/v1/sms/" + id).key(server.key()), SpecCheck.requestAndResponse());

        assertEquals("pending", read.responseJson().path("status").asText());
    }

    @Test
    void aScheduledSmsIsDeliveredOnceItsTimeCame() throws Exception {
        OffsetDateTime sendAt = OffsetDateTime.now(ZoneOffset.UTC).plusSeconds(2);
        String id = send("\"sendAt\":\"" + sendAt + "\"", SpecCheck.requestAndResponse()).responseJson().path("id").asText();

        JsonNode delivered = Lifecycle.awaitStatus(server, server.key(), id, "delivered");

        assertFalse(OffsetDateTime.parse(delivered.path("statusUpdatedAt").asText()).isBefore(sendAt), delivered::toString);
    }

    @Test
    void anSmsWithoutSendAtHasNone() {
        JsonNode sms = server.send(Seed.phpRequest(server.key()), SpecCheck.requestAndResponse()).responseJson();

        assertFalse(sms.has("sendAt"), sms::toString);
    }

    @Test
    void aSendAtInThePastIsRefusedNamingIt() {
        String past = OffsetDateTime.now(ZoneOffset.UTC).minusMinutes(1).toString();

        Exchange exchange = send("\"sendAt\":\"" + past + "\"", SpecCheck.requestAndResponse());

        assertStatus(400, exchange);
        assertEquals(Set.of("sendAt"), errorFields(exchange), exchange::describe);
    }

    @Test
    void aSendAtMoreThan180DaysAheadIsRefusedNamingIt() {
        String tooFar = OffsetDateTime.now(ZoneOffset.UTC).plus(Duration.ofDays(180)).plusMinutes(1).toString();

        Exchange exchange = send("\"sendAt\":\"" + tooFar + "\"", SpecCheck.requestAndResponse());

        assertStatus(400, exchange);
        assertEquals(Set.of("sendAt"), errorFields(exchange), exchange::describe);
    }

    @Test
    void aSendAtJustWithin180DaysIsAccepted() {
        String farButNotTooFar = OffsetDateTime.now(ZoneOffset.UTC).plus(Duration.ofDays(180)).minusMinutes(1).toString();

        assertStatus(201, send("\"sendAt\":\"" + farButNotTooFar + "\"", SpecCheck.requestAndResponse()));
    }

    @ParameterizedTest(name = "sendAt {0} is refused naming it")
    @ValueSource(strings = {"\"tomorrow\"", "\"2027-01-04 09:00\"", "\"2027-02-30T09:00:00Z\"", "12", "true"})
    void aSendAtThatIsNotADateTimeIsRefusedNamingIt(String value) {
        // The spec refuses it: only the answer is checked.
        Exchange exchange = send("\"sendAt\":" + value, SpecCheck.responseOnly());

        assertStatus(400, exchange);
        assertEquals(Set.of("sendAt"), errorFields(exchange), exchange::describe);
    }

    @ParameterizedTest(name = "validityPeriod {0} is refused naming it")
    @ValueSource(strings = {"59", "259201", "-1", "\"600\"", "60.5"})
    void aValidityPeriodOutOfItsBoundsOrNotAnIntegerIsRefusedNamingIt(String value) {
        Exchange exchange = send("\"validityPeriod\":" + value, SpecCheck.responseOnly());

        assertStatus(400, exchange);
        assertEquals(Set.of("validityPeriod"), errorFields(exchange), exchange::describe);
    }

    @ParameterizedTest(name = "validityPeriod {0} is accepted")
    @ValueSource(ints = {60, 600, 259200})
    void aValidityPeriodWithinItsBoundsIsAccepted(int seconds) {
        assertStatus(201, send("\"validityPeriod\":" + seconds, SpecCheck.requestAndResponse()));
    }

    @Test
    void aScheduledSmsWithAValidityPeriodIsAccepted() {
        assertStatus(201, send("\"sendAt\":\"" + inAnHour(ZoneOffset.UTC) + "\",\"validityPeriod\":600",
                SpecCheck.requestAndResponse()));
    }

    @Test
    void badSendAtAndValidityAreListedWithTheOtherBadFields() {
        Exchange exchange = server.send(RawRequest.post("/v1/sms").key(server.key()).json(
                "{\"from\":\"12\",\"to\":\"1234\",\"body\":\"Hi\",\"sendAt\":\"soon\",\"validityPeriod\":1}"),
                SpecCheck.responseOnly());

        assertEquals(Set.of("from", "to", "sendAt", "validityPeriod"), errorFields(exchange), exchange::describe);
    }
}
