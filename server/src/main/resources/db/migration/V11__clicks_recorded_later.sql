-- A click is committed by the writer after its redirect was answered, and becomes webhook events
-- when the webhook sender records it, as status changes do, from a cursor of its own. Its place
-- among the status changes is the last one committed before it: its events come after that
-- change's and before the next one's. The clicks up to now had their events written with them.
ALTER TABLE sms_click ADD COLUMN after_status_change BIGINT DEFAULT 0 NOT NULL;

INSERT INTO webhook_cursor (source, last_id)
SELECT 'sms_click', COALESCE(MAX(id), 0) FROM sms_click;
