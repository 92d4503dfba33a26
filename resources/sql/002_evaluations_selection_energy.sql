-- Migration 2: evaluations with sample texts, per-tensor snapshots of each selection round,
-- and the measured totals of a run (time, energy).
CREATE TABLE evaluations (
    id         INTEGER PRIMARY KEY,
    run_id     INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
    step       INTEGER NOT NULL,
    split      TEXT NOT NULL DEFAULT 'validation',
    examples   INTEGER NOT NULL DEFAULT 0,
    rouge1     REAL,
    rouge2     REAL,
    rougeL     REAL,
    rougeLsum  REAL,
    val_loss   REAL,
    created_at TEXT NOT NULL
);
CREATE INDEX evaluations_by_run ON evaluations(run_id, step);

CREATE TABLE eval_samples (
    eval_id    INTEGER NOT NULL REFERENCES evaluations(id) ON DELETE CASCADE,
    idx        INTEGER NOT NULL,
    source     TEXT NOT NULL DEFAULT '',
    prediction TEXT NOT NULL,
    reference  TEXT NOT NULL,
    PRIMARY KEY (eval_id, idx)
) WITHOUT ROWID;

CREATE TABLE tensor_snapshots (
    run_id     INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
    round      INTEGER NOT NULL,
    step       INTEGER NOT NULL,
    tensor     TEXT NOT NULL,
    forward    REAL NOT NULL,
    dw         REAL NOT NULL,
    dy         REAL NOT NULL,
    importance REAL,
    selected   INTEGER NOT NULL CHECK (selected IN (0, 1)),
    PRIMARY KEY (run_id, round, tensor)
) WITHOUT ROWID;

ALTER TABLE runs ADD COLUMN wall_seconds REAL;
ALTER TABLE runs ADD COLUMN energy_joules REAL;
ALTER TABLE runs ADD COLUMN energy_source TEXT NOT NULL DEFAULT '';
ALTER TABLE runs ADD COLUMN planned_macs REAL;
ALTER TABLE runs ADD COLUMN full_macs REAL;
