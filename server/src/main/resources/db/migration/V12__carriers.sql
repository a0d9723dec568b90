-- Several carriers. The SMS names the carrier that took it (NULL while pending, and for SMS
-- sent before this version, when there was one link).
ALTER TABLE sms ADD COLUMN carrier VARCHAR(32);

-- A receipt is matched by its carrier and the carrier's id: two SMSCs may issue the same id.
-- Parts sent before this version have no carrier and match a receipt from any carrier, as then.
ALTER TABLE sms_part ADD COLUMN carrier VARCHAR(32);
-- When the carrier was last asked about a part that has no receipt (query_sm), so that a part
-- still en route is asked again later, not in a loop.
ALTER TABLE sms_part ADD COLUMN queried_at TIMESTAMP WITH TIME ZONE;
DROP INDEX sms_part_carrier_id;
CREATE INDEX sms_part_carrier_id ON sms_part (carrier_message_id, carrier);

ALTER TABLE sms_receipt_unmatched ADD COLUMN carrier VARCHAR(32);
