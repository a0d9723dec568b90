package dev.sofy.server.marketing;

import java.time.ZoneId;

/**
 * The territories whose numbers fall under the French rules for marketing SMS: mainland France and
 * the overseas territories inside the French numbering plan, that is those where ARCEP's short
 * codes ({@code 36xxx}) reach and the French consumer code applies.
 *
 * <p>Left out on purpose: Wallis-et-Futuna (+681), New Caledonia (+687) and French Polynesia
 * (+689), which have their own numbering plans, operators and telecom law, so a {@code 36xxx}
 * opt-out code does not work there; and +269, which is the Comoros, not Mayotte (Mayotte's numbers
 * are +262 269 and +262 639).
 */
public enum FrenchTerritory {
    MAINLAND_FRANCE("FR", "Europe/Paris"),
    GUADELOUPE("GP", "America/Guadeloupe"),
    SAINT_BARTHELEMY("BL", "America/St_Barthelemy"),
    SAINT_MARTIN("MF", "America/Marigot"),
    FRENCH_GUIANA("GF", "America/Cayenne"),
    MARTINIQUE("MQ", "America/Martinique"),
    REUNION("RE", "Indian/Reunion"),
    MAYOTTE("YT", "Indian/Mayotte"),
    SAINT_PIERRE_ET_MIQUELON("PM", "America/Miquelon");

    private final String regionCode;
    private final ZoneId zone;

    FrenchTerritory(String regionCode, String zone) {
        this.regionCode = regionCode;
        this.zone = ZoneId.of(zone);
    }

    /** The ISO 3166-1 code libphonenumber uses for the territory. */
    public String regionCode() {
        return regionCode;
    }

    /** The territory's own time zone. */
    public ZoneId zone() {
        return zone;
    }

    public boolean isOverseas() {
        return this != MAINLAND_FRANCE;
    }
}
