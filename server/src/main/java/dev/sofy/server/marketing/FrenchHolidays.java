package dev.sofy.server.marketing;

import java.time.LocalDate;
import java.time.Month;
import java.time.MonthDay;
import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The public holidays of each French territory: the eleven national ones, plus each overseas
 * territory's day commemorating the abolition of slavery, and optionally Alsace-Moselle's two.
 *
 * <p>The rules of today apply to every year asked (1 May, 8 May and Whit Monday have not always
 * been holidays); years before the Gregorian calendar (1583) are refused.
 */
public final class FrenchHolidays {
    /**
     * Decree 83-1003 of 23 November 1983 as amended. Saint-Martin's decree text says 27 May, while
     * the prefecture has declared 28 May the holiday since 2018: both days count, as a hold costs
     * a day and a message on a holiday breaks the rule.
     */
    private static final Map<FrenchTerritory, Set<MonthDay>> ABOLITION_OF_SLAVERY = Map.of(
            FrenchTerritory.GUADELOUPE, Set.of(MonthDay.of(Month.MAY, 27)),
            FrenchTerritory.MARTINIQUE, Set.of(MonthDay.of(Month.MAY, 22)),
            FrenchTerritory.FRENCH_GUIANA, Set.of(MonthDay.of(Month.JUNE, 10)),
            FrenchTerritory.REUNION, Set.of(MonthDay.of(Month.DECEMBER, 20)),
            FrenchTerritory.MAYOTTE, Set.of(MonthDay.of(Month.APRIL, 27)),
            FrenchTerritory.SAINT_BARTHELEMY, Set.of(MonthDay.of(Month.OCTOBER, 9)),
            FrenchTerritory.SAINT_MARTIN, Set.of(MonthDay.of(Month.MAY, 27), MonthDay.of(Month.MAY, 28)));
    private static final int FIRST_GREGORIAN_YEAR = 1583;
    /** The national holidays of the years asked so far: every marketing SMS asks, and for a few years only. */
    private static final Map<Integer, SortedSet<LocalDate>> NATIONAL = new ConcurrentHashMap<>();
    private static final int YEARS_KEPT = 64;

    private final boolean alsaceMoselle;

    private FrenchHolidays(boolean alsaceMoselle) {
        this.alsaceMoselle = alsaceMoselle;
    }

    /**
     * National holidays everywhere, and the abolition of slavery in its overseas territory. Good
     * Friday and 26 December are left out: they are holidays in Alsace-Moselle only, which a mobile
     * number does not reveal, and holding every mainland message on them would stop most of France
     * for days that are working days there.
     */
    public static FrenchHolidays standard() {
        return new FrenchHolidays(false);
    }

    /** These holidays, with Good Friday and 26 December added for mainland numbers or not. */
    public FrenchHolidays withAlsaceMoselle(boolean included) {
        return new FrenchHolidays(included);
    }

    public boolean includesAlsaceMoselle() {
        return alsaceMoselle;
    }

    /** The public holidays of {@code year} in {@code territory}, in date order. */
    public SortedSet<LocalDate> of(int year, FrenchTerritory territory) {
        Objects.requireNonNull(territory, "territory");
        var holidays = new TreeSet<>(national(year));
        if (territory == FrenchTerritory.MAINLAND_FRANCE && alsaceMoselle) {
            LocalDate easter = easterSunday(year);
            holidays.add(easter.minusDays(2));
            holidays.add(LocalDate.of(year, Month.DECEMBER, 26));
        }
        for (MonthDay day : ABOLITION_OF_SLAVERY.getOrDefault(territory, Set.of())) {
            holidays.add(day.atYear(year));
        }
        return Collections.unmodifiableSortedSet(holidays);
    }

    /** Whether {@code date} is in {@link #of} its year, without building that set. */
    public boolean isHoliday(LocalDate date, FrenchTerritory territory) {
        Objects.requireNonNull(territory, "territory");
        int year = date.getYear();
        SortedSet<LocalDate> national = NATIONAL.get(year);
        if (national == null) {
            national = NATIONAL.size() < YEARS_KEPT ? NATIONAL.computeIfAbsent(year, FrenchHolidays::national) : national(year);
        }
        if (national.contains(date)) {
            return true;
        }
        if (territory == FrenchTerritory.MAINLAND_FRANCE && alsaceMoselle
                && (date.equals(easterSunday(year).minusDays(2)) || date.equals(LocalDate.of(year, Month.DECEMBER, 26)))) {
            return true;
        }
        return ABOLITION_OF_SLAVERY.getOrDefault(territory, Set.of()).contains(MonthDay.from(date));
    }

    /** The eleven holidays of the Code du travail (article L3133-1), in date order. */
    public static SortedSet<LocalDate> national(int year) {
        LocalDate easter = easterSunday(year);
        var holidays = new TreeSet<LocalDate>();
        holidays.add(LocalDate.of(year, Month.JANUARY, 1));
        holidays.add(easter.plusDays(1));                        // Easter Monday
        holidays.add(LocalDate.of(year, Month.MAY, 1));
        holidays.add(LocalDate.of(year, Month.MAY, 8));
        holidays.add(easter.plusDays(39));                       // Ascension
        holidays.add(easter.plusDays(50));                       // Whit Monday
        holidays.add(LocalDate.of(year, Month.JULY, 14));
        holidays.add(LocalDate.of(year, Month.AUGUST, 15));
        holidays.add(LocalDate.of(year, Month.NOVEMBER, 1));
        holidays.add(LocalDate.of(year, Month.NOVEMBER, 11));
        holidays.add(LocalDate.of(year, Month.DECEMBER, 25));
        return Collections.unmodifiableSortedSet(holidays);
    }

    /** Easter Sunday of a Gregorian year, by the anonymous Gregorian algorithm (Meeus/Jones/Butcher). */
    public static LocalDate easterSunday(int year) {
        if (year < FIRST_GREGORIAN_YEAR) {
            throw new IllegalArgumentException("year must be " + FIRST_GREGORIAN_YEAR + " or later, not " + year);
        }
        int a = year % 19;
        int b = year / 100;
        int c = year % 100;
        int d = b / 4;
        int e = b % 4;
        int f = (b + 8) / 25;
        int g = (b - f + 1) / 3;
        int h = (19 * a + b - d - g + 15) % 30;
        int i = c / 4;
        int k = c % 4;
        int l = (32 + 2 * e + 2 * i - h - k) % 7;
        int m = (a + 11 * h + 22 * l) / 451;
        int month = (h + l - 7 * m + 114) / 31;
        int day = (h + l - 7 * m + 114) % 31 + 1;
        return LocalDate.of(year, month, day);
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof FrenchHolidays that && alsaceMoselle == that.alsaceMoselle;
    }

    @Override
    public int hashCode() {
        return Boolean.hashCode(alsaceMoselle);
    }

    @Override
    public String toString() {
        return alsaceMoselle ? "FrenchHolidays[with Alsace-Moselle]" : "FrenchHolidays[standard]";
    }
}
