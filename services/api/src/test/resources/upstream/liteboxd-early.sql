-- A database file as an early upstream LiteBoxd left it (spec §18): tables created by its Go code,
-- before the persistence, runtime, stopped_at and deletion columns existed, with the old
-- non-unique api_keys(key_hash) index, and rows in go-sqlite3's time layouts.
CREATE TABLE templates (id TEXT PRIMARY KEY, name TEXT NOT NULL UNIQUE, display_name TEXT, description TEXT,
  tags TEXT DEFAULT '[]', author TEXT DEFAULT '', is_public BOOLEAN DEFAULT 1, latest_version INTEGER DEFAULT 0,
  created_at TIMESTAMP DEFAULT CURRENT_TIMESTAMP, updated_at TIMESTAMP DEFAULT CURRENT_TIMESTAMP);
CREATE TABLE template_versions (id TEXT PRIMARY KEY, template_id TEXT NOT NULL REFERENCES templates(id) ON DELETE CASCADE,
  version INTEGER NOT NULL, spec TEXT NOT NULL, changelog TEXT DEFAULT '', created_by TEXT DEFAULT '',
  created_at TIMESTAMP DEFAULT CURRENT_TIMESTAMP, UNIQUE(template_id, version));
CREATE TABLE sandboxes (id TEXT PRIMARY KEY, template_name TEXT NOT NULL, template_version INTEGER NOT NULL,
  image TEXT NOT NULL, cpu TEXT NOT NULL, memory TEXT NOT NULL, ttl INTEGER NOT NULL, env_json TEXT NOT NULL DEFAULT '{}',
  desired_state TEXT NOT NULL DEFAULT 'active', lifecycle_status TEXT NOT NULL, status_reason TEXT NOT NULL DEFAULT '',
  cluster_namespace TEXT NOT NULL, pod_name TEXT NOT NULL, pod_uid TEXT NOT NULL DEFAULT '', pod_phase TEXT NOT NULL DEFAULT '',
  pod_ip TEXT NOT NULL DEFAULT '', last_seen_at TIMESTAMP, access_token_ciphertext TEXT NOT NULL, access_token_nonce TEXT NOT NULL,
  access_token_key_id TEXT NOT NULL, access_token_sha256 TEXT NOT NULL, access_url TEXT NOT NULL,
  created_at TIMESTAMP NOT NULL, expires_at TIMESTAMP NOT NULL, updated_at TIMESTAMP NOT NULL, deleted_at TIMESTAMP);
CREATE TABLE admin_users (id TEXT PRIMARY KEY, username TEXT UNIQUE NOT NULL, password_hash TEXT NOT NULL,
  created_at TIMESTAMP DEFAULT CURRENT_TIMESTAMP, updated_at TIMESTAMP DEFAULT CURRENT_TIMESTAMP);
CREATE TABLE sessions (id TEXT PRIMARY KEY, user_id TEXT NOT NULL REFERENCES admin_users(id) ON DELETE CASCADE,
  expires_at TIMESTAMP NOT NULL, created_at TIMESTAMP DEFAULT CURRENT_TIMESTAMP);
CREATE TABLE api_keys (id TEXT PRIMARY KEY, name TEXT NOT NULL, prefix TEXT NOT NULL, key_hash TEXT NOT NULL,
  expires_at TIMESTAMP, last_used_at TIMESTAMP, created_at TIMESTAMP DEFAULT CURRENT_TIMESTAMP);
CREATE INDEX idx_api_keys_key_hash ON api_keys(key_hash);

INSERT INTO templates (id, name, display_name, description, tags, latest_version)
  VALUES ('tpl-1a2b3c4d', 'python', 'Python', 'python sandbox', '["py"]', 1);
INSERT INTO template_versions (id, template_id, version, spec, changelog)
  VALUES ('ver-1a2b3c4d', 'tpl-1a2b3c4d', 1, '{"image":"python:3.12","resources":{"cpu":"500m","memory":"512Mi"},"ttl":0}', 'Initial version');
INSERT INTO sandboxes (id, template_name, template_version, image, cpu, memory, ttl, lifecycle_status, cluster_namespace,
  pod_name, access_token_ciphertext, access_token_nonce, access_token_key_id, access_token_sha256, access_url,
  created_at, expires_at, updated_at)
  VALUES ('ab12cd34', 'python', 1, 'python:3.12', '500m', '512Mi', 3600, 'running', 'liteboxd-sandbox', 'sandbox-ab12cd34',
  'Y2lwaGVy', 'bm9uY2U=', 'v1', 'deadbeef', 'http://gw/api/v1/sandbox/ab12cd34',
  '2026-01-02 03:04:05.123456789+00:00', '2026-01-02 04:04:05.123456789+00:00', '2026-01-02 03:04:05.5+00:00');
INSERT INTO api_keys (id, name, prefix, key_hash, created_at)
  VALUES ('key-1', 'cli-host-1', 'abcdef01', '${API_KEY_HASH}', '2026-01-02 03:04:05');
INSERT INTO admin_users (id, username, password_hash) VALUES ('u-1', 'admin', '${ADMIN_HASH}');
