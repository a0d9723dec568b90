package dev.sofy.server.http;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.sofy.server.validation.ValidationException;
import dev.sofy.server.validation.Violation;
import dev.sofy.server.http.wire.Json;
import io.javalin.http.Context;
import io.javalin.http.HttpResponseException;
import io.javalin.http.HttpStatus;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Function;
import java.util.Locale;

/**
 * Reads a JSON request body into a generated model: a JSON content type (415), at most the
 * configured size (413), well-formed strict UTF-8 JSON, and valid against the spec's schema of
 * the same name (400, every bad field listed).
 */
final class RequestBodies {
    private static final int MAX_MESSAGE_LENGTH = 300;

    private final SpecSchemas schemas;

    RequestBodies(SpecSchemas schemas) {
        this.schemas = schemas;
    }

    /**
     * The body as a {@code type}. When the schema refuses it, the domain's {@code rules} still run
     * on the fields the schema accepted, so that one answer lists every bad field.
     */
    <T> T read(Context ctx, Class<T> type, Function<T, List<Violation>> rules) {
        requireJson(ctx.header("Content-Type"));
        JsonNode document = parse(ctx.bodyAsBytes());
        List<Violation> violations = schemas.validate(SpecSchemas.bodySchema(type), document);
        if (violations.isEmpty()) {
            try {
                return Json.MAPPER.treeToValue(document, type);
            } catch (JsonProcessingException e) {
                // The schema passed, so the model must bind: this is a bug, not bad input.
                throw new IllegalStateException("a document valid for " + type.getSimpleName() + " did not bind", e);
            }
        }
        throw new ValidationException(withRules(document, type, violations, rules));
    }

    private static <T> List<Violation> withRules(JsonNode document, Class<T> type, List<Violation> violations,
                                                 Function<T, List<Violation>> rules) {
        if (!(document instanceof ObjectNode object)) {
            return violations;
        }
        Set<String> refused = new HashSet<>();
        ObjectNode accepted = object.deepCopy();
        for (Violation violation : violations) {
            refused.add(violation.field());
            accepted.putNull(violation.field());
        }
        T partial;
        try {
            partial = Json.MAPPER.treeToValue(accepted, type);
        } catch (JsonProcessingException e) {
            return violations;
        }
        List<Violation> all = new ArrayList<>(violations);
        rules.apply(partial).stream().filter(violation -> !refused.contains(violation.field())).forEach(all::add);
        return all;
    }

    private static void requireJson(String contentType) {
        String mediaType = contentType == null ? "" : contentType.split(";", 2)[0].strip().toLowerCase(Locale.ROOT);
        if (!mediaType.equals(Json.MEDIA_TYPE) && !(mediaType.startsWith("application/") && mediaType.endsWith("+json"))) {
            throw new HttpResponseException(HttpStatus.UNSUPPORTED_MEDIA_TYPE.getCode(),
                    "The request body must be application/json"
                            + (mediaType.isEmpty() ? "; no Content-Type was given." : ", not " + clip(mediaType) + "."));
        }
    }

    private static JsonNode parse(byte[] body) {
        try {
            JsonNode document = Json.MAPPER.readTree(body);
            if (document == null || document.isMissingNode()) {
                throw new ValidationException(new Violation("$", "the request body is empty; a JSON object is expected"));
            }
            return document;
        } catch (JacksonException e) {
            String where = e.getLocation() == null ? ""
                    : " (line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr() + ")";
            throw new ValidationException(new Violation("$", "is not valid JSON: " + clip(e.getOriginalMessage()) + where));
        } catch (IOException e) {
            throw new ValidationException(new Violation("$", "could not be read as JSON"));
        }
    }

    private static String clip(String text) {
        return text.length() <= MAX_MESSAGE_LENGTH ? text : text.substring(0, MAX_MESSAGE_LENGTH) + "…";
    }
}
