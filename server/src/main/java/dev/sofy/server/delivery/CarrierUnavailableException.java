package dev.sofy.server.delivery;

/** The carrier could not be reached or asked us to slow down: the SMS should be submitted again later. */
public final class CarrierUnavailableException extends RuntimeException {
    public CarrierUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
