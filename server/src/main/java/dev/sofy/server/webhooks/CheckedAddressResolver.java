package dev.sofy.server.webhooks;

import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import org.eclipse.jetty.util.Promise;
import org.eclipse.jetty.util.SocketAddressResolver;

/**
 * Resolves the host of a webhook request for Jetty's client and hands it only addresses the guard
 * allowed, so that the client connects to what was checked, never to a second DNS answer. The
 * request keeps its host name for the Host header, TLS server name and certificate check. The
 * lookup blocks, so it runs on {@code executor}, as Jetty's own resolver does; the request's
 * timeout, which runs from when it is queued, bounds a lookup that hangs.
 */
final class CheckedAddressResolver implements SocketAddressResolver {
    private final UrlGuard guard;
    private final Executor executor;

    CheckedAddressResolver(UrlGuard guard, Executor executor) {
        this.guard = guard;
        this.executor = executor;
    }

    @Override
    public void resolve(String host, int port, Map<String, Object> context, Promise<List<InetSocketAddress>> promise) {
        try {
            executor.execute(() -> {
                List<InetSocketAddress> checked;
                try {
                    checked = guard.addressesToCall(host).stream()
                            .map(address -> new InetSocketAddress(address, port))
                            .toList();
                } catch (Exception e) {
                    promise.failed(e);
                    return;
                }
                promise.succeeded(checked);
            });
        } catch (RejectedExecutionException stopping) {
            promise.failed(stopping);
        }
    }
}
