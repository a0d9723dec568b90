-- PostgreSQL only: H2 indexes the columns of a foreign key by itself, PostgreSQL does not. Without
-- it, removing an endpoint (its events a thousand at a time, then the rest by cascade) reads the
-- whole outbox, delivered events included, at each step.
CREATE INDEX webhook_delivery_endpoint ON webhook_delivery (endpoint_id, id);
