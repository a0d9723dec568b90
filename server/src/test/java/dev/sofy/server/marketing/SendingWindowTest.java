package dev.sofy.server.marketing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.EnumSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class SendingWindowTest {
    private static final String MAINLAND = "33612345678";
    private static final String GUADELOUPE_MOBILE = "590690112233";
    private static final String REUNION_MOBILE = "262692123456";
    private static final String MARTINIQUE_MOBILE = "596696201234";
    private static final String UNITED_KINGDOM = "447400123456";

    private final SendingWindow window = SendingWindow.defaults();

    // Wednesday 3 June 2026 is an ordinary working day, in summer time (UTC+2 in Paris).

    @Test
    void theWindowIsOpenAtOneSecondBefore20HoursParisTime() {
        assertTrue(window.isOpen(paris("2026-06-03T19:59:59"), MAINLAND));
    }

    @Test
    void theWindowIsClosedAt20HoursParisTime() {
        assertFalse(window.isOpen(paris("2026-06-03T20:00:00"), MAINLAND));
    }

    @Test
    void theWindowIsClosedAt7Hours59ParisTime() {
        assertFalse(window.isOpen(paris("2026-06-03T07:59:00"), MAINLAND));
    }

    @Test
    void theWindowIsOpenAt8HoursParisTime() {
        assertTrue(window.isOpen(paris("2026-06-03T08:00:00"), MAINLAND));
    }

    @Test
    void theBoundariesAreReadInParisTimeNotUtc() {
        assertTrue(window.isOpen(Instant.parse("2026-06-03T06:00:00Z"), MAINLAND));
    }

    @Test
    void theWindowIsOpenOnSaturday() {
        assertTrue(window.isOpen(paris("2026-06-06T12:00:00"), MAINLAND));
    }

    @Test
    void theWindowIsClosedAllSunday() {
        assertFalse(window.isOpen(paris("2026-06-07T12:00:00"), MAINLAND));
    }

    @Test
    void theWindowIsClosedOnEasterMonday2027() {
        assertFalse(window.isOpen(paris("2027-03-29T12:00:00"), MAINLAND));
    }

    @Test
    void theWindowIsClosedOnAscensionDay() {
        assertFalse(window.isOpen(paris("2026-05-14T12:00:00"), MAINLAND));
    }

    @Test
    void theWindowIsClosedOnWhitMonday() {
        assertFalse(window.isOpen(paris("2026-05-25T12:00:00"), MAINLAND));
    }

    @Test
    void theWindowIsClosedOnBastilleDay() {
        assertFalse(window.isOpen(paris("2026-07-14T12:00:00"), MAINLAND));
    }

    @Test
    void theWindowIsClosedOnTheFirstOfMayFallingOnAFriday() {
        assertFalse(window.isOpen(paris("2026-05-01T12:00:00"), MAINLAND));
    }

    @Test
    void theNextOpeningOfAnOpenWindowIsNow() {
        Instant now = paris("2026-06-03T12:34:56");
        assertEquals(now, window.nextOpening(now, MAINLAND));
    }

    @Test
    void beforeEightTheWindowOpensAtEightTheSameDay() {
        assertEquals(paris("2026-06-03T08:00:00"), window.nextOpening(paris("2026-06-03T07:59:00"), MAINLAND));
    }

    @Test
    void afterEightPmTheWindowOpensAtEightTheNextDay() {
        assertEquals(paris("2026-06-04T08:00:00"), window.nextOpening(paris("2026-06-03T20:00:00"), MAINLAND));
    }

    @Test
    void onSaturdayAt19Hours59TheWindowIsStillOpen() {
        Instant now = paris("2026-06-06T19:59:00");
        assertEquals(now, window.nextOpening(now, MAINLAND));
    }

    @Test
    void onSaturdayAt20HoursTheWindowOpensOnMondayAt8() {
        assertEquals(paris("2026-06-08T08:00:00"), window.nextOpening(paris("2026-06-06T20:00:00"), MAINLAND));
    }

    @Test
    void onTheSaturdayBeforeWhitMondayTheWindowOpensOnTuesdayAt8() {
        assertEquals(paris("2026-05-26T08:00:00"), window.nextOpening(paris("2026-05-23T20:00:00"), MAINLAND));
    }

    @Test
    void onTheSaturdayBeforeEasterMonday2027TheWindowOpensOnTuesdayAt8SummerTime() {
        // Saturday 20:00 is still winter time (UTC+1); the clocks go forward on Easter Sunday.
        assertEquals(Instant.parse("2027-03-30T06:00:00Z"),
                window.nextOpening(Instant.parse("2027-03-27T19:00:00Z"), MAINLAND));
    }

    @Test
    void acrossTheSpringForwardWeekendTheWindowOpensAt8SummerTime() {
        assertEquals(Instant.parse("2026-03-30T06:00:00Z"),
                window.nextOpening(Instant.parse("2026-03-28T19:00:00Z"), MAINLAND));
    }

    @Test
    void acrossTheFallBackWeekendTheWindowOpensAt8WinterTime() {
        assertEquals(Instant.parse("2026-10-26T07:00:00Z"),
                window.nextOpening(Instant.parse("2026-10-24T18:00:00Z"), MAINLAND));
    }

    @Test
    void onTheSpringForwardDayTheWindowIsClosedAt7Hours59SummerTime() {
        assertFalse(everyDay().isOpen(Instant.parse("2026-03-29T05:59:59Z"), MAINLAND));
    }

    @Test
    void onTheSpringForwardDayTheWindowIsOpenAt8SummerTime() {
        assertTrue(everyDay().isOpen(Instant.parse("2026-03-29T06:00:00Z"), MAINLAND));
    }

    @Test
    void onTheFallBackDayTheWindowIsClosedAt7Hours59WinterTime() {
        assertFalse(everyDay().isOpen(Instant.parse("2026-10-25T06:59:59Z"), MAINLAND));
    }

    @Test
    void onTheFallBackDayTheWindowIsOpenAt8WinterTime() {
        assertTrue(everyDay().isOpen(Instant.parse("2026-10-25T07:00:00Z"), MAINLAND));
    }

    @Test
    void onTheFallBackDayTheWindowIsOpenAt19Hours59WinterTime() {
        assertTrue(everyDay().isOpen(Instant.parse("2026-10-25T18:59:59Z"), MAINLAND));
    }

    @Test
    void onTheFallBackDayTheWindowIsClosedAt20WinterTime() {
        assertFalse(everyDay().isOpen(Instant.parse("2026-10-25T19:00:00Z"), MAINLAND));
    }

    @Test
    void anOpeningTimeSkippedBySpringForwardOpensWhenTheClocksJump() {
        // 02:30 does not exist on 29 March 2026 in Paris: at 02:00 CET it is 03:00 CEST, 01:00 UTC.
        var earlyEveryDay = everyDay().withHours(LocalTime.of(2, 30), LocalTime.of(20, 0));
        assertEquals(Instant.parse("2026-03-29T01:00:00Z"),
                earlyEveryDay.nextOpening(Instant.parse("2026-03-28T20:00:00Z"), MAINLAND));
    }

    @Test
    void anOpeningTimeRepeatedByFallBackOpensAtItsFirstOccurrence() {
        var earlyEveryDay = everyDay().withHours(LocalTime.of(2, 30), LocalTime.of(20, 0));
        assertEquals(Instant.parse("2026-10-25T00:30:00Z"),
                earlyEveryDay.nextOpening(Instant.parse("2026-10-24T19:00:00Z"), MAINLAND));
    }

    // Overseas numbers follow their own clocks.

    @Test
    void aGuadeloupeNumberIsClosedBefore8InGuadeloupeEvenWhenParisIsOpen() {
        assertFalse(window.isOpen(local("2026-06-03T07:59:59", "America/Guadeloupe"), GUADELOUPE_MOBILE));
    }

    @Test
    void aGuadeloupeNumberIsOpenAt8InGuadeloupe() {
        assertTrue(window.isOpen(local("2026-06-03T08:00:00", "America/Guadeloupe"), GUADELOUPE_MOBILE));
    }

    @Test
    void aGuadeloupeNumberIsClosedAt20InGuadeloupe() {
        assertFalse(window.isOpen(local("2026-06-03T20:00:00", "America/Guadeloupe"), GUADELOUPE_MOBILE));
    }

    @Test
    void aReunionNumberIsOpenAt8InReunionWhileParisSleeps() {
        assertTrue(window.isOpen(local("2026-06-03T08:00:00", "Indian/Reunion"), REUNION_MOBILE));
    }

    @Test
    void aReunionNumberIsClosedAt20InReunionWhileParisIsOpen() {
        assertFalse(window.isOpen(local("2026-06-03T20:00:00", "Indian/Reunion"), REUNION_MOBILE));
    }

    @Test
    void overseasNumbersCanBeToldToFollowParisTime() {
        var parisForAll = window.withOverseasLocalTime(false);
        assertTrue(parisForAll.isOpen(paris("2026-06-03T08:00:00"), GUADELOUPE_MOBILE));
    }

    @Test
    void aGuadeloupeNumberOpensAt8InGuadeloupeAfterItsNight() {
        assertEquals(local("2026-06-04T08:00:00", "America/Guadeloupe"),
                window.nextOpening(local("2026-06-03T20:00:00", "America/Guadeloupe"), GUADELOUPE_MOBILE));
    }

    @Test
    void aGuadeloupeNumberIsClosedOnGuadeloupesAbolitionDay() {
        assertFalse(window.isOpen(local("2026-05-27T12:00:00", "America/Guadeloupe"), GUADELOUPE_MOBILE));
    }

    @Test
    void aMartiniqueNumberIsClosedOnMartiniquesAbolitionDay() {
        assertFalse(window.isOpen(local("2026-05-22T12:00:00", "America/Martinique"), MARTINIQUE_MOBILE));
    }

    @Test
    void aReunionNumberIsClosedOnReunionsAbolitionDay() {
        assertFalse(window.isOpen(local("2027-12-20T12:00:00", "Indian/Reunion"), REUNION_MOBILE));
    }

    @Test
    void aMainlandNumberIsOpenOnAnOverseasAbolitionDay() {
        assertTrue(window.isOpen(paris("2026-05-27T12:00:00"), MAINLAND));
    }

    @Test
    void aPlus590MobileIsAlsoClosedOnSaintBarthelemysAbolitionDay() {
        assertFalse(window.isOpen(local("2026-10-09T12:00:00", "America/Guadeloupe"), GUADELOUPE_MOBILE));
    }

    @Test
    void aPlus590MobileWaitsOutTheAbolitionDaysOfGuadeloupeAndSaintMartin() {
        // Tuesday 26 May at 20:00; 27 May is Guadeloupe's day, 28 May Saint-Martin's.
        assertEquals(local("2026-05-29T08:00:00", "America/Guadeloupe"),
                window.nextOpening(local("2026-05-26T20:00:00", "America/Guadeloupe"), GUADELOUPE_MOBILE));
    }

    @Test
    void aNumberThatIsNotFrenchFollowsTheParisWindow() {
        assertFalse(window.isOpen(paris("2026-06-03T20:00:00"), UNITED_KINGDOM));
    }

    // Configuration.

    @Test
    void theDefaultsAreMondayToSaturdayFrom8To20InParis() {
        assertEquals(EnumSet.range(DayOfWeek.MONDAY, DayOfWeek.SATURDAY), window.days());
        assertEquals(LocalTime.of(8, 0), window.opening());
        assertEquals(LocalTime.of(20, 0), window.closing());
        assertEquals(ZoneId.of("Europe/Paris"), window.zone());
        assertTrue(window.overseasLocalTime());
        assertEquals(FrenchHolidays.standard(), window.holidays());
    }

    @Test
    void sundayCanBeAddedToTheDays() {
        assertTrue(everyDay().isOpen(paris("2026-06-07T12:00:00"), MAINLAND));
    }

    @Test
    void theHoursCanBeNarrowed() {
        assertFalse(window.withHours(LocalTime.of(9, 0), LocalTime.of(18, 0))
                .isOpen(paris("2026-06-03T08:30:00"), MAINLAND));
    }

    @Test
    void theZoneOfMainlandNumbersCanBeChanged() {
        assertTrue(window.withZone(ZoneOffset.UTC).isOpen(Instant.parse("2026-06-03T19:30:00Z"), MAINLAND));
    }

    @Test
    void alsaceMoselleHolidaysCanBeObserved() {
        assertFalse(window.withHolidays(FrenchHolidays.standard().withAlsaceMoselle(true))
                .isOpen(paris("2026-04-03T12:00:00"), MAINLAND));
    }

    @Test
    void aWindowWithNoDayIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> window.withDays(Set.of()));
    }

    @Test
    void aWindowThatClosesBeforeItOpensIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> window.withHours(LocalTime.of(20, 0), LocalTime.of(8, 0)));
    }

    @Test
    void anEmptyWindowIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> window.withHours(LocalTime.of(8, 0), LocalTime.of(8, 0)));
    }

    @Test
    void windowsWithTheSameSettingsAreEqual() {
        assertEquals(SendingWindow.defaults(), window.withZone(ZoneId.of("Europe/Paris")));
    }

    /** The default window, Sundays included, to look at the daylight-saving Sundays. */
    private SendingWindow everyDay() {
        return window.withDays(EnumSet.allOf(DayOfWeek.class));
    }

    private static Instant paris(String localDateTime) {
        return local(localDateTime, "Europe/Paris");
    }

    private static Instant local(String localDateTime, String zone) {
        return LocalDateTime.parse(localDateTime).atZone(ZoneId.of(zone)).toInstant();
    }
}
