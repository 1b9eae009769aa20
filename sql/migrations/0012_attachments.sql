-- Photos and documents of a case (service/attachments). The bytes live in an object store
-- (a folder or S3: ATTACHMENTS_URL) under keys made from the random id; this row says whose
-- they are. The objects are written first and the row after, in the change's transaction.
CREATE TABLE attachments (
    id                 uuid PRIMARY KEY,
    case_id            uuid NOT NULL REFERENCES cases (id),
    kind               text NOT NULL CHECK (kind IN ('photo', 'document')),
    -- What the service serves: photos are re-encoded as JPEG, documents are PDF as sent.
    content_type       text NOT NULL CHECK (content_type IN ('image/jpeg', 'application/pdf')),
    byte_size          integer NOT NULL CHECK (byte_size > 0),
    width              integer CHECK (width > 0),
    height             integer CHECK (height > 0),
    -- A document's name as the uploader gave it, shown to people; objects never carry it.
    title              text CHECK (length(title) BETWEEN 1 AND 200),
    added_at           timestamptz NOT NULL,
    -- The staff member who added it; NULL: the tenant.
    added_by           bigint REFERENCES users (id),
    -- The tenant always sees their own photos; staff attachments only when marked so.
    visible_to_tenant  boolean NOT NULL,
    -- An inspector's photo of one damage item of a finding.
    finding_id         bigint,
    damage_item        smallint,
    FOREIGN KEY (finding_id, damage_item) REFERENCES damage_items (finding_id, position),
    CHECK ((finding_id IS NULL) = (damage_item IS NULL)),
    CHECK (kind = 'photo' OR finding_id IS NULL),
    CHECK ((kind = 'photo') = (width IS NOT NULL AND height IS NOT NULL))
);
CREATE INDEX attachments_case_idx ON attachments (case_id, added_at);

-- Objects no attachment row accounts for: an upload's, from before its objects are written
-- until its row commits (in the same transaction that deletes this), and a removed
-- attachment's, until its objects are deleted. The worker deletes the objects of entries a
-- day old (an upload that failed or crashed halfway) and then the entry. Only objects listed
-- here are ever swept: a store shared with another database loses nothing to it.
CREATE TABLE unrecorded_objects (
    attachment_id  uuid PRIMARY KEY,
    keys           text[] NOT NULL CHECK (cardinality(keys) > 0),
    since          timestamptz NOT NULL
);
CREATE INDEX unrecorded_objects_since_idx ON unrecorded_objects (since);
