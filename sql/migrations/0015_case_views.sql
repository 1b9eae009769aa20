-- When each staff member last opened a case's page (service/cases/case_views.py). The work
-- queue marks a case whose tenant added a message or photo after its assignee last looked.
-- One row per case and person, overwritten on each view: it is no access log.
CREATE TABLE case_views (
    case_id         uuid NOT NULL REFERENCES cases (id) ON DELETE CASCADE,
    user_id         bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    last_viewed_at  timestamptz NOT NULL,
    PRIMARY KEY (case_id, user_id)
);

-- The marker looks for the tenant's news per case; this finds it without reading the history.
CREATE INDEX case_events_tenant_news_idx ON case_events (case_id, at)
    WHERE kind = 'tenant_message' OR (kind = 'attachment_added' AND actor = 'tenant');
