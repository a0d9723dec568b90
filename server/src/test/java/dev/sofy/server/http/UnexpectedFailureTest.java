package dev.sofy.server.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sofy.server.ApiRequests;
import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.sofy.server.delivery.Dispatcher;
import dev.sofy.server.logging.LogContext;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * A failure nobody planned for is a 500 problem that reveals nothing of the server's insides. The
 * failure is real: the {@code sms} table is dropped behind the running server's back.
 */
final class UnexpectedFailureTest {
    private static final Logger PROBLEMS = (Logger) LoggerFactory.getLogger(Problems.class);
    /** What the server logs of the failure, kept here rather than printed: the failure is on purpose. */
    private static final ListAppender<ILoggingEvent> LOGGED = new ListAppender<>() {
        @Override
        protected void append(ILoggingEvent event) {
            // Logback reads the MDC when a line is written; a kept event must read it now.
            event.prepareForDeferredProcessing();
            super.append(event);
        }
    };
    /** The dispatcher fails to claim from the broken table too, on purpose here. */
    private static final Logger DISPATCHER = (Logger) LoggerFactory.getLogger(Dispatcher.class);
    private static TestServer server;
    private static HttpResponse<String> response;

    @BeforeAll
    static void breakTheDatabaseThenSendAnSms() throws Exception {
        LOGGED.start();
        PROBLEMS.addAppender(LOGGED);
        PROBLEMS.setAdditive(false);
        DISPATCHER.setLevel(Level.ERROR);
        server = TestServer.start();
        server.executeDirectly("DROP TABLE sms CASCADE");
        response = server.send(HttpRequest.newBuilder(ApiRequests.createSms(server.baseUri(), TestServer.KEY,
                        ApiRequests.VALID_SMS_JSON), (name, value) -> true)
                .header("X-Request-Id", "broken-1").build());
    }

    @AfterAll
    static void stopServer() {
        server.close();
        PROBLEMS.detachAppender(LOGGED);
        PROBLEMS.setAdditive(true);
        DISPATCHER.setLevel(null);
    }

    @Test
    void itIsAnswered500WithAProblem() {
        assertEquals(500, response.statusCode());
        assertEquals("application/problem+json", response.headers().firstValue("Content-Type").orElse(""));
    }

    @Test
    void theProblemHasOnlyTheStandardMembers() throws Exception {
        Map<?, ?> problem = new ObjectMapper().readValue(response.body(), Map.class);

        assertEquals(Set.of("type", "title", "status", "detail", "instance", "requestId"), problem.keySet());
    }

    @Test
    void theProblemNamesTheRequestId() throws Exception {
        assertEquals("broken-1", new ObjectMapper().readTree(response.body()).path("requestId").asText());
    }

    @Test
    void theLoggedFailureNamesTheRequestId() {
        assertEquals(List.of("broken-1"), LOGGED.list.stream()
                .map(event -> event.getMDCPropertyMap().get(LogContext.REQUEST_ID)).toList());
    }

    @Test
    void theProblemShowsNoStackTraceNorExceptionName() {
        assertFalse(response.body().matches("(?s).*(Exception|\\bat [a-z]+\\.|\\.java:\\d+|SQL).*"), response.body());
    }
}
