package dev.sofy.server.marketing;

import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.Collections;
import java.util.EnumSet;
import java.util.Objects;
import java.util.Set;

/**
 * When marketing SMS may be sent to a French number: on some days of the week (Monday to Saturday
 * by default), from an opening time included to a closing time excluded (08:00 to 20:00 by
 * default), never on the recipient territory's {@link FrenchHolidays public holidays}.
 *
 * <p>Times are read in the recipient's own zone for overseas numbers by default: the rule protects
 * the recipient's evening and rest, and 08:00 in Paris is 02:00 or 03:00 in Guadeloupe. Mainland
 * numbers, and numbers that are not French, use the configured zone (Europe/Paris by default) and
 * mainland holidays. When a number may belong to several territories, the window is open only when
 * it is open in each of them.
 */
public final class SendingWindow {
    /** No window opens less often than once a year, as there are fewer than 365 holidays. */
    private static final int DAYS_SEARCHED = 2 * 366 + 7;

    private final Set<DayOfWeek> days;
    private final LocalTime opening;
    private final LocalTime closing;
    private final ZoneId zone;
    private final boolean overseasLocalTime;
    private final FrenchHolidays holidays;

    private SendingWindow(
            Set<DayOfWeek> days,
            LocalTime opening,
            LocalTime closing,
            ZoneId zone,
            boolean overseasLocalTime,
            FrenchHolidays holidays) {
        if (days.isEmpty()) {
            throw new IllegalArgumentException("the sending window needs at least one day of the week");
        }
        if (!opening.isBefore(closing)) {
            throw new IllegalArgumentException(
                    "the sending window must open before it closes, not " + opening + " to " + closing);
        }
        this.days = Collections.unmodifiableSet(EnumSet.copyOf(days));
        this.opening = opening;
        this.closing = closing;
        this.zone = Objects.requireNonNull(zone, "zone");
        this.overseasLocalTime = overseasLocalTime;
        this.holidays = Objects.requireNonNull(holidays, "holidays");
    }

    /** Monday to Saturday, 08:00 to 20:00, Europe/Paris for mainland numbers, overseas numbers in their own zone. */
    public static SendingWindow defaults() {
        return new SendingWindow(
                EnumSet.range(DayOfWeek.MONDAY, DayOfWeek.SATURDAY),
                LocalTime.of(8, 0),
                LocalTime.of(20, 0),
                ZoneId.of("Europe/Paris"),
                true,
                FrenchHolidays.standard());
    }

    public SendingWindow withDays(Set<DayOfWeek> days) {
        return new SendingWindow(days, opening, closing, zone, overseasLocalTime, holidays);
    }

    /** The window from {@code opening}, included, to {@code closing}, excluded, on the same day. */
    public SendingWindow withHours(LocalTime opening, LocalTime closing) {
        return new SendingWindow(days, opening, closing, zone, overseasLocalTime, holidays);
    }

    /** The zone of mainland numbers and of numbers that are not French. */
    public SendingWindow withZone(ZoneId zone) {
        return new SendingWindow(days, opening, closing, zone, overseasLocalTime, holidays);
    }

    /** Whether overseas numbers use their own zone ({@code true}) or the configured one. */
    public SendingWindow withOverseasLocalTime(boolean overseasLocalTime) {
        return new SendingWindow(days, opening, closing, zone, overseasLocalTime, holidays);
    }

    public SendingWindow withHolidays(FrenchHolidays holidays) {
        return new SendingWindow(days, opening, closing, zone, overseasLocalTime, holidays);
    }

    public Set<DayOfWeek> days() {
        return days;
    }

    public LocalTime opening() {
        return opening;
    }

    public LocalTime closing() {
        return closing;
    }

    public ZoneId zone() {
        return zone;
    }

    public boolean overseasLocalTime() {
        return overseasLocalTime;
    }

    public FrenchHolidays holidays() {
        return holidays;
    }

    /** Whether a marketing SMS may be sent to {@code recipientDigits} at {@code instant}. */
    public boolean isOpen(Instant instant, String recipientDigits) {
        return calendarsOf(recipientDigits).stream().allMatch(territory -> isOpen(instant, territory));
    }

