package dev.sofy.server.http;

import dev.sofy.server.http.wire.Json;
import java.nio.ByteBuffer;
import java.util.List;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Callback;

/**
 * Jetty answers some requests before Javalin sees them (a malformed request line, bad
 * percent-encoding, headers over 8 KiB). This makes those answers problem+json too.
 */
final class JettyProblems extends ErrorHandler {

    JettyProblems() {
        setCacheControl(null);
    }

    @Override
    protected void generateResponse(Request request, Response response, int code, String message,
                                    Throwable cause, Callback callback) {
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, Json.PROBLEM_MEDIA_TYPE);
        // No instance: Jetty may not have a usable path for a request it rejected.
        response.write(true, ByteBuffer.wrap(Problems.json(code, message, null, List.of())), callback);
    }

    @Override
    public ByteBuffer badMessageError(int status, String reason, HttpFields.Mutable fields) {
        fields.put(HttpHeader.CONTENT_TYPE, Json.PROBLEM_MEDIA_TYPE);
        return ByteBuffer.wrap(Problems.json(status, reason, null, List.of()));
    }
}
