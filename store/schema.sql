-- Onrustradar SQLite schema. Times are UTC epoch seconds (REAL) so ranges use indexes.
-- The schema version (PRAGMA user_version) is kept by store/sqlite.py, which migrates older stores.

CREATE TABLE IF NOT EXISTS posts (
    id             TEXT PRIMARY KEY,          -- "<source_name>:<source_id>" (platform when no source name)
    source         TEXT NOT NULL,
    source_id      TEXT NOT NULL,
    source_name    TEXT,
    channel        TEXT NOT NULL,
    url            TEXT,
    author         TEXT,                      -- keyed pseudonym only
    published_ts   REAL NOT NULL,
    fetched_ts     REAL NOT NULL,
    text           TEXT NOT NULL,
    views          INTEGER,
    forwards       INTEGER,
    replies        INTEGER,
    forwarded_from TEXT,
    analysed       INTEGER NOT NULL DEFAULT 0  -- kept by triggers on analyses (schema_incremental.sql)
);
CREATE INDEX IF NOT EXISTS posts_published ON posts (published_ts);
CREATE INDEX IF NOT EXISTS posts_source_name ON posts (source_name, published_ts);
CREATE INDEX IF NOT EXISTS posts_source_ids ON posts (source, source_id);

CREATE VIRTUAL TABLE IF NOT EXISTS posts_fts USING fts5 (
    text, content='posts', content_rowid='rowid', tokenize='unicode61 remove_diacritics 2'
);
CREATE TRIGGER IF NOT EXISTS posts_ai AFTER INSERT ON posts BEGIN
    INSERT INTO posts_fts (rowid, text) VALUES (new.rowid, new.text);
END;
CREATE TRIGGER IF NOT EXISTS posts_ad AFTER DELETE ON posts BEGIN
    INSERT INTO posts_fts (posts_fts, rowid, text) VALUES ('delete', old.rowid, old.text);
END;
CREATE TRIGGER IF NOT EXISTS posts_au AFTER UPDATE OF text ON posts BEGIN
    INSERT INTO posts_fts (posts_fts, rowid, text) VALUES ('delete', old.rowid, old.text);
    INSERT INTO posts_fts (rowid, text) VALUES (new.rowid, new.text);
END;

CREATE TABLE IF NOT EXISTS analyses (
    post_id        TEXT PRIMARY KEY REFERENCES posts (id) ON DELETE CASCADE,
    published_ts   REAL NOT NULL,
    relevant       INTEGER NOT NULL,          -- 1 when at least one category
    categories     TEXT NOT NULL,             -- JSON list
    scores         TEXT NOT NULL,             -- JSON object
    gemeente_code  TEXT,
    gemeente       TEXT,
    place          TEXT,
    announced      INTEGER NOT NULL,
    event_start_ts REAL,
    event_start_tz INTEGER,                   -- offset in seconds, to give back the local time
    time_known     INTEGER NOT NULL,
    keywords       TEXT NOT NULL,             -- JSON list
    model          TEXT NOT NULL,
    grouped        INTEGER NOT NULL DEFAULT 0 -- 1 once a tick has put the (relevant) post in an event
);
CREATE INDEX IF NOT EXISTS analyses_relevant ON analyses (relevant, published_ts);
CREATE INDEX IF NOT EXISTS analyses_gemeente ON analyses (gemeente_code, published_ts);

CREATE TABLE IF NOT EXISTS signals (
    signal_id           TEXT PRIMARY KEY,
    categories          TEXT NOT NULL,        -- JSON list
    gemeente_code       TEXT,
    gemeente            TEXT,
    place               TEXT,
    event_start_ts      REAL,
    event_start_tz      INTEGER,
    time_known          INTEGER NOT NULL,
    announced           INTEGER NOT NULL,
    first_seen_ts       REAL NOT NULL,
    last_seen_ts        REAL NOT NULL,
    post_ids            TEXT NOT NULL,        -- JSON list
    independent_sources INTEGER NOT NULL,
    official_sources    INTEGER NOT NULL,
    score               REAL NOT NULL,
    reliability         TEXT NOT NULL,
    burst_factor        REAL NOT NULL,
    explanation         TEXT NOT NULL,
    status              TEXT NOT NULL,
    status_by           TEXT,
    status_ts           REAL,
    status_note         TEXT,
    reach               INTEGER,              -- views + forwards of its posts (schema 3)
    created_ts          REAL,                 -- when the store first had it (schema 3)
    changed_ts          REAL                  -- when what a person sees of it last changed
);
CREATE INDEX IF NOT EXISTS signals_gemeente_score ON signals (gemeente_code, score DESC);
CREATE INDEX IF NOT EXISTS signals_score ON signals (score DESC);
CREATE INDEX IF NOT EXISTS signals_last_seen ON signals (last_seen_ts);

CREATE TABLE IF NOT EXISTS cursors (
    source_name TEXT PRIMARY KEY,
    value       TEXT NOT NULL,
    updated_ts  REAL NOT NULL
);

CREATE TABLE IF NOT EXISTS source_health (
    source_name   TEXT PRIMARY KEY,
    last_success  REAL,
    last_error    TEXT,
    last_error_ts REAL,
    last_new      INTEGER NOT NULL DEFAULT 0,
    total_new     INTEGER NOT NULL DEFAULT 0
);

