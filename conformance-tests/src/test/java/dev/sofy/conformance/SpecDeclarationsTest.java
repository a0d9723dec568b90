package dev.sofy.conformance;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import com.atlassian.oai.validator.OpenApiInteractionValidator;
import com.atlassian.oai.validator.util.OpenApiLoader;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.parser.core.models.ParseOptions;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * What the spec declares, beyond what any exchange shows: a {@code HEAD} operation beside every
 * {@code GET}, the webhook callback's absence of security, and who to contact.
 */
final class SpecDeclarationsTest {
    private static final String HEAD_OF = "x-sofy-head-of";
    private static OpenAPI api;

    @BeforeAll
    static void loadSpec() throws IOException {
        String text = Files.readString(Path.of(System.getProperty(SpecValidator.SPEC_PROPERTY, "../openapi/sofy.yaml")),
                StandardCharsets.UTF_8);
        var options = new ParseOptions();
        options.setResolve(true);
        api = new OpenApiLoader().loadApi(OpenApiInteractionValidator.SpecSource.inline(text), List.of(), options);
    }

    @Test
    void everyGetHasAHeadOperationThatNamesIt() {
        assertAll(api.getPaths().entrySet().stream()
                .filter(path -> path.getValue().getGet() != null)
                .map(path -> () -> {
                    Operation head = path.getValue().getHead();
                    assertNotNull(head, path.getKey() + " has no HEAD operation");
                    assertEquals(path.getValue().getGet().getOperationId(), head.getExtensions().get(HEAD_OF),
                            "the HEAD operation of " + path.getKey() + " does not name its GET");
                }));
    }

    @Test
    void everyHeadOperationHasTheParametersOfItsGet() {
        assertAll(api.getPaths().entrySet().stream()
                .filter(path -> path.getValue().getHead() != null)
                .map(path -> () -> assertEquals(names(path.getValue().getGet()), names(path.getValue().getHead()),
                        "the HEAD operation of " + path.getKey() + " reads other parameters than its GET")));
    }

    @Test
    void theWebhookCallbackDeclaresThatItHasNoSecurity() {
        Operation callback = api.getPaths().get("/v1/webhooks").getPost().getCallbacks().get("event")
                .values().iterator().next().getPost();

        assertEquals(List.of(), callback.getSecurity());
    }

    @Test
    void theSpecNamesAContactAndTheLicensesUrl() {
        assertNotNull(api.getInfo().getContact(), "no contact");
        assertNotNull(api.getInfo().getLicense().getUrl(), "no license URL");
    }

    private static List<String> names(Operation operation) {
        return operation.getParameters() == null ? List.of()
                : operation.getParameters().stream().map(parameter -> parameter.getIn() + " " + parameter.getName()).toList();
    }
}
