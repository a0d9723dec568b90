package dev.sofy.server.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sofy.server.ApiRequests;
import java.net.http.HttpResponse;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A failure nobody planned for is a 500 problem that reveals nothing of the server's insides. The
 * failure is real: the {@code sms} table is dropped behind the running server's back.
 */
final class UnexpectedFailureTest {
    private static TestServer server;
    private static HttpResponse<String> response;

    @BeforeAll
    static void breakTheDatabaseThenSendAnSms() throws Exception {
        server = TestServer.start();
        server.executeDirectly("DROP TABLE sms CASCADE");
        response = server.send(ApiRequests.createSms(server.baseUri(), TestServer.KEY, ApiRequests.VALID_SMS_JSON));
    }

    @AfterAll
    static void stopServer() {
        server.close();
    }

    @Test
    void itIsAnswered500WithAProblem() {
        assertEquals(500, response.statusCode());
        assertEquals("application/problem+json", response.headers().firstValue("Content-Type").orElse(""));
    }

    @Test
    void theProblemHasOnlyTheStandardMembers() throws Exception {
        Map<?, ?> problem = new ObjectMapper().readValue(response.body(), Map.class);

        assertEquals(Set.of("type", "title", "status", "detail", "instance"), problem.keySet());
    }

    @Test
    void theProblemShowsNoStackTraceNorExceptionName() {
        assertFalse(response.body().matches("(?s).*(Exception|\\bat [a-z]+\\.|\\.java:\\d+|SQL).*"), response.body());
    }
}
