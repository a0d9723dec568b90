package dev.sofy.server.http;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The API's reference over a real server, with no key: the spec byte for byte, and the page that
 * renders it, loaded in a real headless Chromium (Debian's {@code chromium} and
 * {@code chromium-driver}, which {@code .ci/run} installs) that fetches nothing from elsewhere.
 */
final class ReferenceTest {
    /** Where the build's spec is, from the server module. */
    private static final Path SPEC = Path.of("../openapi/sofy.yaml");
    /** Debian's paths; others can name theirs. Given explicitly, so that Selenium downloads no driver. */
    private static final String CHROMEDRIVER = System.getProperty("sofy.chromedriver", "/usr/bin/chromedriver");
    private static final String CHROMIUM = System.getProperty("sofy.chromium", "/usr/bin/chromium");
    private static final Duration RENDER_TIMEOUT = Duration.ofSeconds(60);
    private static TestServer server;
    private final HttpClient client = HttpClient.newHttpClient();

    @BeforeAll
    static void startServer() {
        server = TestServer.start();
    }

    @AfterAll
    static void stopServer() {
        server.close();
    }

    private HttpResponse<byte[]> get(String path) throws Exception {
        return client.send(HttpRequest.newBuilder(server.baseUri().resolve(path)).build(),
                HttpResponse.BodyHandlers.ofByteArray());
    }

    @Test
    void theSpecIsServedByteForByteWithoutAKey() throws Exception {
        HttpResponse<byte[]> response = get("/openapi.yaml");

        assertEquals(200, response.statusCode());
        assertArrayEquals(Files.readAllBytes(SPEC), response.body());
    }

    @Test
    void theSpecIsServedAsYaml() throws Exception {
        assertEquals("application/yaml", get("/openapi.yaml").headers().firstValue("Content-Type").orElse(null));
    }

    @Test
    void theReferencePageIsHtmlServedWithoutAKey() throws Exception {
        HttpResponse<byte[]> response = get("/docs");

        assertEquals(200, response.statusCode());
        assertEquals("text/html", response.headers().firstValue("Content-Type").orElse(null));
    }

    @Test
    void theFilesOfThePageHaveTheMediaTypesOfTheirExtensions() throws Exception {
        assertEquals(List.of("text/javascript", "text/css", "image/png"), List.of(
                get("/docs/swagger-ui-bundle.js").headers().firstValue("Content-Type").orElse(null),
                get("/docs/swagger-ui.css").headers().firstValue("Content-Type").orElse(null),
                get("/docs/favicon-32x32.png").headers().firstValue("Content-Type").orElse(null)));
    }

    @Test
    void theInitializerPointsSwaggerUiAtTheServedSpec() throws Exception {
        String initializer = new String(get("/docs/swagger-initializer.js").body());

        assertTrue(initializer.contains("url: \"/openapi.yaml\""), initializer);
    }

    @Test
    void anUnknownFileOfThePageIsAProblem404() throws Exception {
        HttpResponse<byte[]> response = get("/docs/unknown.js");

        assertEquals(404, response.statusCode());
        assertEquals("application/problem+json", response.headers().firstValue("Content-Type").orElse(null));
    }

    @Test
    void aFileNameThatClimbsOutOfThePagesFilesIsNotFound() throws Exception {
        assertEquals(404, get("/docs/..%2F..%2Fopenapi%2Fsofy.yaml").statusCode());
    }

    @Test
    void aFileOfTheClassPathThatIsNoFileOfThePageIsNotFound() throws Exception {
        assertEquals(404, get("/docs/pom.properties").statusCode());
    }

    @Test
    void theOperationsRenderInAHeadlessBrowser() throws Exception {
        assertFalse(new String(get("/docs").body()).contains("Send an SMS"),
                "the page's HTML already names the operation: this test would not show that it renders");
        WebDriver browser = browser();
        try {
            browser.get(server.baseUri().resolve("/docs").toString());

            new WebDriverWait(browser, RENDER_TIMEOUT).until(page ->
                    page.findElement(By.tagName("body")).getText().contains("Send an SMS"));
            assertFalse(browser.findElements(By.id("operations-sms-createSms")).isEmpty(),
                    "Swagger UI did not render createSms as an operation");
        } finally {
            browser.quit();
        }
    }

    @Test
    void theRenderedPageFetchesNothingButFromTheServer() throws Exception {
        WebDriver browser = browser();
        try {
            browser.get(server.baseUri().resolve("/docs").toString());
            new WebDriverWait(browser, RENDER_TIMEOUT).until(page ->
                    page.findElement(By.tagName("body")).getText().contains("Send an SMS"));

            @SuppressWarnings("unchecked")
            List<String> fetched = (List<String>) ((JavascriptExecutor) browser).executeScript(
                    "return performance.getEntriesByType('resource').map(entry => entry.name);");
            String origin = server.baseUri().resolve("/").toString();
            assertTrue(fetched.contains(origin + "openapi.yaml"), fetched.toString());
            assertEquals(List.of(), fetched.stream().filter(url -> !url.startsWith(origin)).toList());
        } finally {
            browser.quit();
        }
    }

    /** Headless Chromium, driven by the driver at its known path: Selenium Manager has nothing to fetch. */
    private static WebDriver browser() {
        assertTrue(new File(CHROMEDRIVER).canExecute(), CHROMEDRIVER + " is missing: install Debian's chromium"
                + " and chromium-driver (apt-get install -y chromium chromium-driver), as .ci/run does,"
                + " or name another with -Dsofy.chromedriver=... -Dsofy.chromium=...");
        assertTrue(new File(CHROMIUM).canExecute(), CHROMIUM + " is missing: install Debian's chromium"
                + " (apt-get install -y chromium), as .ci/run does, or name another with -Dsofy.chromium=...");
        var options = new ChromeOptions();
        options.setBinary(CHROMIUM);
        options.addArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage",
                // The browser's own calls home: updates, sync, field trials.
                "--disable-background-networking", "--disable-component-update", "--no-first-run");
        var service = new ChromeDriverService.Builder().usingDriverExecutable(new File(CHROMEDRIVER)).build();
        return new ChromeDriver(service, options);
    }
}