    /** The first instant, {@code instant} itself when the window is open, at which {@link #isOpen} holds. */
    public Instant nextOpening(Instant instant, String recipientDigits) {
        return nextOpening(instant, calendarsOf(recipientDigits));
    }

    /**
     * The first instant at which the window is open in every one of {@code territories}, for a
     * caller that already knows the recipient's territories (working them out is the costly part).
     */
    public Instant nextOpening(Instant instant, Set<FrenchTerritory> territories) {
        if (territories.isEmpty()) {
            throw new IllegalArgumentException("no territory to open the window in");
        }
        Instant candidate = instant;
        // Each pass moves to the latest of the territories' next openings; with territories in
        // different zones an opening in one may fall in another's closed hours, hence the loop.
        for (int pass = 0; pass <= DAYS_SEARCHED; pass++) {
            Instant latest = candidate;
            for (FrenchTerritory territory : territories) {
                Instant next = nextOpening(candidate, territory);
                if (next.isAfter(latest)) {
                    latest = next;
                }
            }
            if (latest.equals(candidate)) {
                return candidate;
            }
            candidate = latest;
        }
        throw new IllegalStateException("the sending window never opens in " + territories);
    }

    private Set<FrenchTerritory> calendarsOf(String recipientDigits) {
        Set<FrenchTerritory> territories = FrenchNumbers.territoriesOf(recipientDigits);
        return territories.isEmpty() ? Set.of(FrenchTerritory.MAINLAND_FRANCE) : territories;
    }

    private ZoneId zoneOf(FrenchTerritory territory) {
        return overseasLocalTime && territory.isOverseas() ? territory.zone() : zone;
    }

    private boolean isOpen(Instant instant, FrenchTerritory territory) {
        LocalDateTime local = LocalDateTime.ofInstant(instant, zoneOf(territory));
        LocalTime time = local.toLocalTime();
        return isSendingDay(local.toLocalDate(), territory) && !time.isBefore(opening) && time.isBefore(closing);
    }

    private Instant nextOpening(Instant instant, FrenchTerritory territory) {
        if (isOpen(instant, territory)) {
            return instant;
        }
        ZoneId territoryZone = zoneOf(territory);
        LocalDate date = LocalDate.ofInstant(instant, territoryZone);
        for (int day = 0; day < DAYS_SEARCHED; day++, date = date.plusDays(1)) {
            if (!isSendingDay(date, territory)) {
                continue;
            }
            Instant opensAt = firstInstantAtOrAfter(date.atTime(opening), territoryZone);
            if (opensAt.isAfter(instant)) {
                return opensAt;
            }
        }
        throw new IllegalStateException("the sending window never opens in " + territory);
    }

    private boolean isSendingDay(LocalDate date, FrenchTerritory territory) {
        return days.contains(date.getDayOfWeek()) && !holidays.isHoliday(date, territory);
    }

    /**
     * The first instant whose local time is {@code local} or later. When {@code local} falls in a
     * daylight-saving gap it does not exist, and the answer is the end of the gap, not
     * {@code local} shifted by the gap's length as {@link ZonedDateTime#of} would give.
     */
    private static Instant firstInstantAtOrAfter(LocalDateTime local, ZoneId zone) {
        var transition = zone.getRules().getTransition(local);
        if (transition != null && transition.isGap()) {
            return transition.getInstant();
        }
        return ZonedDateTime.ofLocal(local, zone, null).toInstant();
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof SendingWindow that
                && days.equals(that.days)
                && opening.equals(that.opening)
                && closing.equals(that.closing)
                && zone.equals(that.zone)
                && overseasLocalTime == that.overseasLocalTime
                && holidays.equals(that.holidays);
    }

    @Override
    public int hashCode() {
        return Objects.hash(days, opening, closing, zone, overseasLocalTime, holidays);
    }

    @Override
    public String toString() {
        return "SendingWindow[days=" + days + ", " + opening + "-" + closing + ", zone=" + zone
                + ", overseasLocalTime=" + overseasLocalTime + ", " + holidays + "]";
    }
}
