package dev.sofy.server.http;

import org.eclipse.jetty.server.NetworkConnectionLimit;
import org.eclipse.jetty.server.Server;

/**
 * At most so many connections at once; one more is closed as soon as it is accepted. Jetty's
 * limit stops accepting instead, which leaves new connections waiting in the kernel's accept
 * queue with no answer; a client refused at once can go to another node or retry later. Jetty
 * logs when the cap is reached and when it clears.
 */
final class ConnectionCap extends NetworkConnectionLimit {

    ConnectionCap(int maxConnections, Server server) {
        super(maxConnections, server);
    }

    @Override
    protected void limit() {
        // Keep accepting: NetworkConnectionLimit closes each connection over the cap.
    }

    @Override
    protected void unlimit() {
        // Never stopped accepting.
    }
}
