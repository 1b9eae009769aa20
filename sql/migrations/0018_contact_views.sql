-- Who looked at a reporter's contact details (AVG accountability): one row each time a staff
-- member was shown them, on the case page or in the API's case detail, and whether the role
-- showed them only masked (admins). Rows are only ever added: the log is the evidence.
CREATE TABLE contact_views (
    id       bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    at       timestamptz NOT NULL,
    user_id  bigint NOT NULL REFERENCES users (id),
    case_id  uuid NOT NULL REFERENCES cases (id),
    route    text NOT NULL CHECK (route IN ('case_page', 'api_detail')),
    masked   boolean NOT NULL
);
-- The admins' two lists, newest first: per case and per user.
CREATE INDEX contact_views_case_idx ON contact_views (case_id, id DESC);
CREATE INDEX contact_views_user_idx ON contact_views (user_id, id DESC);
