-- Rate-limit buckets shared by the nodes on one PostgreSQL: Bucket4j's select-for-update table.
-- One row per key, kind of request and limit (a changed limit is a new row); state is Bucket4j's.
CREATE TABLE rate_limit_bucket (
    id VARCHAR(200) PRIMARY KEY,
    state BYTEA,
    expires_at BIGINT
);
