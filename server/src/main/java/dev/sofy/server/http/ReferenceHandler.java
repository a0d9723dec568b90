package dev.sofy.server.http;

import dev.sofy.api.ReferenceApi;
import io.javalin.http.Context;
import io.javalin.http.NotFoundResponse;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.regex.Pattern;

/**
 * The API's reference, public: the spec the server was built from, and a Swagger UI page that
 * renders it, with every file of the page served from the class path (no CDN: it works offline).
 * Our own files ({@code reference/}) come first: the page and the script that points Swagger UI
 * at {@code /openapi.yaml}; the rest are the swagger-ui webjar's.
 */
final class ReferenceHandler implements ReferenceApi<Context> {
    private static final String OWN_FILES = "reference/";
    private static final String WEBJAR_PROPERTIES = "META-INF/maven/org.webjars/swagger-ui/pom.properties";
    /** The spec's pattern for an asset: one file name, so never a path out of the two directories. */
    private static final Pattern ASSET = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,99}");
    /** By extension, the media types the spec declares for an asset. */
    private static final Map<String, String> MEDIA_TYPES = Map.of(
            "js", "text/javascript",
            "css", "text/css",
            "html", "text/html",
            "txt", "text/plain",
            "png", "image/png");

    private final byte[] spec = resource(SpecSchemas.SPEC_RESOURCE);
    private final byte[] page = resource(OWN_FILES + "index.html");
    private final String webjarFiles = "META-INF/resources/webjars/swagger-ui/" + webjarVersion() + "/";

    @Override
    public CompletionStage<byte[]> getSpec(Context ctx) {
        return CompletableFuture.completedFuture(spec);
    }

    @Override
    public CompletionStage<byte[]> getDocs(Context ctx) {
        return CompletableFuture.completedFuture(page);
    }

    @Override
    public CompletionStage<byte[]> getDocsAsset(Context ctx, String asset) {
        String mediaType = ASSET.matcher(asset).matches() ? MEDIA_TYPES.get(extension(asset)) : null;
        byte[] file = mediaType == null ? null : read(OWN_FILES + asset);
        if (file == null && mediaType != null) {
            file = read(webjarFiles + asset);
        }
        if (file == null) {
            throw new NotFoundResponse("The reference page has no file " + asset + ".");
        }
        ctx.contentType(mediaType);
        return CompletableFuture.completedFuture(file);
    }

    private static String extension(String name) {
        return name.substring(name.lastIndexOf('.') + 1);
    }

    private static String webjarVersion() {
        var properties = new Properties();
        try (InputStream in = ReferenceHandler.class.getClassLoader().getResourceAsStream(WEBJAR_PROPERTIES)) {
            if (in == null) {
                throw new IllegalStateException(WEBJAR_PROPERTIES + " is not on the class path");
            }
            properties.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + WEBJAR_PROPERTIES, e);
        }
        return properties.getProperty("version");
    }

    private static byte[] resource(String name) {
        byte[] bytes = read(name);
        if (bytes == null) {
            throw new IllegalStateException(name + " is not on the class path");
        }
        return bytes;
    }

    /** A class path file, read when asked: the page's scripts are megabytes, and rarely fetched. */
    private static byte[] read(String name) {
        try (InputStream in = ReferenceHandler.class.getClassLoader().getResourceAsStream(name)) {
            return in == null ? null : in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + name, e);
        }
    }
}
