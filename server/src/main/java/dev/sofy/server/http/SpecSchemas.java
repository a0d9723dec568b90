package dev.sofy.server.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.dialect.Dialects;
import dev.sofy.server.validation.Violation;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Schemas of {@code openapi/sofy.yaml} (bundled in the jar), compiled once at start and named by
 * their JSON pointer in the spec, such as {@code /components/schemas/SmsCreateRequest}. The spec
 * is the single source of the structural rules: types, required fields, bounds.
 */
final class SpecSchemas {
    static final String SPEC_RESOURCE = "openapi/sofy.yaml";

    private final Map<String, Schema> schemas;

    SpecSchemas(List<String> pointers) {
        var registry = SchemaRegistry.withDefaultDialect(Dialects.getOpenApi30());
        this.schemas = pointers.stream().collect(Collectors.toUnmodifiableMap(Function.identity(),
                pointer -> registry.getSchema(SchemaLocation.of("classpath:" + SPEC_RESOURCE + "#" + pointer))));
    }

    static String bodySchema(Class<?> model) {
        return "/components/schemas/" + model.getSimpleName();
    }

    static String parameterSchema(String parameter) {
        return "/components/parameters/" + parameter + "/schema";
    }

    /** Every way {@code document} breaks the schema at {@code pointer}, one violation a field. */
    List<Violation> validate(String pointer, JsonNode document) {
        return validate(pointer, document, "");
    }

    /** As {@link #validate(String, JsonNode)}, naming the fields under {@code prefix} (a query parameter's name). */
    List<Violation> validate(String pointer, JsonNode document, String prefix) {
        Schema schema = schemas.get(pointer);
        if (schema == null) {
            throw new IllegalArgumentException("no schema " + pointer + " was loaded");
        }
        List<Error> errors = schema.validate(document);
        List<Violation> violations = new ArrayList<>(errors.size());
        for (Error error : errors) {
            Violation violation = violation(error);
            violations.add(prefix.isEmpty() ? violation : new Violation(prefix, violation.message()));
        }
        return violations;
    }

    private static Violation violation(Error error) {
        if ("required".equals(error.getKeyword())) {
            String parent = field(error.getInstanceLocation().toString());
            return new Violation(parent.equals("$") ? error.getProperty() : parent + "." + error.getProperty(), "is required");
        }
        String pointer = error.getInstanceLocation().toString();
        String message = error.getMessage();
        // The library prefixes its messages with the location, which the field already says.
        String prefix = pointer + ": ";
        return new Violation(field(pointer), message.startsWith(prefix) ? message.substring(prefix.length()) : message);
    }

    /** A JSON pointer as a field name: {@code /to} is {@code to}, the document itself is {@code $}. */
    static String field(String pointer) {
        return pointer.isEmpty() ? "$" : pointer.substring(1).replace('/', '.');
    }
}
