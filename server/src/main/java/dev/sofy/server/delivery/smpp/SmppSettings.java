package dev.sofy.server.delivery.smpp;

import java.time.Duration;
import java.util.Objects;

/**
 * How {@link SmppConnector} reaches its SMSC and paces itself.
 *
 * @param submitRate submit_sm PDUs per second at most (each part of a long SMS is one), all binds together
 * @param window submit_sm PDUs awaiting their response at most, on each bind
 * @param enquireLinkInterval idle time after which an enquire_link checks the link
 * @param responseTimeout how long to wait for any response before giving up on the request
 * @param reconnectBackoffMin the first wait before rebinding after the link dropped; it doubles
 *     after each failed attempt up to {@code reconnectBackoffMax}
 * @param name the carrier's name, as routes, logs, metrics and the SMS resource give it
 * @param binds transceiver sessions to open to the SMSC; they share {@code submitRate}, and each
 *     has its own {@code window}
 */
public record SmppSettings(
        String host,
        int port,
        String systemId,
        String password,
        int submitRate,
        int window,
        Duration enquireLinkInterval,
        Duration responseTimeout,
        Duration reconnectBackoffMin,
        Duration reconnectBackoffMax,
        String name,
        int binds) {

    /** The name of the one carrier configured by the {@code SOFY_SMPP_*} variables or the built-in simulator. */
    public static final String DEFAULT_NAME = "default";

    public SmppSettings {
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(systemId, "systemId");
        Objects.requireNonNull(password, "password");
        Objects.requireNonNull(name, "name");
        if (binds < 1) {
            throw new IllegalArgumentException("a carrier has at least one bind");
        }
        if (submitRate < 1 || window < 1) {
            throw new IllegalArgumentException("the submit rate and the window are at least 1");
        }
        if (reconnectBackoffMin.isNegative() || reconnectBackoffMax.compareTo(reconnectBackoffMin) < 0) {
            throw new IllegalArgumentException("the reconnect backoff goes from a positive minimum up to its maximum");
        }
    }

    /**
     * Settings with the usual timers: enquire_link after 30 s idle, 5 s for a response, rebinds
     * after 0.25 s to 30 s. A submit that gets no answer in 5 s goes to the next carrier of its
     * route, so that failover takes less than 10 s even when an SMSC stalls.
     */
    public static SmppSettings of(String host, int port, String systemId, String password, int submitRate, int window) {
        return new SmppSettings(host, port, systemId, password, submitRate, window,
                Duration.ofSeconds(30), Duration.ofSeconds(5), Duration.ofMillis(250), Duration.ofSeconds(30),
                DEFAULT_NAME, 1);
    }

    public SmppSettings withSubmitRate(int perSecond) {
        return new SmppSettings(host, port, systemId, password, perSecond, window,
                enquireLinkInterval, responseTimeout, reconnectBackoffMin, reconnectBackoffMax, name, binds);
    }

    public SmppSettings withWindow(int outstanding) {
        return new SmppSettings(host, port, systemId, password, submitRate, outstanding,
                enquireLinkInterval, responseTimeout, reconnectBackoffMin, reconnectBackoffMax, name, binds);
    }

    public SmppSettings withEnquireLinkInterval(Duration interval) {
        return new SmppSettings(host, port, systemId, password, submitRate, window,
                interval, responseTimeout, reconnectBackoffMin, reconnectBackoffMax, name, binds);
    }

    public SmppSettings withResponseTimeout(Duration timeout) {
        return new SmppSettings(host, port, systemId, password, submitRate, window,
                enquireLinkInterval, timeout, reconnectBackoffMin, reconnectBackoffMax, name, binds);
    }

    public SmppSettings withReconnectBackoff(Duration min, Duration max) {
        return new SmppSettings(host, port, systemId, password, submitRate, window,
                enquireLinkInterval, responseTimeout, min, max, name, binds);
    }

    public SmppSettings withName(String carrierName) {
        return new SmppSettings(host, port, systemId, password, submitRate, window,
                enquireLinkInterval, responseTimeout, reconnectBackoffMin, reconnectBackoffMax, carrierName, binds);
    }

    public SmppSettings withBinds(int sessions) {
        return new SmppSettings(host, port, systemId, password, submitRate, window,
                enquireLinkInterval, responseTimeout, reconnectBackoffMin, reconnectBackoffMax, name, sessions);
    }
}
