package dev.sofy.server.delivery;

import java.util.List;

/** Which carriers may take an SMS. */
@FunctionalInterface
public interface CarrierRouting {

    /** The names of the carriers that may take {@code sms}, in order of preference; never empty. */
    List<String> carriersFor(Claimed sms);
}
