package dev.sofy.server.http;

import dev.sofy.server.http.wire.Json;
import java.nio.ByteBuffer;
import java.util.List;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpMethod;
import org.eclipse.jetty.http.HttpURI;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Callback;

/**
 * Jetty answers some requests before Javalin sees them (a malformed request line, a path that
 * cannot be decoded, headers over 8 KiB). This makes those answers problem+json too, whatever the
 * method (Jetty's own page is only for GET, POST and HEAD), and without a body for HEAD.
 */
final class JettyProblems extends ErrorHandler {

    JettyProblems() {
        setCacheControl(null);
    }

    @Override
    public boolean errorPageForMethod(String method) {
        return true;
    }

    @Override
    protected void generateResponse(Request request, Response response, int code, String message,
                                    Throwable cause, Callback callback) {
        RequestLines.Refused refused = RequestLines.refused(request);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, Json.PROBLEM_MEDIA_TYPE);
        String requestId = requestId(request);
        response.getHeaders().put(RequestIds.HEADER, requestId);
        if (HttpMethod.HEAD.is(refused == null ? request.getMethod() : refused.method())) {
            response.write(true, null, callback);
            return;
        }
        String instance = refused != null ? refused.path() : isPlaceholder(request) ? null : request.getHttpURI().getPath();
        response.write(true, ByteBuffer.wrap(Problems.json(code, message, instance, requestId, List.of())), callback);
    }

    /** The client's id when Jetty could read it (a request refused for its path), otherwise a new one. */
    private static String requestId(Request request) {
        String sent = request.getHeaders() == null ? null : request.getHeaders().get(RequestIds.HEADER);
        return RequestIds.valid(sent) ? sent : RequestIds.next();
    }

    /**
     * Whether the request is the one Jetty makes up when it could not read the request line (one
     * too long, garbage) or its target: there is no path to name then.
     */
    private static boolean isPlaceholder(Request request) {
        HttpURI uri = request.getHttpURI();
        String path = uri == null ? null : uri.getPath();
        return path == null || path.isEmpty() || path.equals("/badMessage") || path.equals("/badURI");
    }
}
