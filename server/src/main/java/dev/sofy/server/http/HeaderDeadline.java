package dev.sofy.server.http;

import dev.sofy.server.threads.DaemonThreads;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.http.HttpParser;
import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.server.AbstractConnector;
import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.internal.HttpConnection;
import org.eclipse.jetty.util.NanoTime;
import org.eclipse.jetty.util.component.AbstractLifeCycle;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Closes a connection whose request headers are not complete within a deadline of the request's
 * first byte, however slowly the client trickles them (slowloris). Jetty's idle timeout starts
 * again at every byte, and Jetty has no such deadline of its own: this looks at each connection's
 * parser every so often. It reads Jetty's HTTP/1.1 connection, which lives in an internal package;
 * the parser's state and the time its message began are public.
 */
final class HeaderDeadline extends AbstractLifeCycle {
    private static final Logger LOG = LoggerFactory.getLogger(HeaderDeadline.class);
    private static final Duration LOG_INTERVAL = Duration.ofMinutes(1);

    private final Server server;
    private final Duration deadline;
    private ScheduledExecutorService sweeper;
    /** Only the sweeper's thread reads and writes these. */
    private long closedSinceLog;
    private long loggedAtNanos = NanoTime.now();

    HeaderDeadline(Server server, Duration deadline) {
        this.server = server;
        this.deadline = deadline;
    }

    /** How often connections are looked at: a connection is closed at most this long after its deadline. */
    private Duration sweepInterval() {
        Duration quarter = deadline.dividedBy(4);
        return quarter.compareTo(Duration.ofSeconds(1)) < 0 ? quarter : Duration.ofSeconds(1);
    }

    @Override
    protected void doStart() {
        sweeper = Executors.newSingleThreadScheduledExecutor(DaemonThreads.named("sofy-header-deadline"));
        long interval = sweepInterval().toNanos();
        sweeper.scheduleWithFixedDelay(this::sweep, interval, interval, TimeUnit.NANOSECONDS);
    }

    @Override
    protected void doStop() {
        sweeper.shutdownNow();
    }

    private void sweep() {
        try {
            for (Connector connector : server.getConnectors()) {
                if (connector instanceof AbstractConnector abstractConnector) {
                    for (EndPoint endPoint : abstractConnector.getConnectedEndPoints()) {
                        if (isLate(endPoint)) {
                            endPoint.close();
                            closedSinceLog++;
                        }
                    }
                }
            }
            if (closedSinceLog > 0 && NanoTime.since(loggedAtNanos) >= LOG_INTERVAL.toNanos()) {
                LOG.info("Closed {} connections that had not sent their request headers within {} ms",
                        closedSinceLog, deadline.toMillis());
                closedSinceLog = 0;
                loggedAtNanos = NanoTime.now();
            }
        } catch (RuntimeException e) {
            LOG.warn("Could not look for connections late with their request headers", e);
        }
    }

    private boolean isLate(EndPoint endPoint) {
        if (!(endPoint.getConnection() instanceof HttpConnection connection)) {
            return false;
        }
        HttpParser parser = connection.getParser();
        // The state is volatile and written after the time the message began.
        HttpParser.State state = parser.getState();
        boolean readingHeaders = state.ordinal() > HttpParser.State.START.ordinal()
                && state.ordinal() <= HttpParser.State.HEADER.ordinal();
        return readingHeaders && NanoTime.since(parser.getBeginNanoTime()) > deadline.toNanos();
    }
}
