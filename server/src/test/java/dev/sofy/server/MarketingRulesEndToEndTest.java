package dev.sofy.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sofy.server.config.Config;
import dev.sofy.server.delivery.smpp.SmscSimulator;
import dev.sofy.server.delivery.smpp.SmscSimulator.ReceivedSubmit;
import dev.sofy.server.marketing.FrenchHolidays;
import dev.sofy.server.marketing.FrenchNumbers;
import dev.sofy.server.marketing.FrenchTerritory;
import dev.sofy.testing.KeyPair;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The French marketing rules through the whole server: the HTTP answer, the dispatcher and what
 * the SMSC simulator receives. One server has a sending window that is closed today, the other a
 * window open all day, every day.
 */
final class MarketingRulesEndToEndTest {
    private static final KeyPair KEY = new KeyPair("marketing-e2e-key", "marketing-e2e-secret-0123456789-a");
    private static final String MAINLAND_MOBILE = "+33612345678";
    private static final String GUADELOUPE_MOBILE = "+590690112233";
    /** A number outside France: no marketing rule applies to it. */
    private static final String AMERICAN_NUMBER = "+12025550150";
    private static final ZoneId PARIS = ZoneId.of("Europe/Paris");
    private static final Duration TIMEOUT = Duration.ofSeconds(20);

    private static App closedWindow;
    private static App openWindow;
    private static SmsTestClient closedApi;
    private static SmsTestClient openApi;

    @BeforeAll
    static void startServers() {
        // Three days from today is neither today nor, near midnight, tomorrow.
        String notToday = LocalDate.now(PARIS).plusDays(3).getDayOfWeek().name().substring(0, 3);
        closedWindow = App.start(config(notToday, "08:00", "20:00"));
        // 23:59:59.999999999, since the closing time is excluded.
        openWindow = App.start(config("MON-SUN", "00:00", "23:59:59.999999999"));
        var client = SmsTestClient.newClient();
        closedApi = new SmsTestClient(client, closedWindow.baseUri(), KEY);
        openApi = new SmsTestClient(client, openWindow.baseUri(), KEY);
    }

    private static Config config(String days, String opens, String closes) {
        Map<String, String> environment = new HashMap<>(Map.of(
                "SOFY_HOST", "127.0.0.1",
                "SOFY_PORT", "0",
                "SOFY_MANAGEMENT_PORT", "0",
                "SOFY_DB_URL", "jdbc:h2:mem:marketing-" + UUID.randomUUID(),
                "SOFY_BOOTSTRAP_KEY_ID", KEY.id(),
                "SOFY_BOOTSTRAP_KEY_SECRET", KEY.secret(),
                "SOFY_SIMULATOR_RECEIPT_DELAY_MS", "0"));
        environment.putAll(Map.of(
                "SOFY_MARKETING_DAYS", days,
                "SOFY_MARKETING_OPENS", opens,
                "SOFY_MARKETING_CLOSES", closes,
                "SOFY_MARKETING_TIMEZONE", "Europe/Paris"));
        return Config.from(environment);
    }

    @AfterAll
    static void stopServers() {
        for (App app : new App[] {closedWindow, openWindow}) {
            if (app != null) {
                app.close();
            }
        }
    }

    @Test
    void aMarketingSmsOutsideTheSendingWindowStaysPendingAndIsNeverSubmitted() throws Exception {
        String body = "Soldes d'hiver " + UUID.randomUUID();
        JsonNode accepted = closedApi.send(MAINLAND_MOBILE, body, false);
        assertEquals("pending", accepted.path("status").asText(), accepted.toString());
        assertEquals("", accepted.path("statusReason").asText(), accepted.toString());
        assertTrue(accepted.hasNonNull("heldUntil"), accepted.toString());

        // An SMS sent after it and delivered shows that the dispatcher has looked since.
        JsonNode later = closedApi.send(AMERICAN_NUMBER, "Code 1234 " + UUID.randomUUID(), true);
        closedApi.await(later.path("id").asText(), SmsTestClient.hasStatus("delivered"), TIMEOUT);

        JsonNode held = closedApi.get(accepted.path("id").asText());
        List<ReceivedSubmit> submitted = receivedStartingWith(closedWindow, body);
        assertEquals("pending", held.path("status").asText(), held.toString());
        assertEquals(accepted.path("heldUntil"), held.path("heldUntil"), held.toString());
        assertEquals(List.of(), submitted.stream().map(ReceivedSubmit::text).toList());
    }

