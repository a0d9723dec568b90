package dev.sofy.server.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.Schema;
import dev.sofy.api.model.FieldError;
import dev.sofy.server.http.wire.Json;
import dev.sofy.server.validation.ValidationException;
import dev.sofy.server.validation.Violation;
import io.javalin.http.Context;
import io.javalin.http.NotFoundResponse;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * One request as its operation's route reads it: the parameters and the body the spec declares,
 * in the types of the generated interfaces, checked against their schemas. Every bad field is
 * listed in one 400.
 *
 * <p>Path parameters are not checked against their schemas: a path that names nothing is the
 * operation's to answer, with the {@code 404} of what it looks for.
 *
 * <p>An operation with a body may have rules beyond the schemas (a valid phone number). When the
 * schemas refuse part of the request, those rules still run on the rest, so that the answer lists
 * every bad field; where they refuse a field, theirs is the message given.
 */
final class OperationRequest {
    private static final String UNDECODABLE = "is not valid percent-encoded UTF-8";

    private final Context ctx;
    private final Map<Operation.Parameter, Schema> parameterSchemas;
    private final Schema bodySchema;
    private final long maxBodyBytes;
    /** What the parameters read so far break. */
    private final List<Violation> violations = new ArrayList<>(0);
    /** Fields that could not be read as their type: the rules never see them. */
    private final Set<String> unread = new HashSet<>(0);
    private QueryString query;

    OperationRequest(Context ctx, Map<Operation.Parameter, Schema> parameterSchemas, Schema bodySchema,
                     long maxBodyBytes) {
        this.ctx = ctx;
        this.parameterSchemas = parameterSchemas;
        this.bodySchema = bodySchema;
        this.maxBodyBytes = maxBodyBytes;
    }

    /** A query parameter, given at most once. */
    <T> T query(String name, Class<T> type) {
        if (query == null) {
            query = QueryString.parse(ctx.queryString());
        }
        if (query.isUndecodable(name)) {
            return refused(name, UNDECODABLE);
        }
        List<String> values = query.values(name);
        if (values.size() > 1) {
            return refused(name, "must be given once");
        }
        return values.isEmpty() ? null : checked(new Operation.Parameter("query", name), values.get(0), type);
    }

    /** A header parameter (its first value, if given more than once). */
    <T> T header(String name, Class<T> type) {
        String value = ctx.header(name);
        return value == null ? null : checked(new Operation.Parameter("header", name), value, type);
    }

    /** A path parameter, in its type; a value that cannot have it names nothing (404). */
    <T> T path(String name, Class<T> type) {
        String value = ctx.pathParam(name);
        if (type == String.class) {
            return type.cast(value);
        }
        try {
            return Json.MAPPER.convertValue(JsonNodeFactory.instance.textNode(value), type);
        } catch (IllegalArgumentException e) {
            throw new NotFoundResponse();
        }
    }

    /** Throws a 400 listing every bad parameter read, if any. */
    void check() {
        if (!violations.isEmpty()) {
            throw new ValidationException(violations);
        }
    }

    /**
     * The JSON body as a {@code model}, read once the parameters are. Throws a 400 listing every
     * bad parameter and field, with what {@code rules} say about the fields the schema let through
     * (read with the others null) and about the parameters. A body that is not a JSON object is
     * answered alone, as malformed JSON is.
     */
    <T> T body(Class<T> model, Function<T, List<FieldError>> rules) {
        RequestBodies.requireJson(ctx.header("Content-Type"));
        JsonNode document = RequestBodies.parse(RequestBodies.read(ctx, maxBodyBytes));
        List<Violation> refused = SpecSchemas.validate(bodySchema, document, "");
        Set<String> refusedFields = new HashSet<>();
        refused.forEach(violation -> refusedFields.add(violation.field()));
        refused = new ArrayList<>(refused);
        refused.addAll(RequestBodies.unpairedSurrogates(document, refusedFields));
        if (refused.isEmpty() && violations.isEmpty()) {
            return bound(document, model);
        }
        if (!(document instanceof ObjectNode object)) {
            throw new ValidationException(refused);
        }
        List<Violation> all = new ArrayList<>(refused);
        all.addAll(violations);
        ObjectNode accepted = object.deepCopy();
        for (Violation violation : refused) {
            String field = violation.field();
            if (field.contains("].")) {
                // A field of an item (messages[3].to): the rules still see the item's other fields and the other items.
                nullAt(accepted, field);
                unread.add(field);
            } else {
                String property = field.split("[.\\[]", 2)[0];
                accepted.putNull(property);
                unread.add(property);
            }
        }
        T partial;
        try {
            partial = Json.MAPPER.treeToValue(accepted, model);
        } catch (JsonProcessingException e) {
            throw new ValidationException(all);
        }
        throw new ValidationException(withRules(all, rules.apply(partial)));
    }

