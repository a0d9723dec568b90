package dev.sofy.server.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.sofy.server.validation.ValidationException;
import dev.sofy.server.validation.Violation;
import dev.sofy.server.http.wire.Json;
import io.javalin.http.Context;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads query parameters into the types of the generated interfaces, checked against their
 * schemas in the spec; every bad parameter is listed in one 400. Unknown parameters are ignored.
 */
final class QueryParameters {
    private final SpecSchemas schemas;
    private final Context ctx;
    private final List<Violation> violations = new ArrayList<>();

    QueryParameters(SpecSchemas schemas, Context ctx) {
        this.schemas = schemas;
        this.ctx = ctx;
    }

    /** An integer parameter, described in the spec's {@code components/parameters/<component>}. */
    Integer integer(String name, String component) {
        String raw = single(name);
        if (raw == null) {
            return null;
        }
        JsonNode node;
        try {
            node = JsonNodeFactory.instance.numberNode(Long.parseLong(raw));
        } catch (NumberFormatException e) {
            node = JsonNodeFactory.instance.textNode(raw);
        }
        return checked(name, component, node, Integer.class);
    }

    /** A parameter given as text: a string, an enum or a date-time, bound to {@code type}. */
    <T> T text(String name, String component, Class<T> type) {
        String raw = single(name);
        return raw == null ? null : checked(name, component, JsonNodeFactory.instance.textNode(raw), type);
    }

    /** Throws a 400 listing every bad parameter read so far. */
    void check() {
        if (!violations.isEmpty()) {
            throw new ValidationException(violations);
        }
    }

    private String single(String name) {
        List<String> values = ctx.queryParams(name);
        if (values.size() > 1) {
            violations.add(new Violation(name, "must be given once"));
            return null;
        }
        return values.isEmpty() ? null : values.get(0);
    }

    private <T> T checked(String name, String component, JsonNode value, Class<T> type) {
        List<Violation> found = schemas.validate(SpecSchemas.parameterSchema(component), value, name);
        if (!found.isEmpty()) {
            violations.addAll(found);
            return null;
        }
        try {
            return Json.MAPPER.convertValue(value, type);
        } catch (IllegalArgumentException e) {
            // The schema cannot say everything a type needs, such as a well-formed date-time.
            violations.add(new Violation(name, "is not a valid " + describe(type)));
            return null;
        }
    }

    private static String describe(Class<?> type) {
        return type == java.time.OffsetDateTime.class ? "RFC 3339 date-time, such as 2026-11-24T08:00:00Z" : "value";
    }
}
