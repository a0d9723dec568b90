package dev.sofy.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.sofy.client.ApiClient;
import dev.sofy.client.ApiException;
import dev.sofy.client.ApiResponse;
import dev.sofy.client.model.FieldError;
import dev.sofy.client.model.Problem;
import dev.sofy.client.model.Sms;
import dev.sofy.client.model.SmsCreateRequest;
import dev.sofy.client.model.SmsStatus;
import dev.sofy.testing.KeyPair;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The client generated from the spec works against the server, and its failures arrive as
 * {@link ApiException}s carrying the problem. Its exchanges are recorded and checked as bytes.
 */
@ExtendWith(ConformanceExtension.class)
final class GeneratedClientTest {
    private final ServerUnderTest server;

    GeneratedClientTest(ServerUnderTest server) {
        this.server = server;
    }

    private static SmsCreateRequest seedRequest() {
        return new SmsCreateRequest().from("APITEST").to(Seed.RECIPIENT).body("Hello world")
                .shortenUrls(true).isTransactional(false);
    }

    private static Problem problemOf(ApiException failure) throws Exception {
        return ApiClient.createDefaultObjectMapper().readValue(failure.getResponseBody(), Problem.class);
    }

    @Test
    void theGeneratedClientSendsAnSmsAndReadsItBack() throws Exception {
        GeneratedClient client = server.client(server.key());

        ApiResponse<Sms> created = client.sms().createSmsWithHttpInfo(seedRequest(), null);
        Sms read = client.sms().getSms(created.getData().getId());

        assertEquals(201, created.getStatusCode());
        assertEquals(SmsStatus.PENDING, created.getData().getStatus());
        // The dispatcher may have moved it on already: all but its status is as it was created.
        assertEquals(created.getData().getId(), read.getId());
        assertEquals(created.getData().getBody(), read.getBody());
        assertEquals(created.getData().getTo(), read.getTo());
        assertEquals(created.getData().getCreatedAt(), read.getCreatedAt());
        assertEquals(2, client.exchanges().size(), "both exchanges are recorded and checked");
    }

    @Test
    void aBadRequestReachesTheGeneratedClientAsAnApiExceptionWithAProblem() throws Exception {
        GeneratedClient client = server.client(server.key());

        ApiException failure = assertThrows(ApiException.class,
                () -> client.sms().createSms(seedRequest().to("1234"), null));

        assertEquals(400, failure.getCode());
        Problem problem = problemOf(failure);
        assertEquals(400, problem.getStatus());
        assertEquals(List.of("to"), problem.getErrors().stream().map(FieldError::getField).toList());
    }

    @Test
    void anUnauthorizedRequestReachesTheGeneratedClientAsAnApiExceptionWithAProblem() throws Exception {
        GeneratedClient client = server.client(new KeyPair(server.key().id(), server.key().secret() + "x"));

        ApiException failure = assertThrows(ApiException.class, () -> client.sms().createSms(seedRequest(), null));

        assertEquals(401, failure.getCode());
        assertEquals(401, problemOf(failure).getStatus());
    }
}
