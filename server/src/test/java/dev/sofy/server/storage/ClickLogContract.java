package dev.sofy.server.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.github.benmanes.caffeine.cache.Ticker;
import dev.sofy.server.links.LinkService;
import dev.sofy.server.links.ShortLink;
import dev.sofy.server.ratelimit.AddressLimiter;
import dev.sofy.server.webhooks.Endpoint;
import dev.sofy.server.webhooks.EventType;
import java.time.Clock;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What {@link JdbiLinkStore} promises for clicks, on any database: the writer counts them, and the
 * webhook sender's recording numbers their events among the status events in the order the
 * writer committed both.
 */
abstract class ClickLogContract extends StoreContract {
    private static final String ENDPOINT = "endpoint-00000000both";
    static final String CODE = "Abc123Xyz9";

    @BeforeEach
    final void anSmsWithALinkAndAnEndpointForStatusesAndClicks() {
        pendingSms(List.of(new ShortLink(CODE, "https://www.example.com/soldes")));
        webhooks.insert(new Endpoint(ENDPOINT, accountId, "https://example.com/events",
                Set.of(EventType.SMS_STATUS, EventType.SMS_CLICK), "whsec_Ym90aA==", T0, null, null));
    }

    private void click(int second) {
        links.click(CODE, T0.plusSeconds(second)).join();
    }

    /** A status change of an SMS of its own, committed now. */
    private String statusChange(int second) {
        return sent(T0.plusSeconds(second));
    }

    private long clicksOfTheLink() {
        return database.jdbi().withHandle(handle -> handle.createQuery("SELECT clicks FROM sms_link WHERE code = :code")
                .bind("code", CODE).mapTo(Long.class).one());
    }

    /** The endpoint's events in sequence order, each as {@code click <n>} or {@code status <sms id>}. */
    private List<String> eventsInSequence() {
        return database.jdbi().withHandle(handle -> handle.createQuery("""
                        SELECT d.event_type, c.clicks, s.sms_id FROM webhook_delivery d
                        LEFT JOIN sms_click c ON c.id = d.click_id LEFT JOIN sms_status_change s ON s.id = d.status_change_id
                        WHERE d.endpoint_id = :endpoint ORDER BY d.id""")
                .bind("endpoint", ENDPOINT)
                .map((row, context) -> "sms.click".equals(row.getString("event_type"))
                        ? "click " + row.getLong("clicks")
                        : "status " + row.getString("sms_id"))
                .list());
    }

    private long eventsOf(String endpointId) {
        return database.jdbi().withHandle(handle -> handle.createQuery(
                "SELECT COUNT(*) FROM webhook_delivery WHERE endpoint_id = :id").bind("id", endpointId).mapTo(Long.class).one());
    }

    private void recordUntilNothingIsLeft(int max) {
        for (int i = 0; i < 20 && webhooks.recordEvents(max) > 0; i++) {
            // went past some: there may be more
        }
    }

    @Test
    void followedClicksFromOneIpv6Slash64WithinTheWindowCountOnce() {
        var service = new LinkService(links, Clock.fixed(T0, ZoneOffset.UTC), new AddressLimiter(100, 100),
                Ticker.systemTicker());
        service.follow(CODE, "2001:db8:1:2::1");
        service.follow(CODE, "[2001:db8:1:2:ffff::9]");
        // Committed after the follows' clicks: the writer commits clicks in the order they came.
        click(1);

        assertEquals(2, clicksOfTheLink());
    }

    @Test
    void aCommittedClickIsCountedOnItsLink() {
        click(1);

        assertEquals(1, clicksOfTheLink());
    }

