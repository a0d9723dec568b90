package dev.sofy.server.delivery.smpp;

import java.time.Instant;
import java.time.ZoneOffset;
import java.util.GregorianCalendar;
import java.util.TimeZone;
import org.jsmpp.util.AbsoluteTimeFormatter;

/** Instants as SMPP 3.4 writes them (section 7.1.1). */
final class SmppTimes {
    private SmppTimes() {}

    /**
     * The {@code validity_period} of a submission: the SMPP absolute time, in UTC, until which the
     * SMSC may try to deliver, or null for its default. A one-time code an hour late is worse than none.
     */
    static String validityPeriod(Instant validUntil) {
        if (validUntil == null) {
            return null;
        }
        var utc = new GregorianCalendar(TimeZone.getTimeZone(ZoneOffset.UTC));
        utc.setTimeInMillis(validUntil.toEpochMilli());
        return new AbsoluteTimeFormatter().format(utc);
    }
}
