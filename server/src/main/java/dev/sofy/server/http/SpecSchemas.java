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
 * The request-body schemas of {@code openapi/sofy.yaml} (bundled in the jar), compiled once at
 * start. The spec is the single source of the structural rules: types, required fields, bounds.
 */
final class SpecSchemas {
    static final String SPEC_RESOURCE = "openapi/sofy.yaml";

    private final Map<String, Schema> schemas;

    SpecSchemas(List<String> schemaNames) {
        var registry = SchemaRegistry.withDefaultDialect(Dialects.getOpenApi30());
        this.schemas = schemaNames.stream().collect(Collectors.toUnmodifiableMap(Function.identity(),
                name -> registry.getSchema(SchemaLocation.of(
                        "classpath:" + SPEC_RESOURCE + "#/components/schemas/" + name))));
    }

    /** Every way {@code document} breaks the named schema, one violation a field. */
    List<Violation> validate(String schemaName, JsonNode document) {
        Schema schema = schemas.get(schemaName);
        if (schema == null) {
            throw new IllegalArgumentException("no schema " + schemaName + " was loaded");
        }
        List<Error> errors = schema.validate(document);
        List<Violation> violations = new ArrayList<>(errors.size());
        for (Error error : errors) {
            violations.add(violation(error));
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
