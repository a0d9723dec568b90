package dev.sofy.server.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.dialect.Dialect;
import com.networknt.schema.dialect.Dialects;
import com.networknt.schema.keyword.NonValidationKeyword;
import dev.sofy.server.http.wire.Json;
import dev.sofy.server.validation.Violation;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The schemas of {@code openapi/sofy.yaml} (bundled in the jar) that the routes check requests
 * against, found from the operation that declares them, such as the schema of the query parameter
 * {@code limit} of {@code GET /v1/sms}. The spec is the single source of the structural rules:
 * types, required fields, bounds.
 *
 * <p>A {@code pattern} is not checked here: every pattern of a request restates a rule of the
 * operation itself (a phone number, a sender, a cursor, a URL), which checks it with a message that
 * says what is wrong with the value; a pattern can only say that it does not match.
 */
final class SpecSchemas {
    static final String SPEC_RESOURCE = "openapi/sofy.yaml";
    /** The extension of a request body that raises its operation's limit above the server's. */
    private static final String MAX_BODY_BYTES = "x-sofy-max-body-bytes";
    /** OpenAPI 3.0's dialect, with {@code pattern} read but never evaluated (see above). */
    private static final Dialect DIALECT = Dialect.builder(Dialects.getOpenApi30())
            .keyword(new NonValidationKeyword("pattern"))
            .build();

    private final JsonNode spec;
    private final SchemaRegistry registry = SchemaRegistry.withDefaultDialect(DIALECT);

    SpecSchemas() {
        try (InputStream in = SpecSchemas.class.getClassLoader().getResourceAsStream(SPEC_RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(SPEC_RESOURCE + " is not on the class path");
            }
            this.spec = new ObjectMapper(new YAMLFactory()).readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + SPEC_RESOURCE, e);
        }
    }

    /** The schema of a parameter ({@code in} is {@code query}, {@code header} or {@code path}) of an operation. */
    Schema parameter(String method, String path, String in, String name) {
        String item = "/paths/" + escape(path);
        for (String declaring : List.of(item + "/" + method.toLowerCase(Locale.ROOT), item)) {
            JsonNode parameters = spec.at(declaring + "/parameters");
            for (int i = 0; i < parameters.size(); i++) {
                String pointer = resolved(declaring + "/parameters/" + i);
                JsonNode parameter = spec.at(pointer);
                if (in.equals(parameter.path("in").asText()) && name.equals(parameter.path("name").asText())) {
                    return compiled(resolved(pointer + "/schema"));
                }
            }
        }
        throw new IllegalArgumentException(method + " " + path + " declares no " + in + " parameter " + name);
    }

    /** The schema of an operation's JSON request body. */
    Schema body(String method, String path) {
        String body = resolved("/paths/" + escape(path) + "/" + method.toLowerCase(Locale.ROOT) + "/requestBody");
        String schema = body + "/content/" + escape(Json.MEDIA_TYPE) + "/schema";
        if (spec.at(schema).isMissingNode()) {
            throw new IllegalArgumentException(method + " " + path + " declares no " + Json.MEDIA_TYPE + " body");
        }
        return compiled(resolved(schema));
    }

    /**
     * The most bytes an operation's request body may have: its {@code x-sofy-max-body-bytes}, or
     * {@code otherwise}.
     */
    long maxBodyBytes(String method, String path, long otherwise) {
        JsonNode declared = spec.at(resolved("/paths/" + escape(path) + "/" + method.toLowerCase(Locale.ROOT)
                + "/requestBody") + "/" + MAX_BODY_BYTES);
        return declared.canConvertToLong() ? declared.asLong() : otherwise;
    }

    /** The most bytes any operation's request body may have, {@code otherwise} when none says more. */
    long largestBodyBytes(long otherwise) {
        long largest = otherwise;
        for (JsonNode item : spec.path("paths")) {
            for (JsonNode operation : item) {
                JsonNode declared = operation.path("requestBody").path(MAX_BODY_BYTES);
                if (declared.canConvertToLong()) {
                    largest = Math.max(largest, declared.asLong());
                }
            }
        }
        return largest;
    }

    /**
     * Every way {@code document} breaks the schema, one violation a field, named under
     * {@code prefix} when there is one (a parameter's name) or by the field's path in the document.
     */
    static List<Violation> validate(Schema schema, JsonNode document, String prefix) {
        List<Error> errors = schema.validate(document);
        List<Violation> violations = new ArrayList<>(errors.size());
        for (Error error : errors) {
            Violation violation = violation(error, document);
            violations.add(prefix.isEmpty() ? violation : new Violation(prefix, violation.message()));
        }
        return violations;
    }

    private Schema compiled(String pointer) {
        return registry.getSchema(SchemaLocation.of("classpath:" + SPEC_RESOURCE + "#" + pointer));
    }

    /** The pointer, with every {@code $ref} it leads to followed (the spec's refs are all local). */
    private String resolved(String pointer) {
        String current = pointer;
        for (JsonNode ref = spec.at(current).path("$ref"); ref.isTextual(); ref = spec.at(current).path("$ref")) {
            if (!ref.asText().startsWith("#")) {
                throw new IllegalStateException("the spec refers outside itself: " + ref.asText());
            }
            current = ref.asText().substring(1);
        }
        return current;
    }

    /** A key as a token of a JSON pointer. */
    private static String escape(String key) {
        return key.replace("~", "~0").replace("/", "~1");
    }

    private static Violation violation(Error error, JsonNode document) {
        if ("required".equals(error.getKeyword())) {
            String parent = field(error.getInstanceLocation().toString(), document);
            return new Violation(parent.equals("$") ? error.getProperty() : parent + "." + error.getProperty(), "is required");
        }
        String pointer = error.getInstanceLocation().toString();
        String message = error.getMessage();
        // The library prefixes its messages with the location, which the field already says.
        String prefix = pointer + ": ";
        return new Violation(field(pointer, document), message.startsWith(prefix) ? message.substring(prefix.length()) : message);
    }

    /**
     * A JSON pointer into the document as a field name: {@code /to} is {@code to},
     * {@code /messages/3/to} is {@code messages[3].to}, the document itself is {@code $}.
     */
    static String field(String pointer, JsonNode document) {
        if (pointer.isEmpty()) {
            return "$";
        }
        var field = new StringBuilder();
        JsonNode node = document;
        for (String token : pointer.substring(1).split("/", -1)) {
            if (node != null && node.isArray()) {
                field.append('[').append(token).append(']');
                node = node.path(token.isEmpty() ? -1 : index(token));
            } else {
                field.append(field.length() == 0 ? "" : ".").append(token);
                node = node == null ? null : node.get(token);
            }
        }
        return field.toString();
    }

    private static int index(String token) {
        try {
            return Integer.parseInt(token);
        } catch (NumberFormatException e) {
            return -1;
        }
    }
}
