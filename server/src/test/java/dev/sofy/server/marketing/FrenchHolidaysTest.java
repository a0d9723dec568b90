package dev.sofy.server.marketing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.LocalDate;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

class FrenchHolidaysTest {
    private final FrenchHolidays standard = FrenchHolidays.standard();

    @ParameterizedTest(name = "Easter {0} is on {1}")
    @CsvSource({
        "1583, 1583-04-10",
        "1818, 1818-03-22",   // the earliest possible date
        "1943, 1943-04-25",   // the latest possible date
        "2000, 2000-04-23",
        "2008, 2008-03-23",
        "2019, 2019-04-21",
        "2024, 2024-03-31",
        "2025, 2025-04-20",
        "2026, 2026-04-05",
        "2027, 2027-03-28",
        "2038, 2038-04-25",
        "2285, 2285-03-22"
    })
    void easterSundayFollowsTheGregorianComputus(int year, LocalDate easter) {
        assertEquals(easter, FrenchHolidays.easterSunday(year));
    }

    @Test
    void yearsBeforeTheGregorianCalendarAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> FrenchHolidays.easterSunday(1582));
    }

    @Test
    void the2026NationalHolidaysAreTheElevenOfTheLabourCode() {
        assertEquals(dates("2026-01-01", "2026-04-06", "2026-05-01", "2026-05-08", "2026-05-14", "2026-05-25",
                        "2026-07-14", "2026-08-15", "2026-11-01", "2026-11-11", "2026-12-25"),
                List.copyOf(FrenchHolidays.national(2026)));
    }

    @Test
    void the2027EasterBasedHolidaysFollowEasterOn28March() {
        assertEquals(dates("2027-01-01", "2027-03-29", "2027-05-01", "2027-05-06", "2027-05-08", "2027-05-17",
                        "2027-07-14", "2027-08-15", "2027-11-01", "2027-11-11", "2027-12-25"),
                List.copyOf(FrenchHolidays.national(2027)));
    }

    @Test
    void aHolidayFallingOnAnotherCountsOnce() {
        // In 2008 Easter was on 23 March, so Ascension fell on 1 May.
        assertEquals(10, FrenchHolidays.national(2008).size());
    }

    @Test
    void mainlandFranceHasTheNationalHolidaysOnlyByDefault() {
        assertEquals(FrenchHolidays.national(2026), standard.of(2026, FrenchTerritory.MAINLAND_FRANCE));
    }

    @Test
    void goodFridayIsNotAHolidayByDefault() {
        assertFalse(standard.isHoliday(LocalDate.parse("2026-04-03"), FrenchTerritory.MAINLAND_FRANCE));
    }

    @Test
    void boxingDayIsNotAHolidayByDefault() {
        assertFalse(standard.isHoliday(LocalDate.parse("2026-12-26"), FrenchTerritory.MAINLAND_FRANCE));
    }

    @Test
    void withAlsaceMoselleGoodFridayIsAMainlandHoliday() {
        assertTrue(standard.withAlsaceMoselle(true)
                .isHoliday(LocalDate.parse("2026-04-03"), FrenchTerritory.MAINLAND_FRANCE));
    }

    @Test
    void withAlsaceMoselleBoxingDayIsAMainlandHoliday() {
        assertTrue(standard.withAlsaceMoselle(true)
                .isHoliday(LocalDate.parse("2026-12-26"), FrenchTerritory.MAINLAND_FRANCE));
    }

    @Test
    void alsaceMoselleHolidaysDoNotReachOverseas() {
        assertFalse(standard.withAlsaceMoselle(true)
                .isHoliday(LocalDate.parse("2026-04-03"), FrenchTerritory.GUADELOUPE));
    }

    @Test
    void alsaceMoselleCanBeTurnedOffAgain() {
        assertEquals(standard, standard.withAlsaceMoselle(true).withAlsaceMoselle(false));
    }

    @ParameterizedTest(name = "{1} is the abolition of slavery in {0}")
    @CsvSource({
        "GUADELOUPE, 2026-05-27",
        "MARTINIQUE, 2026-05-22",
        "FRENCH_GUIANA, 2026-06-10",
        "REUNION, 2026-12-20",
        "MAYOTTE, 2026-04-27",
        "SAINT_BARTHELEMY, 2026-10-09",
        "SAINT_MARTIN, 2026-05-27",
        "SAINT_MARTIN, 2026-05-28"
    })
    void eachOverseasDepartmentHasItsAbolitionOfSlaveryHoliday(FrenchTerritory territory, LocalDate date) {
        assertTrue(standard.isHoliday(date, territory));
    }

    @ParameterizedTest(name = "{0} is a working day in mainland France")
    @ValueSource(strings = {"2026-05-27", "2026-05-22", "2026-06-10", "2026-12-20", "2026-04-27", "2026-10-09",
        "2026-05-28"})
    void overseasHolidaysAreNotMainlandHolidays(String date) {
        assertFalse(standard.isHoliday(LocalDate.parse(date), FrenchTerritory.MAINLAND_FRANCE));
    }

    @Test
    void oneTerritorysAbolitionDayIsNotAnothers() {
        assertFalse(standard.isHoliday(LocalDate.parse("2026-05-22"), FrenchTerritory.GUADELOUPE));
    }

    @Test
    void saintPierreEtMiquelonHasTheNationalHolidaysOnly() {
        assertEquals(FrenchHolidays.national(2026), standard.of(2026, FrenchTerritory.SAINT_PIERRE_ET_MIQUELON));
    }

    @ParameterizedTest(name = "{0} has the national holidays")
    @EnumSource(FrenchTerritory.class)
    void everyTerritoryHasTheNationalHolidays(FrenchTerritory territory) {
        assertTrue(standard.of(2027, territory).containsAll(FrenchHolidays.national(2027)));
    }

    @Test
    void overseasHolidaysAreListedInDateOrderWithTheNationalOnes() {
        var reunion = List.copyOf(standard.of(2026, FrenchTerritory.REUNION));
        assertEquals(LocalDate.parse("2026-12-20"), reunion.get(reunion.size() - 2));
    }

    @ParameterizedTest(name = "isHoliday agrees with the holidays listed for {0}, with and without Alsace-Moselle")
    @EnumSource(FrenchTerritory.class)
    void isHolidayAgreesWithTheListOfEveryDayOfSeveralYears(FrenchTerritory territory) {
        for (FrenchHolidays holidays : List.of(standard, standard.withAlsaceMoselle(true))) {
            for (LocalDate day = LocalDate.parse("2024-01-01"); day.getYear() < 2031; day = day.plusDays(1)) {
                assertEquals(holidays.of(day.getYear(), territory).contains(day), holidays.isHoliday(day, territory),
                        holidays + " on " + day);
            }
        }
    }

    private static List<LocalDate> dates(String... dates) {
        return Stream.of(dates).map(LocalDate::parse).toList();
    }
}
