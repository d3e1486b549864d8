//! The versioned schema and its migrations.
//!
//! `PRAGMA user_version` records how many migrations a file has had. A
//! file with more than this build knows was written by a newer mcauth and
//! is refused rather than misread.

use std::path::Path;

use rusqlite::Connection;

use crate::StoreError;

/// Each entry upgrades the schema by one version.
const MIGRATIONS: &[&str] = &[
    // 1: projects, their statement log and snapshots.
    "CREATE TABLE projects (
        name TEXT PRIMARY KEY,
        owner TEXT NOT NULL,
        created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))
     );
     CREATE TABLE statements (
        project TEXT NOT NULL REFERENCES projects(name),
        seq INTEGER NOT NULL,
        text TEXT NOT NULL,
        changes TEXT NOT NULL,
        PRIMARY KEY (project, seq)
     ) WITHOUT ROWID;
     CREATE TABLE snapshots (
        project TEXT PRIMARY KEY REFERENCES projects(name),
        seq INTEGER NOT NULL,
        state TEXT NOT NULL
     );",
];

/// The schema version this mcauth writes (SQLite's `user_version`): one
/// per migration.
pub const SCHEMA_VERSION: i64 = MIGRATIONS.len() as i64;

/// The tables every version so far has.
const TABLES: [&str; 3] = ["projects", "statements", "snapshots"];

/// A schema version this far past the newest is not a newer mcauth's: no
/// release adds a thousand migrations.
const IMPLAUSIBLE_VERSION: i64 = 1_000;

/// Checks a file's recorded schema version against what it holds, so that
/// a damaged `user_version` is named rather than misread.
fn check_version(conn: &Connection, path: &Path, found: i64) -> Result<(), StoreError> {
    let damaged = |detail: String| StoreError::DamagedSchema {
        path: path.to_owned(),
        found,
        detail,
    };
    if found < 0 {
        return Err(damaged("and no version is negative".to_owned()));
    }
    if found >= IMPLAUSIBLE_VERSION {
        return Err(damaged(format!(
            "far past any mcauth's (this one knows up to {SCHEMA_VERSION})"
        )));
    }
    if (1..=SCHEMA_VERSION).contains(&found) {
        for table in TABLES {
            let present: i64 = conn.query_row(
                "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = ?1",
                [table],
                |r| r.get(0),
            )?;
            if present == 0 {
                return Err(damaged(format!("but its `{table}` table is missing")));
            }
        }
    }
    Ok(())
}

/// The file's schema version, when it is whole and not newer than this
/// build's.
fn known_version(conn: &Connection, path: &Path) -> Result<i64, StoreError> {
    let found: i64 = conn.query_row("PRAGMA user_version", [], |r| r.get(0))?;
    check_version(conn, path, found)?;
    if found > SCHEMA_VERSION {
        return Err(StoreError::NewerSchema {
            path: path.to_owned(),
            found,
            known: SCHEMA_VERSION,
        });
    }
    Ok(found)
}

/// Whether a file's schema is this build's: a read-only store can be read
/// only then, since it cannot be migrated.
pub fn check_current(conn: &Connection, path: &Path) -> Result<(), StoreError> {
    let found = known_version(conn, path)?;
    if found < SCHEMA_VERSION {
        // An empty file is a store not yet made; an older one needs an
        // upgrade, which is a write.
        return Err(StoreError::ReadOnly {
            path: path.to_owned(),
        });
    }
    Ok(())
}

/// Brings a connection's schema up to date, or refuses a newer one.
pub fn migrate(conn: &mut Connection, path: &Path) -> Result<(), StoreError> {
    let found = known_version(conn, path)?;
    if found == SCHEMA_VERSION {
        return Ok(());
    }
    let tx = conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
    // Another process may have migrated while we waited for the lock: the
    // version and the emptiness are read again under it, or a store
    // another writer just made would look like a foreign file.
    let current: i64 = tx.query_row("PRAGMA user_version", [], |r| r.get(0))?;
    if current == 0 {
        // A brand-new file must be empty; anything else is not ours.
        let tables: i64 = tx.query_row("SELECT count(*) FROM sqlite_master", [], |r| r.get(0))?;
        if tables > 0 {
            return Err(StoreError::NotAStore {
                path: path.to_owned(),
            });
        }
    }
    for (i, sql) in MIGRATIONS
        .iter()
        .enumerate()
        .skip(usize::try_from(current).unwrap_or(0))
    {
        tx.execute_batch(sql)?;
        tx.pragma_update(None, "user_version", i as i64 + 1)?;
    }
    tx.commit()?;
    Ok(())
}
