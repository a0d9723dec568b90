package dev.sofy.server.http;

import org.eclipse.jetty.http.HttpVersion;
import org.eclipse.jetty.io.Connection;
import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.internal.HttpConnection;

/**
 * Jetty's HTTP/1.1 connections, remembering the request line of a request whose target Jetty
 * cannot read (a NUL, a bad {@code %} escape). Jetty answers such a request as if it were
 * {@code GET /badMessage}: without this, its problem would not know the path, and would send a
 * body to a {@code HEAD}. It extends Jetty's connection, which lives in an internal package; the
 * method it overrides is protected API.
 */
final class RequestLines extends HttpConnectionFactory {

    /** A request line Jetty refused to read. */
    record Refused(String method, String target) {
        /** The path of the target, without its query. */
        String path() {
            int query = target.indexOf('?');
            return query < 0 ? target : target.substring(0, query);
        }
    }

    RequestLines(HttpConfiguration configuration) {
        super(configuration);
    }

    @Override
    public Connection newConnection(Connector connector, EndPoint endPoint) {
        var connection = new RememberingConnection(getHttpConfiguration(), connector, endPoint);
        connection.setTransferEncodingChunkMaxLength(getTransferEncodingChunkMaxLength());
        return configure(connection, connector, endPoint);
    }

    /** The request line of {@code request} if Jetty could not read its target, else null. */
    static Refused refused(Request request) {
        return request.getConnectionMetaData().getConnection() instanceof RememberingConnection connection
                ? connection.refused : null;
    }

    private static final class RememberingConnection extends HttpConnection {
        /** Set once: Jetty closes the connection after answering the request it refused. */
        private volatile Refused refused;

        RememberingConnection(HttpConfiguration configuration, Connector connector, EndPoint endPoint) {
            super(configuration, connector, endPoint);
        }

        @Override
        protected HttpStreamOverHTTP1 newHttpStream(String method, String uri, HttpVersion version) {
            try {
                return super.newHttpStream(method, uri, version);
            } catch (RuntimeException e) {
                refused = new Refused(method, uri);
                throw e;
            }
        }
    }
}
