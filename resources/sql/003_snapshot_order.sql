-- Migration 3: the position of each tensor in its model's catalogue (execution order), so a
-- selection round reads back in the order it was planned (the table's key sorts by name).
-- Rounds stored before it have no position and read back by name.
ALTER TABLE tensor_snapshots ADD COLUMN position INTEGER;
