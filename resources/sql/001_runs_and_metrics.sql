-- Migration 1: runs, their metric series and their artifacts.
-- Times are ISO-8601 UTC text; costs are MACs; energy is joules.
CREATE TABLE runs (
    id               INTEGER PRIMARY KEY,
    name             TEXT NOT NULL,
    notes            TEXT NOT NULL DEFAULT '',
    status           TEXT NOT NULL DEFAULT 'running'
                     CHECK (status IN ('running', 'finished', 'stopped', 'failed', 'interrupted')),
    created_at       TEXT NOT NULL,
    finished_at      TEXT,
    method           TEXT NOT NULL,
    rho              REAL,
    model_path       TEXT NOT NULL DEFAULT '',
    model_hash       TEXT NOT NULL DEFAULT '',
    dataset          TEXT NOT NULL DEFAULT '',
    dataset_hash     TEXT NOT NULL DEFAULT '',
    config_json      TEXT NOT NULL DEFAULT '{}',
    software_version TEXT NOT NULL DEFAULT '',
    host_info        TEXT NOT NULL DEFAULT '{}',
    writer_host      TEXT NOT NULL DEFAULT '',
    writer_pid       INTEGER NOT NULL DEFAULT 0
);

CREATE TABLE run_tags (
    run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
    tag    TEXT NOT NULL,
    PRIMARY KEY (run_id, tag)
) WITHOUT ROWID;

-- One point of one series. Re-logging a step (after a resume) replaces the point.
CREATE TABLE metrics (
    run_id  INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
    name    TEXT NOT NULL,
    step    INTEGER NOT NULL,
    epoch   REAL,
    wall_s  REAL,
    value   REAL NOT NULL,
    PRIMARY KEY (run_id, name, step)
) WITHOUT ROWID;

CREATE TABLE artifacts (
    id         INTEGER PRIMARY KEY,
    run_id     INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
    kind       TEXT NOT NULL,
    path       TEXT NOT NULL,
    step       INTEGER,
    created_at TEXT NOT NULL
);
CREATE INDEX artifacts_by_run ON artifacts(run_id);
