-- The upstream LiteBoxd schema (spec §18), written so that it also runs against a database file
-- created by upstream: every statement is IF NOT EXISTS, and V2 adds the columns upstream only
-- added by later in-code migrations. Times are TEXT in go-sqlite3's layout, always UTC
-- ("YYYY-MM-DD HH:MM:SS.fffffffff+00:00"), so range filters compare correctly with old rows.

CREATE TABLE IF NOT EXISTS templates (
    id             TEXT PRIMARY KEY,
    name           TEXT NOT NULL UNIQUE,
    display_name   TEXT,
    description    TEXT,
    tags           TEXT DEFAULT '[]',
    author         TEXT DEFAULT '',
    is_public      BOOLEAN DEFAULT 1,
    latest_version INTEGER DEFAULT 0,
    created_at     TIMESTAMP DEFAULT CURRENT_TIMESTAMP,
    updated_at     TIMESTAMP DEFAULT CURRENT_TIMESTAMP
);
CREATE INDEX IF NOT EXISTS idx_templates_name ON templates(name);
CREATE INDEX IF NOT EXISTS idx_templates_is_public ON templates(is_public);
CREATE INDEX IF NOT EXISTS idx_templates_created_at ON templates(created_at);

CREATE TABLE IF NOT EXISTS template_versions (
    id          TEXT PRIMARY KEY,
    template_id TEXT NOT NULL REFERENCES templates(id) ON DELETE CASCADE,
    version     INTEGER NOT NULL,
    spec        TEXT NOT NULL,
    changelog   TEXT DEFAULT '',
    created_by  TEXT DEFAULT '',
    created_at  TIMESTAMP DEFAULT CURRENT_TIMESTAMP,
    UNIQUE (template_id, version)
);
CREATE INDEX IF NOT EXISTS idx_template_versions_template_id ON template_versions(template_id);
CREATE INDEX IF NOT EXISTS idx_template_versions_version ON template_versions(template_id, version DESC);

CREATE TABLE IF NOT EXISTS image_prepulls (
    id           TEXT PRIMARY KEY,
    image        TEXT NOT NULL,
    image_hash   TEXT NOT NULL,
    status       TEXT NOT NULL DEFAULT 'pending',
    ready_nodes  INTEGER DEFAULT 0,
    total_nodes  INTEGER DEFAULT 0,
    error        TEXT DEFAULT '',
    template     TEXT DEFAULT '',
    started_at   TIMESTAMP DEFAULT CURRENT_TIMESTAMP,
    completed_at TIMESTAMP
);
CREATE INDEX IF NOT EXISTS idx_image_prepulls_image ON image_prepulls(image);
CREATE INDEX IF NOT EXISTS idx_image_prepulls_status ON image_prepulls(status);
CREATE INDEX IF NOT EXISTS idx_image_prepulls_image_hash ON image_prepulls(image_hash);

CREATE TABLE IF NOT EXISTS sandboxes (
    id                        TEXT PRIMARY KEY,
    template_name             TEXT NOT NULL,
    template_version          INTEGER NOT NULL,
    image                     TEXT NOT NULL,
    cpu                       TEXT NOT NULL,
    memory                    TEXT NOT NULL,
    ttl                       INTEGER NOT NULL,
    env_json                  TEXT NOT NULL DEFAULT '{}',
    desired_state             TEXT NOT NULL DEFAULT 'active',
    lifecycle_status          TEXT NOT NULL,
    status_reason             TEXT NOT NULL DEFAULT '',
    cluster_namespace         TEXT NOT NULL,
    pod_name                  TEXT NOT NULL,
    pod_uid                   TEXT NOT NULL DEFAULT '',
    pod_phase                 TEXT NOT NULL DEFAULT '',
    pod_ip                    TEXT NOT NULL DEFAULT '',
    last_seen_at              TIMESTAMP,
    access_token_ciphertext   TEXT NOT NULL,
    access_token_nonce        TEXT NOT NULL,
    access_token_key_id       TEXT NOT NULL,
    access_token_sha256       TEXT NOT NULL,
    access_url                TEXT NOT NULL,
    created_at                TIMESTAMP NOT NULL,
    expires_at                TIMESTAMP NOT NULL,
    updated_at                TIMESTAMP NOT NULL,
    deleted_at                TIMESTAMP
);
-- Columns upstream added later (persistence, runtime, stopped_at, deletion) come in V2.

CREATE TABLE IF NOT EXISTS sandbox_status_history (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    sandbox_id   TEXT NOT NULL REFERENCES sandboxes(id) ON DELETE CASCADE,
    source       TEXT NOT NULL,
    from_status  TEXT NOT NULL,
    to_status    TEXT NOT NULL,
    reason       TEXT NOT NULL DEFAULT '',
    payload_json TEXT NOT NULL DEFAULT '{}',
    created_at   TIMESTAMP NOT NULL
);
CREATE INDEX IF NOT EXISTS idx_sandbox_status_history_sandbox
    ON sandbox_status_history(sandbox_id, created_at DESC);

CREATE TABLE IF NOT EXISTS sandbox_reconcile_runs (
    id           TEXT PRIMARY KEY,
    trigger_type TEXT NOT NULL,
    started_at   TIMESTAMP NOT NULL,
    finished_at  TIMESTAMP,
    total_db     INTEGER NOT NULL DEFAULT 0,
    total_k8s    INTEGER NOT NULL DEFAULT 0,
    drift_count  INTEGER NOT NULL DEFAULT 0,
    fixed_count  INTEGER NOT NULL DEFAULT 0,
    status       TEXT NOT NULL,
    error        TEXT NOT NULL DEFAULT ''
);

CREATE TABLE IF NOT EXISTS sandbox_reconcile_items (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    run_id     TEXT NOT NULL REFERENCES sandbox_reconcile_runs(id) ON DELETE CASCADE,
    sandbox_id TEXT NOT NULL,
    drift_type TEXT NOT NULL,
    action     TEXT NOT NULL,
    detail     TEXT NOT NULL DEFAULT '',
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX IF NOT EXISTS idx_sandbox_reconcile_items_run ON sandbox_reconcile_items(run_id);

CREATE TABLE IF NOT EXISTS admin_users (
    id            TEXT PRIMARY KEY,
    username      TEXT UNIQUE NOT NULL,
    password_hash TEXT NOT NULL,
    created_at    TIMESTAMP DEFAULT CURRENT_TIMESTAMP,
    updated_at    TIMESTAMP DEFAULT CURRENT_TIMESTAMP
);

CREATE TABLE IF NOT EXISTS sessions (
    id         TEXT PRIMARY KEY,
    user_id    TEXT NOT NULL REFERENCES admin_users(id) ON DELETE CASCADE,
    expires_at TIMESTAMP NOT NULL,
    created_at TIMESTAMP DEFAULT CURRENT_TIMESTAMP
);
CREATE INDEX IF NOT EXISTS idx_sessions_expires_at ON sessions(expires_at);

CREATE TABLE IF NOT EXISTS api_keys (
    id           TEXT PRIMARY KEY,
    name         TEXT NOT NULL,
    prefix       TEXT NOT NULL,
    key_hash     TEXT NOT NULL,
    expires_at   TIMESTAMP,
    last_used_at TIMESTAMP,
    created_at   TIMESTAMP DEFAULT CURRENT_TIMESTAMP
);
-- Older upstream files have a non-unique index of this name; V2 replaces it with a unique one.
CREATE INDEX IF NOT EXISTS idx_api_keys_prefix ON api_keys(prefix);
