package dev.sofy.conformance;

/** An API key as a client holds it: the id and the secret sent in the two key headers. */
record KeyPair(String id, String secret) {
    static final String ID_HEADER = "X-API-KEY-ID";
    static final String SECRET_HEADER = "X-API-KEY-SECRET";

    @Override
    public String toString() {
        return "KeyPair[id=" + id + "]";
    }
}
