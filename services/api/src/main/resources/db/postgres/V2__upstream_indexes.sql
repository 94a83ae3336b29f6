-- Every index db/sqlite has after V2 (spec §18), under the same names. SQLite creates some of
-- them in V1 and the rest in V2; here they are all V2, so that V3 means the same in both.

CREATE INDEX idx_templates_name ON templates(name);
CREATE INDEX idx_templates_is_public ON templates(is_public);
CREATE INDEX idx_templates_created_at ON templates(created_at);

CREATE INDEX idx_template_versions_template_id ON template_versions(template_id);
CREATE INDEX idx_template_versions_version ON template_versions(template_id, version DESC);

CREATE INDEX idx_image_prepulls_image ON image_prepulls(image);
CREATE INDEX idx_image_prepulls_status ON image_prepulls(status);
CREATE INDEX idx_image_prepulls_image_hash ON image_prepulls(image_hash);

CREATE INDEX idx_sandboxes_lifecycle_status ON sandboxes(lifecycle_status);
CREATE INDEX idx_sandboxes_desired_state ON sandboxes(desired_state);
CREATE INDEX idx_sandboxes_expires_at ON sandboxes(expires_at);
CREATE INDEX idx_sandboxes_last_seen_at ON sandboxes(last_seen_at);
CREATE INDEX idx_sandboxes_template_name ON sandboxes(template_name);
CREATE INDEX idx_sandboxes_access_token_sha256 ON sandboxes(access_token_sha256);

CREATE INDEX idx_sandbox_status_history_sandbox ON sandbox_status_history(sandbox_id, created_at DESC);

CREATE INDEX idx_sandbox_reconcile_items_run ON sandbox_reconcile_items(run_id);

CREATE INDEX idx_sessions_expires_at ON sessions(expires_at);

CREATE UNIQUE INDEX idx_api_keys_key_hash_unique ON api_keys(key_hash);
CREATE INDEX idx_api_keys_prefix ON api_keys(prefix);