-- Every status change a person (or the system) made, for the audit trail.
CREATE TABLE IF NOT EXISTS status_log (
    signal_id TEXT NOT NULL,
    status    TEXT NOT NULL,
    actor     TEXT NOT NULL,
    note      TEXT,
    ts        REAL NOT NULL
);
CREATE INDEX IF NOT EXISTS status_log_signal ON status_log (signal_id, ts);

-- Feedback on posts and signals: for retraining and per-keyword precision.
CREATE TABLE IF NOT EXISTS feedback (
    target_type TEXT NOT NULL,                -- 'post' | 'signal'
    target_id   TEXT NOT NULL,
    verdict     TEXT NOT NULL,                -- 'terecht' | 'onterecht' | 'andere categorie'
    category    TEXT,                         -- the right category, for 'andere categorie'
    keywords    TEXT NOT NULL,                -- JSON list of "category:term" that fired
    actor       TEXT NOT NULL,
    ts          REAL NOT NULL,
    PRIMARY KEY (target_type, target_id, actor)
);

-- Outgoing e-mail: a digest or alert is stored before it is sent, so a crash between building
-- and sending loses nothing, and a key is sent at most once.
CREATE TABLE IF NOT EXISTS outbox (
    key        TEXT PRIMARY KEY,              -- "digest:GM0193:2026-11-22" or "alert:<signal>:<n>"
    kind       TEXT NOT NULL,                 -- digest | alert
    gemeente   TEXT,
    recipients TEXT NOT NULL,                 -- JSON list
    message_id TEXT NOT NULL,
    message    BLOB NOT NULL,                 -- the complete RFC 5322 message
    snapshot   TEXT,                          -- JSON: what the digest reported, for "since yesterday"
    status     TEXT NOT NULL,                 -- built | sent | failed
    attempts   INTEGER NOT NULL DEFAULT 0,
    error      TEXT,
    created_ts REAL NOT NULL,
    sent_ts    REAL
);
-- Posts the NLP could not analyse: kept out of every analysis batch with their reason (shown on
-- Bronnen), so one hostile post never stops the others.
CREATE TABLE IF NOT EXISTS quarantine (
    post_id     TEXT PRIMARY KEY REFERENCES posts (id) ON DELETE CASCADE,
    source_name TEXT,
    reason      TEXT NOT NULL,
    ts          REAL NOT NULL
);

-- The head of the audit trail (row count, last hash, HMAC over both), kept apart from the log
-- file so that cutting rows off, emptying or deleting the file is detected.
CREATE TABLE IF NOT EXISTS audit_anchor (
    id   INTEGER PRIMARY KEY CHECK (id = 1),
    rows INTEGER NOT NULL,
    head TEXT NOT NULL,
    mac  TEXT NOT NULL,
    ts   REAL NOT NULL
);

CREATE INDEX IF NOT EXISTS outbox_kind ON outbox (kind, gemeente, created_ts);

-- Which signal holds a post (search results link to their signal); kept by upsert_signals.
CREATE TABLE IF NOT EXISTS signal_posts (
    post_id   TEXT NOT NULL,
    signal_id TEXT NOT NULL,
    PRIMARY KEY (post_id, signal_id)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS signal_posts_signal ON signal_posts (signal_id);

-- Triage: a thread of notes, assignments and hand-overs per signal, and who holds it now.
CREATE TABLE IF NOT EXISTS signal_notes (
    signal_id TEXT NOT NULL,
    kind      TEXT NOT NULL,                  -- notitie | toewijzing | overdracht
    actor     TEXT NOT NULL,
    text      TEXT NOT NULL,
    assignee  TEXT,
    ts        REAL NOT NULL
);
CREATE INDEX IF NOT EXISTS signal_notes_signal ON signal_notes (signal_id, ts);
CREATE TABLE IF NOT EXISTS signal_assignments (
    signal_id TEXT PRIMARY KEY,
    assignee  TEXT NOT NULL,
    actor     TEXT NOT NULL,
    ts        REAL NOT NULL
);
CREATE INDEX IF NOT EXISTS signal_assignments_assignee ON signal_assignments (assignee);

-- Analysts' corrections of the grouping (merge two signals, split posts off one), applied
-- again after every grouping (detectors/overrides.py).
CREATE TABLE IF NOT EXISTS signal_decisions (
    seq           INTEGER PRIMARY KEY AUTOINCREMENT,
    kind          TEXT NOT NULL,              -- merge | split
    signal_id     TEXT NOT NULL,
    other_id      TEXT NOT NULL,
    post_ids      TEXT NOT NULL,              -- JSON list
    keep_post_ids TEXT NOT NULL,              -- JSON list
    gemeente_code TEXT,
    actor         TEXT NOT NULL,
    ts            REAL NOT NULL
);

-- Each board user's visit: last seen, and since when the current visit marks signals as new
-- or changed (the end of the previous visit).
CREATE TABLE IF NOT EXISTS board_visits (
    user_id  TEXT PRIMARY KEY,
    seen_ts  REAL NOT NULL,
    since_ts REAL
);

-- The service's ticks (crawl + process + e-mail, one row per kind): what `health` reports and
-- what the soak benchmark counts.
CREATE TABLE IF NOT EXISTS ticks (
    name            TEXT PRIMARY KEY,         -- 'tick'
    last_started_ts REAL NOT NULL,
    last_seconds    REAL NOT NULL,
    last_ok         INTEGER NOT NULL,
    last_error      TEXT,
    last_ok_ts      REAL,                     -- end of the last tick that succeeded
    count           INTEGER NOT NULL,
    failed          INTEGER NOT NULL,
    longest         REAL NOT NULL
);
