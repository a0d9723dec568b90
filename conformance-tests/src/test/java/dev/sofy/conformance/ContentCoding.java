package dev.sofy.conformance;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpHeaders;
import java.util.zip.GZIPInputStream;

/** Undoes a response's {@code Content-Encoding}, so that what is validated is the document itself. */
final class ContentCoding {
    private ContentCoding() {}

    static byte[] decoded(HttpHeaders headers, byte[] body) {
        String coding = headers.firstValue("Content-Encoding").orElse("identity").strip();
        if (coding.equalsIgnoreCase("identity")) {
            return body;
        }
        if (coding.equalsIgnoreCase("gzip")) {
            try (var gzip = new GZIPInputStream(new ByteArrayInputStream(body))) {
                return gzip.readAllBytes();
            } catch (IOException e) {
                throw new UncheckedIOException("the gzip response body is corrupt", e);
            }
        }
        throw new IllegalStateException("the suite cannot decode the Content-Encoding " + coding);
    }
}