    @Test
    void clicksQueuedTogetherEachGetTheCountTheyBroughtTheLinkTo() {
        List<CompletableFuture<Void>> queued = List.of(links.click(CODE, T0.plusSeconds(1)),
                links.click(CODE, T0.plusSeconds(2)), links.click(CODE, T0.plusSeconds(3)));
        queued.forEach(CompletableFuture::join);

        List<Long> counts = database.jdbi().withHandle(handle -> handle.createQuery(
                "SELECT clicks FROM sms_click WHERE code = :code ORDER BY id").bind("code", CODE).mapTo(Long.class).list());
        assertEquals(List.of(1L, 2L, 3L), counts);
    }

    @Test
    void aClickOnACodeWithNoLinkWritesNothing() {
        links.click("NoSuchCode", T0.plusSeconds(1)).join();

        long clicks = database.jdbi().withHandle(handle -> handle.createQuery("SELECT COUNT(*) FROM sms_click")
                .mapTo(Long.class).one());
        assertEquals(0, clicks);
    }

    @Test
    void aClickIsNoEventBeforeTheSenderRecordsIt() {
        click(1);
        assertEquals(List.of(), eventsInSequence());

        webhooks.recordEvents(1_000);

        assertEquals(List.of("click 1"), eventsInSequence());
    }

    @Test
    void anEndpointForStatusesOnlyGetsNoClickEvent() {
        click(1);

        webhooks.recordEvents(1_000);

        assertEquals(0, eventsOf("endpoint-000000000001"));
    }

    @Test
    void aClickComesAfterTheStatusChangeCommittedBeforeIt() {
        String before = statusChange(1);
        click(2);

        webhooks.recordEvents(1_000);

        assertEquals(List.of("status " + before, "click 1"), eventsInSequence());
    }

    @Test
    void aStatusChangeCommittedAfterAClickComesAfterItEvenWhenRecordedTogether() {
        click(1);
        String after = statusChange(2);

        webhooks.recordEvents(1_000);

        assertEquals(List.of("click 1", "status " + after), eventsInSequence());
    }

    @Test
    void aRecordingCutShortOnStatusChangesLeavesTheClickAfterThemForTheNext() {
        String first = statusChange(1);
        String second = statusChange(2);
        click(3);

        webhooks.recordEvents(1);
        assertEquals(List.of("status " + first), eventsInSequence());
        recordUntilNothingIsLeft(1);

        assertEquals(List.of("status " + first, "status " + second, "click 1"), eventsInSequence());
    }

    @Test
    void aRecordingCutShortOnClicksLeavesTheStatusChangeAfterThemForTheNext() {
        click(1);
        click(2);
        String after = statusChange(3);

        webhooks.recordEvents(1);
        assertEquals(List.of("click 1"), eventsInSequence());
        recordUntilNothingIsLeft(1);

        assertEquals(List.of("click 1", "click 2", "status " + after), eventsInSequence());
    }

    @Test
    void eachClickIsRecordedOnceHoweverOftenRecordingRuns() {
        click(1);
        webhooks.recordEvents(1_000);
        click(2);

        webhooks.recordEvents(1_000);
        webhooks.recordEvents(1_000);

        assertEquals(List.of("click 1", "click 2"), eventsInSequence());
    }

    @Test
    void anEndpointAddedAfterAClickGetsNoEventForIt() {
        click(1);
        webhooks.insert(new Endpoint("endpoint-00000000late", accountId, "https://example.com/late",
                Set.of(EventType.SMS_CLICK), "whsec_bGF0ZQ==", T0.plusSeconds(2), null, null));

        webhooks.recordEvents(1_000);

        assertEquals(0, eventsOf("endpoint-00000000late"));
    }

    @Test
    void aClaimedClickEventCarriesTheLinkAndItsCount() {
        click(1);
        click(2);
        webhooks.recordEvents(1_000);

        List<Long> counts = webhooks.claimDue("node-a", 10, NOW, NOW.plusSeconds(60)).stream()
                .filter(delivery -> delivery.type() == EventType.SMS_CLICK)
                .map(delivery -> delivery.clicked().clicks()).toList();

        assertEquals(List.of(1L, 2L), counts);
    }
}
