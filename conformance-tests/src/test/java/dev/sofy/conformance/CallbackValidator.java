package dev.sofy.conformance;

import static org.junit.jupiter.api.Assertions.fail;

import com.atlassian.oai.validator.OpenApiInteractionValidator;
import com.atlassian.oai.validator.report.MessageResolver;
import com.atlassian.oai.validator.report.ValidationReport;
import com.atlassian.oai.validator.schema.SchemaValidator;
import com.atlassian.oai.validator.util.OpenApiLoader;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.oas.models.media.MediaType;
import io.swagger.v3.oas.models.parameters.Parameter;
import io.swagger.v3.parser.core.models.ParseOptions;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The {@code event} callback of {@code createWebhook} in {@code openapi/sofy.yaml}, as a validator
 * of what a webhook endpoint receives: its header parameters, its content type and its body, each
 * checked with swagger-request-validator's {@link SchemaValidator} against the callback's own
 * schemas (the body against {@code WebhookEvent}, closed like every answer of the server: a
 * property the spec does not name is a violation).
 */
final class CallbackValidator {
    private static final String OPERATION_PATH = "/v1/webhooks";
    private static final String CALLBACK = "event";

    private final SchemaValidator schemas;
    private final Operation callback;

    private CallbackValidator(SchemaValidator schemas, Operation callback) {
        this.schemas = schemas;
        this.callback = callback;
    }

    static CallbackValidator fromBuild() {
        return fromFile(Path.of(System.getProperty(SpecValidator.SPEC_PROPERTY, "../openapi/sofy.yaml")));
    }

    static CallbackValidator fromFile(Path spec) {
        String text;
        try {
            text = Files.readString(spec, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the spec " + spec.toAbsolutePath(), e);
        }
        var options = new ParseOptions();
        options.setResolve(true);
        OpenAPI api = new OpenApiLoader().loadApi(OpenApiInteractionValidator.SpecSource.inline(text), List.of(), options);
        Operation callback = api.getPaths().get(OPERATION_PATH).getPost().getCallbacks().get(CALLBACK)
                .values().iterator().next().getPost();
        return new CallbackValidator(new SchemaValidator(api, new MessageResolver()), callback);
    }

    /** Every way a request to a webhook endpoint breaks the callback. */
    List<String> violations(Map<String, List<String>> headers, byte[] body) {
        List<String> violations = new ArrayList<>();
        for (Parameter parameter : callback.getParameters()) {
            if (!"header".equals(parameter.getIn())) {
                continue;
            }
            Optional<String> value = header(headers, parameter.getName());
            if (value.isEmpty()) {
                if (Boolean.TRUE.equals(parameter.getRequired())) {
                    violations.add("the header " + parameter.getName() + " is missing");
                }
                continue;
            }
            add(violations, "header " + parameter.getName(),
                    schemas.validate(value.get(), parameter.getSchema(), "validation.request.parameter.header"));
        }
        String contentType = header(headers, "Content-Type").map(type -> type.split(";", 2)[0].strip()
                .toLowerCase(Locale.ROOT)).orElse("");
        MediaType media = callback.getRequestBody().getContent().get(contentType);
        if (media == null) {
            violations.add("the content type '" + contentType + "' is not one of "
                    + callback.getRequestBody().getContent().keySet());
            return violations;
        }
        add(violations, "body", schemas.validate(new String(body, StandardCharsets.UTF_8), media.getSchema(),
                "validation.request.body"));
        return violations;
    }

    /** Fails the test, showing the request, if it breaks the callback. */
    void assertConforms(Map<String, List<String>> headers, byte[] body) {
        List<String> violations = violations(headers, body);
        if (!violations.isEmpty()) {
            fail("The webhook request does not conform to the spec's callback:\n  " + String.join("\n  ", violations)
                    + "\n\n" + headers + "\n" + new String(body, StandardCharsets.UTF_8));
        }
    }

    private static void add(List<String> violations, String where, ValidationReport report) {
        for (ValidationReport.Message message : report.getMessages()) {
            if (message.getLevel() != ValidationReport.Level.IGNORE) {
                violations.add(where + ": " + message.getKey() + ": " + message.getMessage());
            }
        }
    }

    private static Optional<String> header(Map<String, List<String>> headers, String name) {
        return headers.entrySet().stream()
                .filter(header -> header.getKey().equalsIgnoreCase(name) && !header.getValue().isEmpty())
                .map(header -> header.getValue().get(0))
                .findFirst();
    }
}
