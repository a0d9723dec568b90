-- H2 persists an identity column's counter every CACHE values, in a commit of its own: with the
-- default 32, recording status changes paid a commit every few SMS. H2 hands the values of a
-- block out in order, so ids still grow in the order rows are written, and a crash only skips
-- some. PostgreSQL caches a block per connection, which would break that order, so it keeps 1
-- (its identityCache placeholder; see Database).
ALTER TABLE sms_status_change ALTER COLUMN id SET CACHE ${identityCache};
ALTER TABLE webhook_delivery ALTER COLUMN id SET CACHE ${identityCache};
ALTER TABLE sms_click ALTER COLUMN id SET CACHE ${identityCache};
