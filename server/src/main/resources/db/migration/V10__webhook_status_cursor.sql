-- Status changes become webhook events when the webhook sender records them, no longer in the
-- transaction of the change: under a saturating load that work then waits with the sending.
-- The cursor is the last status change recorded; those up to now were recorded the old way.
CREATE TABLE webhook_cursor (
    source  VARCHAR(32) PRIMARY KEY,
    last_id BIGINT      NOT NULL
);

INSERT INTO webhook_cursor (source, last_id)
SELECT 'sms_status_change', COALESCE(MAX(id), 0) FROM sms_status_change;
