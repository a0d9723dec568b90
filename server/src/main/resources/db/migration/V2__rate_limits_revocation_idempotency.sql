-- Per-key rate limits (NULL: the server's default), revocation, and idempotency keys.

ALTER TABLE api_key ADD COLUMN send_rate INTEGER;
ALTER TABLE api_key ADD COLUMN read_rate INTEGER;
ALTER TABLE api_key ADD COLUMN revoked_at TIMESTAMP WITH TIME ZONE;

CREATE TABLE idempotency_key (
    account_id      BIGINT                   NOT NULL REFERENCES account (id),
    idempotency_key VARCHAR(255)             NOT NULL,
    -- Hex SHA-256 of the request's fields, to tell a retry from a reuse with another body.
    request_sha256  CHAR(64)                 NOT NULL,
    sms_id          CHAR(21)                 NOT NULL REFERENCES sms (id),
    created_at      TIMESTAMP WITH TIME ZONE NOT NULL,
    PRIMARY KEY (account_id, idempotency_key)
);

CREATE INDEX idempotency_key_created ON idempotency_key (created_at);
