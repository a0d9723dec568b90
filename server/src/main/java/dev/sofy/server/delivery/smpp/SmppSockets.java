package dev.sofy.server.delivery.smpp;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import org.jsmpp.session.connection.Connection;
import org.jsmpp.session.connection.ConnectionFactory;
import org.jsmpp.session.connection.ServerConnection;
import org.jsmpp.session.connection.ServerConnectionFactory;
import org.jsmpp.session.connection.socket.SocketConnection;

/**
 * jsmpp's sockets with what it leaves out: a connect timeout, a loopback-only listener, and
 * TCP_NODELAY, without which Nagle's algorithm holds back small PDUs while earlier ones await
 * their acknowledgement.
 */
final class SmppSockets {
    private SmppSockets() {}

    static ConnectionFactory client(Duration connectTimeout) {
        return (host, port) -> {
            var socket = new Socket();
            try {
                socket.setTcpNoDelay(true);
                socket.connect(new InetSocketAddress(host, port), Math.toIntExact(connectTimeout.toMillis()));
                return new SocketConnection(socket);
            } catch (IOException | RuntimeException e) {
                socket.close();
                throw e;
            }
        };
    }

    /** Listens on 127.0.0.1 only; remembers the port it got, since port 0 means any free one. */
    static final class Loopback implements ServerConnectionFactory {
        private volatile ServerSocket serverSocket;

        int port() {
            return serverSocket.getLocalPort();
        }

        @Override
        public ServerConnection listen(int port) throws IOException {
            return listen(port, 0, 50);
        }

        @Override
        public ServerConnection listen(int port, int timeout) throws IOException {
            return listen(port, timeout, 50);
        }

        @Override
        public ServerConnection listen(int port, int timeout, int backlog) throws IOException {
            var socket = new ServerSocket();
            try {
                socket.setReuseAddress(true);
                socket.setSoTimeout(timeout);
                socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), backlog);
            } catch (IOException e) {
                socket.close();
                throw e;
            }
            serverSocket = socket;
            return new ServerConnection() {
                @Override
                public Connection accept() throws IOException {
                    Socket accepted = socket.accept();
                    accepted.setTcpNoDelay(true);
                    return new SocketConnection(accepted);
                }

                @Override
                public void setSoTimeout(int timeout) throws IOException {
                    socket.setSoTimeout(timeout);
                }

                @Override
                public int getSoTimeout() throws IOException {
                    return socket.getSoTimeout();
                }

                @Override
                public void close() throws IOException {
                    socket.close();
                }
            };
        }
    }
}