    /**
     * Sets the field to null, found by its name ({@code to}, {@code messages[3].to}); a name that
     * leads nowhere in the document changes nothing.
     */
    private static void nullAt(ObjectNode document, String field) {
        JsonNode parent = null;
        Object last = null;
        JsonNode node = document;
        for (String token : field.replace("[", ".[").split("\\.")) {
            if (token.isEmpty()) {
                continue;
            }
            if (node == null) {
                return;
            }
            parent = node;
            if (token.startsWith("[") && token.endsWith("]")) {
                int index = Integer.parseInt(token.substring(1, token.length() - 1));
                last = index;
                node = node.isArray() && index < node.size() ? node.get(index) : null;
            } else {
                last = token;
                node = node.isObject() ? node.get(token) : null;
            }
        }
        if (parent instanceof ObjectNode object && last instanceof String name) {
            object.putNull(name);
        } else if (parent instanceof ArrayNode array && last instanceof Integer index && index < array.size()) {
            array.set(index, NullNode.getInstance());
        }
    }

    /** The violations found, each replaced by what the rules say of its field, then the rules' others. */
    private List<Violation> withRules(List<Violation> found, List<FieldError> ruled) {
        Set<String> ruledFields = new HashSet<>();
        List<Violation> fromRules = new ArrayList<>(ruled.size());
        for (FieldError error : ruled) {
            if (!unread.contains(error.getField())) {
                ruledFields.add(error.getField());
                fromRules.add(new Violation(error.getField(), error.getMessage()));
            }
        }
        List<Violation> all = new ArrayList<>(found.size() + fromRules.size());
        found.stream().filter(violation -> !ruledFields.contains(violation.field())).forEach(all::add);
        all.addAll(fromRules);
        return all;
    }

    /** The value in its type, with what its schema says of it; null when it cannot have the type. */
    private <T> T checked(Operation.Parameter parameter, String text, Class<T> type) {
        Schema schema = parameterSchemas.get(parameter);
        if (schema == null) {
            throw new IllegalStateException("the route does not declare the " + parameter.in() + " parameter " + parameter.name());
        }
        JsonNode value = Number.class.isAssignableFrom(type) ? numberOrText(text) : JsonNodeFactory.instance.textNode(text);
        List<Violation> found = SpecSchemas.validate(schema, value, parameter.name());
        violations.addAll(found);
        try {
            return Json.MAPPER.convertValue(value, type);
        } catch (IllegalArgumentException e) {
            unread.add(parameter.name());
            // The schema cannot say everything a type needs, such as a well-formed date-time.
            return found.isEmpty() ? refused(parameter.name(), "is not a valid " + describe(type)) : null;
        }
    }

    private <T> T refused(String name, String message) {
        violations.add(new Violation(name, message));
        unread.add(name);
        return null;
    }

    private static JsonNode numberOrText(String text) {
        try {
            return JsonNodeFactory.instance.numberNode(Long.parseLong(text));
        } catch (NumberFormatException e) {
            return JsonNodeFactory.instance.textNode(text);
        }
    }

    private static <T> T bound(JsonNode document, Class<T> model) {
        try {
            return Json.MAPPER.treeToValue(document, model);
        } catch (JsonProcessingException e) {
            // The schema passed, so the model must bind: this is a bug, not bad input.
            throw new IllegalStateException("a document valid for " + model.getSimpleName() + " did not bind", e);
        }
    }

    private static String describe(Class<?> type) {
        return type == OffsetDateTime.class ? "RFC 3339 date-time, such as 2026-11-24T08:00:00Z" : "value";
    }
}
