package dev.sofy.server.http;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.core.io.JsonEOFException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.sofy.server.http.wire.Json;
import dev.sofy.server.validation.ValidationException;
import dev.sofy.server.validation.Violation;
import io.javalin.http.HttpResponseException;
import io.javalin.http.HttpStatus;
import io.javalin.http.Context;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * What every JSON request body must be before its schema is looked at: sent as
 * {@code application/json} in UTF-8 (415 otherwise), well-formed strict UTF-8 JSON (400, said in
 * our words and where), with text that is valid Unicode.
 */
final class RequestBodies {
    private static final int MAX_QUOTED_LENGTH = 300;
    private static final String CHARSET = "charset";
    private static final String UTF_8 = "utf-8";

    private RequestBodies() {}

    /** Refuses with 415 a body that is not {@code application/json}, or is in another charset than UTF-8. */
    static void requireJson(String contentType) {
        String[] parts = contentType == null ? new String[] {""} : contentType.split(";");
        String mediaType = parts[0].strip().toLowerCase(Locale.ROOT);
        if (!mediaType.equals(Json.MEDIA_TYPE)) {
            throw new HttpResponseException(HttpStatus.UNSUPPORTED_MEDIA_TYPE.getCode(),
                    "The request body must be application/json"
                            + (mediaType.isEmpty() ? "; no Content-Type was given." : ", not " + clip(mediaType) + "."));
        }
        for (int i = 1; i < parts.length; i++) {
            String[] parameter = parts[i].split("=", 2);
            if (!parameter[0].strip().equalsIgnoreCase(CHARSET)) {
                continue;
            }
            String charset = parameter.length < 2 ? "" : unquoted(parameter[1].strip()).toLowerCase(Locale.ROOT);
            if (!charset.equals(UTF_8)) {
                throw new HttpResponseException(HttpStatus.UNSUPPORTED_MEDIA_TYPE.getCode(),
                        "The request body must be application/json in UTF-8, not in " + clip(charset) + ".");
            }
        }
    }

    /**
     * The body, read up to {@code maxBytes}: a larger one is refused with 413 as soon as its
     * length says so, or once that much was read, so that no more than the limit is ever held.
     */
    static byte[] read(Context ctx, long maxBytes) {
        int bound = (int) Math.min(Integer.MAX_VALUE - 8, maxBytes + 1);
        try (InputStream in = ctx.req().getInputStream()) {
            if (ctx.req().getContentLengthLong() > maxBytes) {
                // Read and drop up to the limit before answering: a client still sending when the
                // connection closes can lose the answer to a reset. Beyond that it is cut off.
                in.transferTo(new BoundedSink(bound));
                throw tooLarge(maxBytes);
            }
            byte[] body = in.readNBytes(bound);
            if (body.length > maxBytes) {
                throw tooLarge(maxBytes);
            }
            return body;
        } catch (BoundedSink.Full full) {
            throw tooLarge(maxBytes);
        } catch (IOException e) {
            throw new UncheckedIOException("the request body could not be read", e);
        }
    }

    /** Drops what it is given, and stops the copy once it was given {@code bound} bytes. */
    private static final class BoundedSink extends OutputStream {
        private static final class Full extends RuntimeException {
            Full() {
                super(null, null, false, false);
            }
        }

        private long left;

        BoundedSink(long bound) {
            this.left = bound;
        }

