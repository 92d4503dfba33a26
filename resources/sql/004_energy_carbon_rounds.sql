-- Migration 4: energy with its method (measured:rapl, estimated:cpu-model, ...), the carbon
-- of a run and what grid intensity it was computed from, and per selection round the rho it
-- planned for, the grid intensity at its start, and the energy and CO2 it planned and spent.
ALTER TABLE runs ADD COLUMN energy_method TEXT NOT NULL DEFAULT '';
ALTER TABLE runs ADD COLUMN co2_grams REAL;
ALTER TABLE runs ADD COLUMN grid_source TEXT NOT NULL DEFAULT '';

CREATE TABLE selection_rounds (
    run_id         INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
    round          INTEGER NOT NULL,
    step           INTEGER NOT NULL,
    rho            REAL,
    planned_share  REAL NOT NULL,
    grid_g_per_kwh REAL,
    planned_joules REAL,
    spent_joules   REAL,
    co2_grams      REAL,
    PRIMARY KEY (run_id, round)
) WITHOUT ROWID;
