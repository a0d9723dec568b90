package dev.sofy.server.account;

/** A key pair as its owner sees it, once, when it is created. The server keeps only a digest of the secret. */
public record ApiKey(String id, String secret, String accountName) {
    @Override
    public String toString() {
        return "ApiKey[id=" + id + ", account=" + accountName + "]";
    }
}
