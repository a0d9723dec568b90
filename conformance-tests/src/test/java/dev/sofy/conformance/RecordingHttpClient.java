package dev.sofy.conformance;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.Authenticator;
import java.net.CookieHandler;
import java.net.ProxySelector;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSession;

/**
 * An {@link HttpClient} that hands each exchange, as bytes, to a recorder before its caller sees
 * the answer: the generated client runs over it, so that what it really sends and receives is
 * checked against the spec. It reads the request body from the request's publisher, sends the same
 * bytes, takes the answer as bytes and feeds them to the caller's {@link HttpResponse.BodyHandler}.
 */
final class RecordingHttpClient extends HttpClient {
    private static final long BODY_TIMEOUT_SECONDS = 30;

    private final HttpClient delegate;
    private final URI baseUri;
    private final Consumer<Exchange> recorder;

    RecordingHttpClient(HttpClient delegate, URI baseUri, Consumer<Exchange> recorder) {
        this.delegate = delegate;
        this.baseUri = baseUri;
        this.recorder = recorder;
    }

    /** A builder of recording clients, for {@code ApiClient.setHttpClientBuilder}. */
    static HttpClient.Builder builder(HttpClient.Builder delegate, URI baseUri, Consumer<Exchange> recorder) {
        return new RecordingBuilder(delegate, baseUri, recorder);
    }

    @Override
    public <T> HttpResponse<T> send(HttpRequest request, HttpResponse.BodyHandler<T> handler)
            throws IOException, InterruptedException {
        Optional<HttpRequest.BodyPublisher> publisher = request.bodyPublisher();
        byte[] requestBody = publisher.map(RecordingHttpClient::bytesOf).orElse(new byte[0]);
        // The publisher has been drained: the same bytes are sent from a fresh one.
        HttpRequest resent = publisher.isEmpty() ? request
                : HttpRequest.newBuilder(request, (name, value) -> true)
                        .method(request.method(), HttpRequest.BodyPublishers.ofByteArray(requestBody))
                        .build();
        HttpResponse<byte[]> response = delegate.send(resent, HttpResponse.BodyHandlers.ofByteArray());
        recorder.accept(new Exchange(request.method(), request.uri(), apiPath(request.uri()),
                request.headers().map(), requestBody, response.statusCode(), response.headers().map(),
                ContentCoding.decoded(response.headers(), response.body())));
        return new RecordedResponse<>(response, feed(handler, response));
    }

