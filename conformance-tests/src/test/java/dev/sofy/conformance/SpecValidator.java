package dev.sofy.conformance;

import static org.junit.jupiter.api.Assertions.fail;

import com.atlassian.oai.validator.OpenApiInteractionValidator;
import com.atlassian.oai.validator.report.LevelResolver;
import com.atlassian.oai.validator.report.ValidationReport;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** {@code openapi/sofy.yaml} as a validator of exchanges, built once. */
final class SpecValidator {
    /** Set by the build (surefire) to the spec of this checkout. */
    static final String SPEC_PROPERTY = "sofy.spec";
    /** Likewise, for the management listener's spec. */
    static final String MANAGEMENT_SPEC_PROPERTY = "sofy.management.spec";

    private final OpenApiInteractionValidator validator;

    private SpecValidator(OpenApiInteractionValidator validator) {
        this.validator = validator;
    }

    static SpecValidator fromBuild() {
        String spec = System.getProperty(SPEC_PROPERTY, "../openapi/sofy.yaml");
        return fromFile(Path.of(spec));
    }

    /** {@code openapi/management.yaml}: metrics and health. */
    static SpecValidator fromManagementBuild() {
        return fromFile(Path.of(System.getProperty(MANAGEMENT_SPEC_PROPERTY, "../openapi/management.yaml")));
    }

    static SpecValidator fromFile(Path spec) {
        try {
            // Loaded as a string: the validator can fail to resolve $refs of a spec it reads by URL.
            String text = Files.readString(spec, StandardCharsets.UTF_8);
            return new SpecValidator(OpenApiInteractionValidator.createForInlineApiSpecification(text)
                    .withLevelResolver(LevelResolver.create()
                            // The validator treats every object as closed unless told otherwise. The spec
                            // says unknown request properties are ignored, so requests may have them;
                            // answers stay closed: a server must not send what the spec does not name.
                            .withLevel("validation.request.body.schema.additionalProperties",
                                    ValidationReport.Level.IGNORE)
                            .build())
                    .build());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the spec " + spec.toAbsolutePath()
                    + "; set -D" + SPEC_PROPERTY + " to openapi/sofy.yaml", e);
        }
    }

    /** Every validation message about the exchange, at any level but IGNORE. */
    List<ValidationReport.Message> violations(Exchange exchange, SpecCheck check) {
        return check.apply(validator, exchange).getMessages().stream()
                .filter(message -> message.getLevel() != ValidationReport.Level.IGNORE)
                .toList();
    }

    /** Fails the test, printing the report and the exchange, if the exchange breaks the spec. */
    void assertConforms(Exchange exchange, SpecCheck check) {
        List<ValidationReport.Message> violations = violations(exchange, check);
        if (!violations.isEmpty()) {
            var report = new StringBuilder("The exchange does not conform to the spec:\n");
            for (ValidationReport.Message violation : violations) {
                report.append("  ").append(violation.getKey()).append(": ").append(violation.getMessage()).append('\n');
                violation.getAdditionalInfo().forEach(info -> report.append("    ").append(info).append('\n'));
            }
            fail(report.append('\n').append(exchange.describe()).toString());
        }
    }
}
