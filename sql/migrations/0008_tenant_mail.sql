-- E-mail to tenants: tracking links made again at send time, and "lost your link?".
--
-- A tracking token is HMAC(SECRET_KEY, case id + tracking_salt); the database holds only the
-- salt (useless without the key) and the token's SHA-256 hash. Cases made before this
-- migration have no salt: their token was random, or derived from an idempotency key the
-- database never held. Their e-mails carry no link until the tenant asks for their links
-- ("lost your link?"), which gives such a case a salt and a new token: the old link then
-- stops working.
ALTER TABLE cases
    ADD COLUMN tracking_salt bytea CHECK (length(tracking_salt) BETWEEN 4 AND 64);

-- The sample cases' tokens were derived with the salt 'demo' (service/demo/seed.py).
UPDATE cases SET tracking_salt = 'demo'::bytea WHERE synthetic;

-- "Lost your link?" looks a tenant's reports up by their e-mail address, in any case.
CREATE INDEX reporters_email_idx ON reporters (lower(email)) WHERE email IS NOT NULL;
