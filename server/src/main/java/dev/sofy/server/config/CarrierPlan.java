package dev.sofy.server.config;

import dev.sofy.server.routing.Routes;
import java.util.List;

/** The carriers and routes of a carriers file ({@code SOFY_CARRIERS_FILE}), checked. */
public record CarrierPlan(List<Carrier> carriers, Routes routes) {
    public CarrierPlan {
        carriers = List.copyOf(carriers);
    }

    /**
     * An SMSC to bind to.
     *
     * @param binds transceiver sessions opened to it
     * @param submitRate submit_sm per second, all binds together, on this node
     * @param window unanswered submit_sm per bind
     */
    public record Carrier(String name, String host, int port, String systemId, String password, int binds,
                          int submitRate, int window) {
        /** The password is a secret: never in logs. */
        @Override
        public String toString() {
            return "Carrier[name=" + name + ", host=" + host + ", port=" + port + ", systemId=" + systemId
                    + ", binds=" + binds + ", submitRate=" + submitRate + ", window=" + window + "]";
        }
    }
}
