package dev.sofy.testing;

import java.util.List;
import java.util.Optional;

/** An API key as a client holds it: the id and the secret sent in the two key headers. */
public record KeyPair(String id, String secret) {
    public static final String ID_HEADER = "X-API-KEY-ID";
    public static final String SECRET_HEADER = "X-API-KEY-SECRET";

    /** The key printed as its two header lines, {@code X-API-KEY-ID: ...} then {@code X-API-KEY-SECRET: ...}. */
    public static Optional<KeyPair> printedIn(List<String> lines) {
        String idLine = ID_HEADER + ": ";
        String secretLine = SECRET_HEADER + ": ";
        for (int i = 0; i + 1 < lines.size(); i++) {
            if (lines.get(i).startsWith(idLine) && lines.get(i + 1).startsWith(secretLine)) {
                return Optional.of(new KeyPair(lines.get(i).substring(idLine.length()),
                        lines.get(i + 1).substring(secretLine.length())));
            }
        }
        return Optional.empty();
    }

    /** Without the secret: test reports and logs show keys. */
    @Override
    public String toString() {
        return "KeyPair[id=" + id + "]";
    }
}