    @Override
    public <T> CompletableFuture<HttpResponse<T>> sendAsync(HttpRequest request,
                                                            HttpResponse.BodyHandler<T> handler) {
        return CompletableFuture.supplyAsync(() -> {
            try {
                return send(request, handler);
            } catch (IOException e) {
                throw new CompletionException(e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new CompletionException(e);
            }
        });
    }

    @Override
    public <T> CompletableFuture<HttpResponse<T>> sendAsync(HttpRequest request,
                                                            HttpResponse.BodyHandler<T> handler,
                                                            HttpResponse.PushPromiseHandler<T> pushPromiseHandler) {
        return sendAsync(request, handler);
    }

    /** The request path relative to the base URL, as the spec names paths. */
    private String apiPath(URI uri) {
        String basePath = baseUri.getRawPath() == null ? "" : baseUri.getRawPath();
        String path = uri.getRawPath();
        return path.startsWith(basePath) ? path.substring(basePath.length()) : path;
    }

    private static byte[] bytesOf(HttpRequest.BodyPublisher publisher) {
        var collected = new CompletableFuture<byte[]>();
        publisher.subscribe(new Flow.Subscriber<>() {
            private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();

            @Override
            public void onSubscribe(Flow.Subscription subscription) {
                subscription.request(Long.MAX_VALUE);
            }

            @Override
            public void onNext(ByteBuffer buffer) {
                byte[] chunk = new byte[buffer.remaining()];
                buffer.get(chunk);
                bytes.writeBytes(chunk);
            }

            @Override
            public void onError(Throwable failure) {
                collected.completeExceptionally(failure);
            }

            @Override
            public void onComplete() {
                collected.complete(bytes.toByteArray());
            }
        });
        return await(collected);
    }

    /** Gives the received bytes to the caller's handler, as the real client would have. */
    private static <T> T feed(HttpResponse.BodyHandler<T> handler, HttpResponse<byte[]> response) {
        HttpResponse.BodySubscriber<T> subscriber = handler.apply(new HttpResponse.ResponseInfo() {
            @Override
            public int statusCode() {
                return response.statusCode();
            }

            @Override
            public HttpHeaders headers() {
                return response.headers();
            }

            @Override
            public Version version() {
                return response.version();
            }
        });
        subscriber.onSubscribe(new OneBufferSubscription(subscriber, response.body()));
        return await(subscriber.getBody().toCompletableFuture());
    }

    private static <T> T await(CompletableFuture<T> future) {
        try {
            return future.get(BODY_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            throw new IllegalStateException("a body could not be transferred", e.getCause());
        } catch (TimeoutException e) {
            throw new IllegalStateException("a body was not transferred within " + BODY_TIMEOUT_SECONDS + " s", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    /** Publishes one buffer, then completes; the first request for data gets it. */
    private static final class OneBufferSubscription implements Flow.Subscription {
        private final Flow.Subscriber<? super List<ByteBuffer>> subscriber;
        private final byte[] body;
        private final AtomicBoolean done = new AtomicBoolean();

        OneBufferSubscription(Flow.Subscriber<? super List<ByteBuffer>> subscriber, byte[] body) {
            this.subscriber = subscriber;
            this.body = body;
        }

        @Override
        public void request(long n) {
            if (done.getAndSet(true)) {
                return;
            }
            if (n <= 0) {
                subscriber.onError(new IllegalArgumentException("a subscriber must request at least one item"));
                return;
            }
            if (body.length > 0) {
                subscriber.onNext(List.of(ByteBuffer.wrap(body)));
            }
            subscriber.onComplete();
        }

        @Override
        public void cancel() {
            done.set(true);
        }
    }

    private record RecordedResponse<T>(HttpResponse<byte[]> raw, T body) implements HttpResponse<T> {
        @Override
        public int statusCode() {
            return raw.statusCode();
        }

        @Override
        public HttpRequest request() {
            return raw.request();
        }

        @Override
        public Optional<HttpResponse<T>> previousResponse() {
            return Optional.empty();
        }

        @Override
        public HttpHeaders headers() {
            return raw.headers();
        }

        @Override
        public Optional<SSLSession> sslSession() {
            return raw.sslSession();
        }

        @Override
        public URI uri() {
            return raw.uri();
        }

        @Override
        public Version version() {
            return raw.version();
        }
    }

    private record RecordingBuilder(HttpClient.Builder delegate, URI baseUri, Consumer<Exchange> recorder)
            implements HttpClient.Builder {
        @Override
        public HttpClient.Builder cookieHandler(CookieHandler cookieHandler) {
            delegate.cookieHandler(cookieHandler);
            return this;
        }

        @Override
        public HttpClient.Builder connectTimeout(Duration duration) {
            delegate.connectTimeout(duration);
            return this;
        }

        @Override
        public HttpClient.Builder sslContext(SSLContext sslContext) {
            delegate.sslContext(sslContext);
            return this;
        }

        @Override
        public HttpClient.Builder sslParameters(SSLParameters sslParameters) {
            delegate.sslParameters(sslParameters);
            return this;
        }

        @Override
        public HttpClient.Builder executor(Executor executor) {
            delegate.executor(executor);
            return this;
        }

        @Override
        public HttpClient.Builder followRedirects(Redirect policy) {
            delegate.followRedirects(policy);
            return this;
        }

        @Override
        public HttpClient.Builder version(Version version) {
            delegate.version(version);
            return this;
        }

        @Override
        public HttpClient.Builder priority(int priority) {
            delegate.priority(priority);
            return this;
        }

        @Override
        public HttpClient.Builder proxy(ProxySelector proxySelector) {
            delegate.proxy(proxySelector);
            return this;
        }

        @Override
        public HttpClient.Builder authenticator(Authenticator authenticator) {
            delegate.authenticator(authenticator);
            return this;
        }

        @Override
        public HttpClient build() {
            return new RecordingHttpClient(delegate.build(), baseUri, recorder);
        }
    }

    @Override
    public Optional<CookieHandler> cookieHandler() {
        return delegate.cookieHandler();
    }

    @Override
    public Optional<Duration> connectTimeout() {
        return delegate.connectTimeout();
    }

    @Override
    public Redirect followRedirects() {
        return delegate.followRedirects();
    }

    @Override
    public Optional<ProxySelector> proxy() {
        return delegate.proxy();
    }

    @Override
    public SSLContext sslContext() {
        return delegate.sslContext();
    }

    @Override
    public SSLParameters sslParameters() {
        return delegate.sslParameters();
    }

    @Override
    public Optional<Authenticator> authenticator() {
        return delegate.authenticator();
    }

    @Override
    public Version version() {
        return delegate.version();
    }

    @Override
    public Optional<Executor> executor() {
        return delegate.executor();
    }
}
