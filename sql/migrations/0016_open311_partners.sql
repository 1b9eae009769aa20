-- Open311 GeoReport v2 (service/open311): partners file requests with an api_key of their own.
-- The key is shown once when made; only its SHA-256 is kept, like the staff's API tokens.
CREATE TABLE open311_partners (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    name        text NOT NULL UNIQUE CHECK (length(btrim(name)) BETWEEN 1 AND 200),
    key_hash    bytea NOT NULL UNIQUE CHECK (length(key_hash) = 32),
    created_at  timestamptz NOT NULL DEFAULT now(),
    revoked_at  timestamptz
);

-- Which partner filed which case: a partner's key sees its own requests in full.
CREATE TABLE open311_submissions (
    case_id     uuid PRIMARY KEY REFERENCES cases (id),
    partner_id  bigint NOT NULL REFERENCES open311_partners (id),
    created_at  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX open311_submissions_partner_idx ON open311_submissions (partner_id);