        @Override
        public void write(int b) {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] bytes, int offset, int length) {
            left -= length;
            if (left <= 0) {
                throw new Full();
            }
        }
    }

    private static HttpResponseException tooLarge(long maxBytes) {
        return new HttpResponseException(HttpStatus.CONTENT_TOO_LARGE.getCode(),
                "The request body is larger than " + (maxBytes % (1024 * 1024) == 0
                        ? maxBytes / (1024 * 1024) + " MiB." : maxBytes / 1024 + " KiB."));
    }

    /** The body as a JSON document; a 400 naming {@code $} when it is empty or not JSON in UTF-8. */
    static JsonNode parse(byte[] body) {
        if (startsAsUtf16Or32(body)) {
            throw notJson("it is not UTF-8", null);
        }
        try {
            JsonNode document = Json.MAPPER.readTree(body);
            if (document == null || document.isMissingNode()) {
                throw new ValidationException(new Violation("$", "the request body is empty; a JSON object is expected"));
            }
            return document;
        } catch (JacksonException e) {
            throw notJson(problem(e), e.getLocation());
        } catch (IOException e) {
            throw new ValidationException(new Violation("$", "could not be read as JSON"));
        }
    }

    /**
     * A violation for every text of the document (a value, at any depth) with an unpaired
     * surrogate, such as {@code "\ud800"}: JSON lets an escape spell one, but it is no character,
     * and an SMS cannot encode it. Fields already in {@code refused} are left out.
     */
    static List<Violation> unpairedSurrogates(JsonNode document, Set<String> refused) {
        List<Violation> found = new ArrayList<>(0);
        collectUnpairedSurrogates(document, document, "", refused, found);
        return found;
    }

    private static void collectUnpairedSurrogates(JsonNode document, JsonNode node, String pointer,
                                                  Set<String> refused, List<Violation> found) {
        if (node.isTextual()) {
            int at = unpairedSurrogate(node.textValue());
            String field = SpecSchemas.field(pointer, document);
            if (at >= 0 && !refused.contains(field)) {
                found.add(new Violation(field, String.format(Locale.ROOT,
                        "has an unpaired surrogate (\\u%04x), which is no character", (int) node.textValue().charAt(at))));
            }
        } else if (node.isObject()) {
            for (Iterator<Map.Entry<String, JsonNode>> fields = node.fields(); fields.hasNext(); ) {
                Map.Entry<String, JsonNode> entry = fields.next();
                collectUnpairedSurrogates(document, entry.getValue(), pointer + "/" + entry.getKey(), refused, found);
            }
        } else if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                collectUnpairedSurrogates(document, node.get(i), pointer + "/" + i, refused, found);
            }
        }
    }

    /** The index of the first surrogate that is not half of a pair, or -1. */
    private static int unpairedSurrogate(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                return i;
            }
        }
        return -1;
    }

    /**
     * Jackson reads UTF-16 and UTF-32 too, guessing from the first bytes. Those a JSON text in UTF-8
     * never starts with: a byte order mark of those encodings, or a zero byte.
     */
    private static boolean startsAsUtf16Or32(byte[] body) {
        if (body.length >= 2 && (body[0] == (byte) 0xFE || body[0] == (byte) 0xFF)) {
            return true;
        }
        for (int i = 0; i < Math.min(4, body.length); i++) {
            if (body[i] == 0) {
                return true;
            }
        }
        return false;
    }

    /** What is wrong, in our words: Jackson's messages name its own classes and settings. */
    private static String problem(JacksonException e) {
        String original = String.valueOf(e.getOriginalMessage());
        // Jackson says so with its own exception type, or only in its words within an object.
        if (e instanceof JsonEOFException || original.startsWith("Unexpected end-of-input")) {
            return "it ends before the document is complete";
        }
        if (original.startsWith("Unrecognized token")) {
            return "a word there is not a JSON value (true, false, null, a number or a \"string\")";
        }
        if (original.startsWith("Unexpected character")) {
            return "a character there cannot start or continue a JSON value";
        }
        if (e instanceof StreamConstraintsException) {
            return original.contains("nesting depth")
                    ? "it nests deeper than " + Json.MAPPER.getFactory().streamReadConstraints().getMaxNestingDepth() + " levels"
                    : "a value in it is longer than the server reads";
        }
        if (original.startsWith("Invalid UTF-8")) {
            return "it is not UTF-8";
        }
        if (original.startsWith("Duplicate field") && e.getProcessor() instanceof JsonParser parser) {
            try {
                return "the property \"" + clip(parser.currentName()) + "\" is given twice";
            } catch (IOException | RuntimeException unknown) {
                return "a property is given twice";
            }
        }
        return "it holds something that is not JSON";
    }

    private static ValidationException notJson(String problem, JsonLocation location) {
        String where = location == null || location.getLineNr() < 1 ? ""
                : " (line " + location.getLineNr() + ", column " + location.getColumnNr() + ")";
        return new ValidationException(new Violation("$", "is not valid JSON: " + problem + where));
    }

    private static String unquoted(String value) {
        return value.length() >= 2 && value.startsWith("\"") && value.endsWith("\"") ? value.substring(1, value.length() - 1) : value;
    }

    private static String clip(String text) {
        return text.length() <= MAX_QUOTED_LENGTH ? text : text.substring(0, MAX_QUOTED_LENGTH) + "…";
    }
}
