package dev.sofy.server.http;

import dev.sofy.server.logging.LogContext;
import io.javalin.http.Context;
import io.javalin.http.Handler;
import java.security.SecureRandom;
import java.util.Base64;
import org.slf4j.MDC;

/**
 * Gives every request an id, before anything else happens to it: the client's own
 * {@code X-Request-Id} when it is 1 to {@value #MAX_LENGTH} visible ASCII characters, otherwise a
 * new one. The answer carries it, problems name it, and so do the log lines about the request.
 */
final class RequestIds implements Handler {
    static final String HEADER = "X-Request-Id";
    static final int MAX_LENGTH = 200;
    private static final String ATTRIBUTE = "sofy.requestId";
    /** 16 random bytes: 22 URL-safe characters, 128 bits, no collision to fear. */
    private static final int RANDOM_BYTES = 16;
    private static final Base64.Encoder ENCODER = Base64.getUrlEncoder().withoutPadding();
    /** One generator a thread: a shared SecureRandom serialises every request on its lock. */
    private static final ThreadLocal<SecureRandom> RANDOM = ThreadLocal.withInitial(SecureRandom::new);

    @Override
    public void handle(Context ctx) {
        String sent = ctx.header(HEADER);
        String id = valid(sent) ? sent : next();
        ctx.attribute(ATTRIBUTE, id);
        ctx.header(HEADER, id);
        // Cleared when the servlet call returns (see HttpApi); later async steps set it again where they log.
        MDC.put(LogContext.REQUEST_ID, id);
    }

    /** The request's id, or null before {@link RequestIds} ran (Jetty's own early rejections). */
    static String of(Context ctx) {
        return ctx.attribute(ATTRIBUTE);
    }

    static boolean valid(String id) {
        if (id == null || id.isEmpty() || id.length() > MAX_LENGTH) {
            return false;
        }
        for (int i = 0; i < id.length(); i++) {
            char c = id.charAt(i);
            if (c < 0x21 || c > 0x7E) {
                return false;
            }
        }
        return true;
    }

    static String next() {
        byte[] bytes = new byte[RANDOM_BYTES];
        RANDOM.get().nextBytes(bytes);
        return ENCODER.encodeToString(bytes);
    }

    /** Runs {@code logging} with the request's id in the MDC, whichever thread completes the request. */
    static void logging(Context ctx, Runnable logging) {
        String id = of(ctx);
        if (id == null) {
            logging.run();
            return;
        }
        try (var ignored = MDC.putCloseable(LogContext.REQUEST_ID, id)) {
            logging.run();
        }
    }
}