    @Test
    void aTransactionalSmsOutsideTheSendingWindowIsDeliveredWithoutAMention() throws Exception {
        String body = "Votre code est 4821 " + UUID.randomUUID();
        JsonNode accepted = closedApi.send(MAINLAND_MOBILE, body, true);

        closedApi.await(accepted.path("id").asText(), SmsTestClient.hasStatus("delivered"), TIMEOUT);

        assertEquals(List.of(body), textsStartingWith(closedWindow, body));
    }

    @Test
    void aMarketingSmsToAMainlandMobileInsideTheWindowGoesOutWithTheMainlandMention() throws Exception {
        assumeNoHolidayToday(MAINLAND_MOBILE);
        String body = "Soldes d'hiver " + UUID.randomUUID();
        JsonNode accepted = openApi.send(MAINLAND_MOBILE, body, false);

        openApi.await(accepted.path("id").asText(), SmsTestClient.hasStatus("delivered"), TIMEOUT);

        assertEquals(List.of(body + " STOP au 36229"), textsStartingWith(openWindow, body));
    }

    @Test
    void aMarketingSmsToAGuadeloupeMobileInsideTheWindowGoesOutWithTheOverseasMention() throws Exception {
        assumeNoHolidayToday(GUADELOUPE_MOBILE);
        String body = "Soldes d'hiver " + UUID.randomUUID();
        JsonNode accepted = openApi.send(GUADELOUPE_MOBILE, body, false);

        openApi.await(accepted.path("id").asText(), SmsTestClient.hasStatus("delivered"), TIMEOUT);

        assertEquals(List.of(body + " STOP au 36789"), textsStartingWith(openWindow, body));
    }

    @Test
    void theSegmentsOfAMarketingSmsCountTheMention() throws Exception {
        assumeNoHolidayToday(MAINLAND_MOBILE);
        // 150 GSM-7 characters fit one SMS; with " STOP au 36229" (14 more) they take two.
        String body = UUID.randomUUID() + " " + "x".repeat(150 - 37);
        assertEquals(150, body.length());

        JsonNode accepted = openApi.send(MAINLAND_MOBILE, body, false);

        assertEquals(2, accepted.path("segments").asInt(), accepted.toString());
    }

    @Test
    void aMarketingSmsThatAlreadyHasAMentionGetsNoSecondOne() throws Exception {
        assumeNoHolidayToday(MAINLAND_MOBILE);
        String body = "Soldes d'hiver " + UUID.randomUUID() + " STOP au 36229";
        JsonNode accepted = openApi.send(MAINLAND_MOBILE, body, false);

        openApi.await(accepted.path("id").asText(), SmsTestClient.hasStatus("delivered"), TIMEOUT);

        assertEquals(List.of(body), textsStartingWith(openWindow, body));
    }

    /** The window never opens on the recipient territory's public holidays, whatever the days and hours. */
    private static void assumeNoHolidayToday(String number) {
        for (FrenchTerritory territory : FrenchNumbers.territoriesOf(number.substring(1))) {
            LocalDate today = LocalDate.now(territory.zone());
            assumeFalse(FrenchHolidays.standard().isHoliday(today, territory),
                    today + " is a public holiday in " + territory.name().toLowerCase(Locale.ROOT)
                            + ": no marketing SMS may go there today");
        }
    }

    private static List<ReceivedSubmit> receivedStartingWith(App app, String prefix) {
        SmscSimulator simulator = app.simulator().orElseThrow();
        return simulator.received().stream().filter(submit -> submit.text().startsWith(prefix)).toList();
    }

    /** The texts of the submits the app's simulator received that start with {@code prefix}. */
    private static List<String> textsStartingWith(App app, String prefix) {
        return receivedStartingWith(app, prefix).stream().map(ReceivedSubmit::text).toList();
    }
}
