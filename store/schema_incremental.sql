-- Schema 3: what incremental processing (detectors/incremental.py) reads and writes. Run after
-- the migration that adds posts.analysed and analyses.grouped to older stores.

-- New work is found through partial indexes, never by scanning everything stored.
CREATE TRIGGER IF NOT EXISTS analyses_done AFTER INSERT ON analyses BEGIN
    UPDATE posts SET analysed = 1 WHERE id = new.post_id;
END;
CREATE TRIGGER IF NOT EXISTS analyses_undone AFTER DELETE ON analyses BEGIN
    UPDATE posts SET analysed = 0 WHERE id = old.post_id;
END;
CREATE INDEX IF NOT EXISTS posts_unanalysed ON posts (published_ts) WHERE analysed = 0;
CREATE INDEX IF NOT EXISTS analyses_ungrouped ON analyses (published_ts) WHERE relevant = 1 AND grouped = 0;
-- Burst counts per gemeente x category x time window, from the index alone.
CREATE INDEX IF NOT EXISTS analyses_burst ON analyses (gemeente_code, published_ts, categories) WHERE relevant = 1;
CREATE INDEX IF NOT EXISTS analyses_model ON analyses (published_ts, model);

-- One row per event: what grouping needs (state) and what its signal needs (members), JSON.
CREATE TABLE IF NOT EXISTS groups (
    signal_id     TEXT PRIMARY KEY,
    gemeente_code TEXT,
    open_until_ts REAL NOT NULL,              -- takes no post published after this
    start_ts      REAL,
    time_known    INTEGER NOT NULL,
    last_seen_ts  REAL NOT NULL,
    rank_ts       REAL NOT NULL,              -- (rank_ts, rank_id): the order candidates are tried in
    rank_id       TEXT NOT NULL,
    refresh_ts    REAL,                       -- its signal is recomputed at this time if nothing joins
    score_base    REAL,                       -- its signal's score without the time factor
    state         TEXT NOT NULL,
    members       TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS groups_gemeente ON groups (gemeente_code, open_until_ts);
CREATE INDEX IF NOT EXISTS groups_start ON groups (start_ts) WHERE time_known = 1 AND gemeente_code IS NOT NULL;
CREATE INDEX IF NOT EXISTS groups_refresh ON groups (refresh_ts);
CREATE INDEX IF NOT EXISTS groups_last_seen ON groups (last_seen_ts);
-- Places, names and channels of each event: how a post finds the events it may belong to.
CREATE TABLE IF NOT EXISTS group_keys (
    key       TEXT NOT NULL,
    signal_id TEXT NOT NULL,
    PRIMARY KEY (key, signal_id)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS group_keys_signal ON group_keys (signal_id);

CREATE TABLE IF NOT EXISTS engine_meta (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
);

-- Text keys of each post (onrustradar.copykeys): a new post finds its stored copies by them.
CREATE TABLE IF NOT EXISTS copy_keys (
    key     TEXT NOT NULL,
    post_id TEXT NOT NULL,
    PRIMARY KEY (key, post_id)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS copy_keys_post ON copy_keys (post_id);
CREATE TRIGGER IF NOT EXISTS copy_keys_gone AFTER DELETE ON posts BEGIN
    DELETE FROM copy_keys WHERE post_id = old.id;
END;
