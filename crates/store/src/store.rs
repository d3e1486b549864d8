//! Opening the store, loading projects, and committing statements.

use std::path::{Path, PathBuf};
use std::time::Duration;

use mcauth_engine::{Change, PrincipalId, ProjectState, apply};
use rusqlite::{Connection, OptionalExtension, params};

use crate::StoreError;
use crate::schema::migrate;

/// How many statements may follow a snapshot before the next one is taken.
const SNAPSHOT_EVERY: i64 = 10_000;

/// How long to wait for another process's write lock.
const BUSY_TIMEOUT: Duration = Duration::from_secs(10);

/// How many WAL pages a commit may leave before it checkpoints them into
/// the database (SQLite's default is 1,000). A checkpoint fsyncs the WAL
/// and then the database, and the commit that triggers it waits for both;
/// at one page or two per statement, `mcauth serve` met one every few
/// hundred statements. 4,000 pages (a 16 MB WAL, whose index still fits the
/// first 32 KB block of the -shm file) makes them a quarter as frequent.
const WAL_AUTOCHECKPOINT_PAGES: i64 = 4_000;

/// The statements of the hot paths, prepared once per connection and kept
/// in rusqlite's statement cache. `mcauth serve` runs one write transaction
/// per changing statement and a catch-up per read; rusqlite's `Transaction`
/// prepares `BEGIN IMMEDIATE` and `COMMIT` (or `ROLLBACK`) afresh each
/// time, through `execute_batch`, which was a tenth of the instructions of
/// a one-statement write and half of those of a refresh.
const BEGIN_IMMEDIATE: &str = "BEGIN IMMEDIATE";
const COMMIT: &str = "COMMIT";
const ROLLBACK: &str = "ROLLBACK";
const CATCH_UP: &str =
    "SELECT seq, changes FROM statements WHERE project = ?1 AND seq > ?2 ORDER BY seq";
const HISTORY: &str = "SELECT seq, text, changes FROM statements WHERE project = ?1 ORDER BY seq";
const INSERT_STATEMENT: &str =
    "INSERT INTO statements (project, seq, text, changes) VALUES (?1, ?2, ?3, ?4)";

/// An open store file.
pub struct Store {
    conn: Connection,
    path: PathBuf,
    /// Opened for reading only (the file or its folder is read-only):
    /// reads and plans work, a change is [`StoreError::ReadOnly`].
    read_only: bool,
}

/// A project's state as of its last committed statement.
#[derive(Debug, Clone)]
pub struct Project {
    state: ProjectState,
    seq: i64,
}

impl Project {
    /// The project's authorization state.
    pub fn state(&self) -> &ProjectState {
        &self.state
    }

    /// The number of state-changing statements committed so far.
    pub fn seq(&self) -> i64 {
        self.seq
    }
}

impl Store {
    /// Opens (or creates) the store at `path`, creating its folder. A
    /// store that exists but cannot be written (a read-only file or
    /// folder) is opened for reading: see [`Store::open_read_only`].
    pub fn open(path: &Path) -> Result<Store, StoreError> {
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            std::fs::create_dir_all(dir).map_err(|source| StoreError::CreateDir {
                path: dir.to_owned(),
                source,
            })?;
        }
        let opened = Store::open_writable(path);
        match opened {
            Ok(store) if store.conn.is_readonly(rusqlite::MAIN_DB).unwrap_or(false) => {
                drop(store);
                Store::open_read_only(path)
            }
            Err(e) if is_read_only_error(&e) && path.exists() => {
                Store::open_read_only(path).map_err(|_| e)
            }
            other => other,
        }
    }

    /// Opens an existing store for reading only: its projects load and
    /// plans run, and [`Store::begin`]'s batch refuses any change with
    /// [`StoreError::ReadOnly`]. It works on a read-only file, and in a
    /// read-only folder too, where SQLite cannot make the WAL's index
    /// file: the file is then read as immutable (what the last writer
    /// left checkpointed in it).
    pub fn open_read_only(path: &Path) -> Result<Store, StoreError> {
        let flags = rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY
            | rusqlite::OpenFlags::SQLITE_OPEN_NO_MUTEX
            | rusqlite::OpenFlags::SQLITE_OPEN_URI;
        let open = |target: &str| -> Result<Store, StoreError> {
            let conn =
                Connection::open_with_flags(target, flags).map_err(|source| StoreError::Open {
                    path: path.to_owned(),
                    source,
                })?;
            conn.busy_timeout(BUSY_TIMEOUT)?;
            let store = Store {
                conn,
                path: path.to_owned(),
                read_only: true,
            };
            // The first read opens the WAL, if the file has one.
            store
                .conn
                .query_row("SELECT count(*) FROM sqlite_master", [], |r| {
                    r.get::<_, i64>(0)
                })
                .map_err(|e| match e.sqlite_error_code() {
                    Some(rusqlite::ErrorCode::NotADatabase) => StoreError::NotAStore {
                        path: path.to_owned(),
                    },
                    _ => StoreError::from(e),
                })?;
            crate::schema::check_current(&store.conn, path)?;
            Ok(store)
        };
        let uri = file_uri(path);
        match open(&uri) {
            Err(e) if is_read_only_error(&e) => open(&format!("{uri}?immutable=1")),
            other => other,
        }
    }

    /// A store that lives in memory only (for tests).
    pub fn open_in_memory() -> Result<Store, StoreError> {
        Store::setup(Connection::open_in_memory()?, Path::new(":memory:"))
    }

    /// Whether the store was opened for reading only.
    pub fn is_read_only(&self) -> bool {
        self.read_only
    }

    /// Opens and sets up a connection that may write. Two processes (or
    /// threads, `--jobs`) that open a new store at once race to switch it
    /// to WAL and to create its tables; SQLite answers the loser "busy"
    /// at once rather than waiting, so the set-up is tried again until
    /// the busy timeout has passed.
    fn open_writable(path: &Path) -> Result<Store, StoreError> {
        let deadline = std::time::Instant::now() + BUSY_TIMEOUT;
        loop {
            let opened = Connection::open(path)
                .map_err(|source| StoreError::Open {
                    path: path.to_owned(),
                    source,
                })
                .and_then(|conn| Store::setup(conn, path));
            match opened {
                Err(StoreError::Busy) if std::time::Instant::now() < deadline => {
                    std::thread::sleep(Duration::from_millis(20));
                }
                other => return other,
            }
        }
    }

    fn setup(mut conn: Connection, path: &Path) -> Result<Store, StoreError> {
        let not_a_store = |e: rusqlite::Error| match e.sqlite_error_code() {
            Some(rusqlite::ErrorCode::NotADatabase) => StoreError::NotAStore {
                path: path.to_owned(),
            },
            _ => StoreError::from(e),
        };
        conn.busy_timeout(BUSY_TIMEOUT)?;
        // WAL lets readers and one writer share the file; NORMAL sync keeps
        // every committed transaction across a crash of the process.
        conn.pragma_update(None, "journal_mode", "WAL")
            .map_err(not_a_store)?;
        conn.pragma_update(None, "synchronous", "NORMAL")?;
        conn.pragma_update(None, "wal_autocheckpoint", WAL_AUTOCHECKPOINT_PAGES)?;
        conn.pragma_update(None, "foreign_keys", "ON")?;
        migrate(&mut conn, path)?;
        Ok(Store {
            conn,
            path: path.to_owned(),
            read_only: false,
        })
    }

    /// The file this store was opened from.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Runs SQLite's integrity check; `Ok` when the file is sound.
    pub fn check_integrity(&self) -> Result<(), StoreError> {
        let verdict: String = self
            .conn
            .query_row("PRAGMA integrity_check", [], |r| r.get(0))?;
        if verdict == "ok" {
            Ok(())
        } else {
            Err(corrupt("*", 0, verdict))
        }
    }

    /// The names of the projects in the store.
    pub fn projects(&self) -> Result<Vec<String>, StoreError> {
        let mut stmt = self
            .conn
            .prepare("SELECT name FROM projects ORDER BY name")?;
        let names = stmt
            .query_map([], |r| r.get(0))?
            .collect::<Result<Vec<String>, _>>()?;
        Ok(names)
    }

    /// Loads a project, creating it with `owner` on first use.
    /// A read-only store cannot create one: a project it lacks is
    /// returned new and empty, and stays in memory.
    pub fn project(&mut self, name: &str, owner: &PrincipalId) -> Result<Project, StoreError> {
        if self.read_only {
            return self.project_read_only(name, owner);
        }
        let tx = WriteTx::begin(&self.conn)?;
        let existing: Option<String> = tx
            .conn
            .query_row("SELECT owner FROM projects WHERE name = ?1", [name], |r| {
                r.get(0)
            })
            .optional()?;
        let project = match existing {
            Some(owner) => {
                let owner = PrincipalId::parse(&owner, "").ok_or_else(|| {
                    corrupt(name, 0, format!("the owner `{owner}` is not a principal"))
                })?;
                load(tx.conn, name, owner)?
            }
            None => {
                tx.conn.execute(
                    "INSERT INTO projects (name, owner) VALUES (?1, ?2)",
                    params![name, owner.as_str()],
                )?;
                Project {
                    state: ProjectState::new(name, owner.clone()),
                    seq: 0,
                }
            }
        };
        tx.commit()?;
        Ok(project)
    }

    fn project_read_only(&self, name: &str, owner: &PrincipalId) -> Result<Project, StoreError> {
        let existing: Option<String> = self
            .conn
            .query_row("SELECT owner FROM projects WHERE name = ?1", [name], |r| {
                r.get(0)
            })
            .optional()?;
        match existing {
            Some(owner) => {
                let owner = PrincipalId::parse(&owner, "").ok_or_else(|| {
                    corrupt(name, 0, format!("the owner `{owner}` is not a principal"))
                })?;
                load(&self.conn, name, owner)
            }
            None => Ok(Project {
                state: ProjectState::new(name, owner.clone()),
                seq: 0,
            }),
        }
    }

    /// Starts a write: takes the write lock and brings `project` up to date
    /// with anything other processes committed since it was loaded. On a
    /// read-only store it takes no lock, and the batch refuses changes.
    pub fn begin<'a>(&'a mut self, project: &'a mut Project) -> Result<Batch<'a>, StoreError> {
        let tx = if self.read_only {
            catch_up(&self.conn, project)?;
            None
        } else {
            let tx = WriteTx::begin(&self.conn)?;
            catch_up(tx.conn, project)?;
            Some(tx)
        };
        Ok(Batch {
            tx,
            path: &self.path,
            project,
            snapshot_due: false,
        })
    }

    /// Every statement recorded for a project, oldest first, with the
    /// changes it made: `visit` is called once per statement (so a long
    /// history is never held whole). This is how `mcauth why` names the
    /// statement that made a grant.
    pub fn history(
        &self,
        project: &str,
        mut visit: impl FnMut(i64, &str, &[Change]),
    ) -> Result<(), StoreError> {
        let mut stmt = self.conn.prepare_cached(HISTORY)?;
        let mut rows = stmt.query(params![project])?;
        while let Some(row) = rows.next()? {
            let seq: i64 = row.get(0)?;
            let text: String = row.get(1)?;
            let json: String = row.get(2)?;
            let changes: Vec<Change> =
                serde_json::from_str(&json).map_err(|e| corrupt(project, seq, e.to_string()))?;
            visit(seq, &text, &changes);
        }
        Ok(())
    }

    /// Brings `project` up to date without writing.
    pub fn refresh(&mut self, project: &mut Project) -> Result<(), StoreError> {
        // The catch-up is one SELECT, which SQLite runs in a read
        // transaction of its own: it sees one consistent snapshot without
        // an explicit BEGIN and COMMIT around it.
        catch_up(&self.conn, project)
    }
}

/// A `BEGIN IMMEDIATE` transaction on cached statements. Dropped without
/// [`WriteTx::commit`] (or after a failed one) it rolls back, as rusqlite's
/// `Transaction` does.
struct WriteTx<'c> {
    conn: &'c Connection,
}

impl<'c> WriteTx<'c> {
    /// Takes the write lock (waiting up to [`BUSY_TIMEOUT`] for another
    /// process's) and starts the transaction.
    fn begin(conn: &'c Connection) -> Result<WriteTx<'c>, StoreError> {
        conn.prepare_cached(BEGIN_IMMEDIATE)?.execute([])?;
        Ok(WriteTx { conn })
    }

    fn commit(self) -> Result<(), StoreError> {
        // On failure the transaction may still be open; `drop` rolls it back.
        self.conn.prepare_cached(COMMIT)?.execute([])?;
        Ok(())
    }
}

impl Drop for WriteTx<'_> {
    fn drop(&mut self) {
        // After a COMMIT the connection is back in autocommit mode. An
        // error here leaves nothing to do: SQLite rolls back an open
        // transaction when the connection closes, and the next BEGIN fails
        // loudly rather than writing inside it.
        if !self.conn.is_autocommit() {
            let rolled_back = self
                .conn
                .prepare_cached(ROLLBACK)
                .and_then(|mut stmt| stmt.execute([]));
            drop(rolled_back);
        }
    }
}

/// Statements recorded together and committed at once.
pub struct Batch<'a> {
    /// `None` on a read-only store.
    tx: Option<WriteTx<'a>>,
    path: &'a Path,
    project: &'a mut Project,
    snapshot_due: bool,
}

impl Batch<'_> {
    /// The state with every change recorded so far in this batch.
    pub fn state(&self) -> &ProjectState {
        &self.project.state
    }

    /// [`Project::seq`] of that state: after [`Store::begin`], it differs
    /// from the project's before only if another writer's statements were
    /// replayed.
    pub fn seq(&self) -> i64 {
        self.project.seq
    }

    /// Records a statement and the changes it makes, and applies them to
    /// the in-memory state. Statements without changes are not recorded.
    pub fn record(&mut self, text: &str, changes: &[Change]) -> Result<(), StoreError> {
        if changes.is_empty() {
            return Ok(());
        }
        let Some(tx) = &self.tx else {
            return Err(StoreError::ReadOnly {
                path: self.path.to_owned(),
            });
        };
        let json = serde_json::to_string(&changes).map_err(|e| {
            corrupt(
                self.project.state.name(),
                self.project.seq + 1,
                e.to_string(),
            )
        })?;
        let seq = self.project.seq + 1;
        tx.conn.prepare_cached(INSERT_STATEMENT)?.execute(params![
            self.project.state.name(),
            seq,
            text,
            json
        ])?;
        for change in changes {
            apply(&mut self.project.state, change);
        }
        self.project.seq = seq;
        if seq % SNAPSHOT_EVERY == 0 {
            self.snapshot_due = true;
        }
        Ok(())
    }

    /// Makes every recorded statement durable. Until this returns, none of
    /// them may be reported as done.
    pub fn commit(self) -> Result<(), StoreError> {
        let Some(tx) = self.tx else {
            // Read-only: nothing was recorded.
            return Ok(());
        };
        if self.snapshot_due {
            let state = serde_json::to_string(&self.project.state)
                .map_err(|e| corrupt(self.project.state.name(), self.project.seq, e.to_string()))?;
            tx.conn.execute(
                "INSERT INTO snapshots (project, seq, state) VALUES (?1, ?2, ?3)
                 ON CONFLICT(project) DO UPDATE SET seq = excluded.seq, state = excluded.state",
                params![self.project.state.name(), self.project.seq, state],
            )?;
        }
        tx.commit()?;
        Ok(())
    }
}

/// Whether opening or setting up a store failed because it cannot be
/// written (or, in a read-only folder, its WAL files cannot be made).
fn is_read_only_error(e: &StoreError) -> bool {
    let source = match e {
        StoreError::Open { source, .. } | StoreError::Sqlite(source) => source,
        StoreError::ReadOnly { .. } => return true,
        _ => return false,
    };
    matches!(
        source.sqlite_error_code(),
        Some(
            rusqlite::ErrorCode::ReadOnly
                | rusqlite::ErrorCode::CannotOpen
                | rusqlite::ErrorCode::PermissionDenied
        )
    )
}

/// A `file:` URI for SQLite naming `path` (made absolute), with the bytes
/// a URI gives meaning to escaped.
fn file_uri(path: &Path) -> String {
    let absolute = std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf());
    let mut uri = String::from("file:");
    for b in absolute.as_os_str().as_encoded_bytes() {
        match b {
            b'%' | b'?' | b'#' | 0..=0x20 | 0x7f..=0xff => uri.push_str(&format!("%{b:02X}")),
            _ => uri.push(char::from(*b)),
        }
    }
    uri
}

/// Reads the latest snapshot and replays the statements after it.
fn load(conn: &Connection, name: &str, owner: PrincipalId) -> Result<Project, StoreError> {
    let snapshot: Option<(i64, String)> = conn
        .query_row(
            "SELECT seq, state FROM snapshots WHERE project = ?1",
            [name],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .optional()?;
    let mut project = match snapshot {
        Some((seq, json)) => {
            let state =
                serde_json::from_str(&json).map_err(|e| corrupt(name, seq, e.to_string()))?;
            Project { state, seq }
        }
        None => Project {
            state: ProjectState::new(name, owner),
            seq: 0,
        },
    };
    catch_up(conn, &mut project)?;
    Ok(project)
}

/// Applies the statements committed after `project.seq`.
fn catch_up(conn: &Connection, project: &mut Project) -> Result<(), StoreError> {
    let mut stmt = conn.prepare_cached(CATCH_UP)?;
    let mut rows = stmt.query(params![project.state.name(), project.seq])?;
    while let Some(row) = rows.next()? {
        let seq: i64 = row.get(0)?;
        let json: String = row.get(1)?;
        let changes: Vec<Change> = serde_json::from_str(&json)
            .map_err(|e| corrupt(project.state.name(), seq, e.to_string()))?;
        for change in &changes {
            apply(&mut project.state, change);
        }
        project.seq = seq;
    }
    Ok(())
}

fn corrupt(project: &str, seq: i64, detail: String) -> StoreError {
    StoreError::Corrupt {
        project: project.to_owned(),
        seq,
        detail,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::schema::SCHEMA_VERSION;
    use mcauth_engine::{Provider, StateView};

    /// Records `add accountprovider ram;` in `batch`.
    fn add_ram(batch: &mut Batch<'_>) {
        let change = Change::AddProvider {
            provider: Provider::Ram,
        };
        batch
            .record("add accountprovider ram;", &[change])
            .expect("record");
    }

    fn owner() -> PrincipalId {
        PrincipalId::aliyun("owner@example.com")
    }

    fn temp_path(name: &str) -> PathBuf {
        let dir = std::env::temp_dir().join(format!("mcauth-store-{}-{name}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        dir.join("sub/mcauth.db")
    }

    /// Several writers opening a new store at the same moment (`--jobs`,
    /// or processes started together) all get it: the loser of the race
    /// to set it up tries again instead of failing "busy".
    #[test]
    fn writers_opening_a_new_store_together_all_get_it() {
        for round in 0..10 {
            let path = temp_path(&format!("race-{round}"));
            let barrier = std::sync::Arc::new(std::sync::Barrier::new(6));
            let handles: Vec<_> = (0..6)
                .map(|i| {
                    let (path, barrier) = (path.clone(), barrier.clone());
                    std::thread::spawn(move || {
                        barrier.wait();
                        let mut store = Store::open(&path)?;
                        store.project(&format!("p{i}"), &owner()).map(|_| ())
                    })
                })
                .collect();
            for h in handles {
                let result = h.join().expect("no panic");
                assert!(result.is_ok(), "round {round}: {result:?}");
            }
            let _ = std::fs::remove_dir_all(path.parent().unwrap().parent().unwrap());
        }
    }

    #[test]
    fn history_gives_each_statement_with_its_changes() {
        let mut store = Store::open_in_memory().expect("store");
        let mut project = store.project("p", &owner()).expect("project");
        let mut batch = store.begin(&mut project).expect("begin");
        add_ram(&mut batch);
        batch.commit().expect("commit");
        let mut seen = Vec::new();
        store
            .history("p", |seq, text, changes| {
                seen.push((seq, text.to_owned(), changes.len()))
            })
            .expect("history");
        assert_eq!(seen.len(), 1);
        assert_eq!(seen[0].1, "add accountprovider ram;");
        assert_eq!(seen[0].2, 1);
    }

    #[test]
    fn projects_are_created_on_first_use_and_persist() {
        let path = temp_path("persist");
        {
            let mut store = Store::open(&path).unwrap();
            let mut project = store.project("dev", &owner()).unwrap();
            let mut batch = store.begin(&mut project).unwrap();
            add_ram(&mut batch);
            batch.record("list users;", &[]).unwrap();
            batch.commit().unwrap();
            assert_eq!(project.seq(), 1);
        }
        let mut store = Store::open(&path).unwrap();
        assert_eq!(store.projects().unwrap(), vec!["dev".to_owned()]);
        let project = store
            .project("dev", &PrincipalId::aliyun("someone-else"))
            .unwrap();
        assert!(project.state().has_provider(Provider::Ram));
        assert_eq!(project.state().owner(), &owner(), "the first owner stays");
        let _ = std::fs::remove_dir_all(path.parent().unwrap().parent().unwrap());
    }

    #[test]
    fn an_uncommitted_batch_leaves_nothing() {
        let path = temp_path("rollback");
        let mut store = Store::open(&path).unwrap();
        let mut project = store.project("dev", &owner()).unwrap();
        {
            let mut batch = store.begin(&mut project).unwrap();
            add_ram(&mut batch);
            // dropped without commit
        }
        let reloaded = Store::open(&path)
            .unwrap()
            .project("dev", &owner())
            .unwrap();
        assert!(!reloaded.state().has_provider(Provider::Ram));
        let _ = std::fs::remove_dir_all(path.parent().unwrap().parent().unwrap());
    }

    #[test]
    fn a_second_connection_sees_the_first_ones_commits() {
        let path = temp_path("two");
        let mut a = Store::open(&path).unwrap();
        let mut b = Store::open(&path).unwrap();
        let mut pa = a.project("dev", &owner()).unwrap();
        let mut pb = b.project("dev", &owner()).unwrap();
        let mut batch = a.begin(&mut pa).unwrap();
        add_ram(&mut batch);
        batch.commit().unwrap();
        let batch = b.begin(&mut pb).unwrap();
        assert!(
            batch.state().has_provider(Provider::Ram),
            "catching up happens under the write lock"
        );
        drop(batch);
        assert_eq!(pb.seq(), 1);
        let _ = std::fs::remove_dir_all(path.parent().unwrap().parent().unwrap());
    }

    #[test]
    fn refresh_reads_what_another_connection_committed() {
        let path = temp_path("refresh");
        let mut a = Store::open(&path).unwrap();
        let mut b = Store::open(&path).unwrap();
        let mut pa = a.project("dev", &owner()).unwrap();
        let mut pb = b.project("dev", &owner()).unwrap();
        b.refresh(&mut pb).unwrap();
        assert_eq!(pb.seq(), 0);
        for provider in [Provider::Ram, Provider::Aliyun] {
            let mut batch = a.begin(&mut pa).unwrap();
            batch
                .record(
                    "add accountprovider …;",
                    &[Change::AddProvider { provider }],
                )
                .unwrap();
            batch.commit().unwrap();
            b.refresh(&mut pb).unwrap();
            assert!(pb.state().has_provider(provider));
        }
        assert_eq!(pb.seq(), 2);
        assert_eq!(pb.state(), pa.state());
        b.refresh(&mut pb).unwrap();
        assert_eq!(pb.seq(), 2, "nothing new, nothing replayed");
        let _ = std::fs::remove_dir_all(path.parent().unwrap().parent().unwrap());
    }

    #[test]
    fn a_dropped_batch_releases_the_write_lock() {
        let path = temp_path("release");
        let mut a = Store::open(&path).unwrap();
        let mut b = Store::open(&path).unwrap();
        let mut pa = a.project("dev", &owner()).unwrap();
        let mut pb = b.project("dev", &owner()).unwrap();
        for _ in 0..3 {
            // Both connections take turns: each drop must roll back and
            // unlock, or the other's BEGIN IMMEDIATE would time out (and
            // this connection's own next BEGIN would fail).
            drop(a.begin(&mut pa).unwrap());
            drop(b.begin(&mut pb).unwrap());
        }
        assert!(a.conn.is_autocommit() && b.conn.is_autocommit());
        let mut batch = a.begin(&mut pa).unwrap();
        add_ram(&mut batch);
        batch.commit().unwrap();
        assert!(a.conn.is_autocommit());
        let batch = b.begin(&mut pb).unwrap();
        assert!(batch.state().has_provider(Provider::Ram));
        drop(batch);
        let _ = std::fs::remove_dir_all(path.parent().unwrap().parent().unwrap());
    }

    #[test]
    fn snapshots_bound_the_replay_and_load_the_same_state() {
        let mut store = Store::open_in_memory().unwrap();
        let mut project = store.project("dev", &owner()).unwrap();
        let mut batch = store.begin(&mut project).unwrap();
        for i in 0..SNAPSHOT_EVERY + 5 {
            let member = PrincipalId::aliyun(&format!("u{i}@example.com"));
            batch
                .record("add user …;", &[Change::AddMember { principal: member }])
                .unwrap();
        }
        batch.commit().unwrap();
        let snapshot_seq: i64 = store
            .conn
            .query_row("SELECT seq FROM snapshots", [], |r| r.get(0))
            .unwrap();
        assert_eq!(snapshot_seq, SNAPSHOT_EVERY + 5);
        let reloaded = store.project("dev", &owner()).unwrap();
        assert_eq!(reloaded.state(), project.state());
    }

    #[test]
    fn the_wal_is_checkpointed_every_few_thousand_pages() {
        let path = temp_path("checkpoint");
        let store = Store::open(&path).unwrap();
        let (mode, pages): (String, i64) = (
            store
                .conn
                .query_row("PRAGMA journal_mode", [], |r| r.get(0))
                .unwrap(),
            store
                .conn
                .query_row("PRAGMA wal_autocheckpoint", [], |r| r.get(0))
                .unwrap(),
        );
        assert_eq!((mode.as_str(), pages), ("wal", WAL_AUTOCHECKPOINT_PAGES));
        let _ = std::fs::remove_dir_all(path.parent().unwrap().parent().unwrap());
    }

    #[test]
    fn a_newer_schema_is_refused() {
        let path = temp_path("newer");
        drop(Store::open(&path).unwrap());
        let conn = Connection::open(&path).unwrap();
        conn.pragma_update(None, "user_version", SCHEMA_VERSION + 1)
            .unwrap();
        drop(conn);
        match Store::open(&path) {
            Err(StoreError::NewerSchema { found, known, .. }) => {
                assert_eq!((found, known), (SCHEMA_VERSION + 1, SCHEMA_VERSION))
            }
            other => panic!("expected NewerSchema, got {:?}", other.err()),
        }
        let _ = std::fs::remove_dir_all(path.parent().unwrap().parent().unwrap());
    }

    #[test]
    fn a_damaged_user_version_is_named() {
        for (version, detail) in [
            (-3, "negative"),
            (123_456, "far past"),
            (SCHEMA_VERSION, "table is missing"),
        ] {
            let path = temp_path(&format!("damaged{version}"));
            drop(Store::open(&path).unwrap());
            let conn = Connection::open(&path).unwrap();
            conn.pragma_update(None, "user_version", version).unwrap();
            if version == SCHEMA_VERSION {
                conn.execute_batch("DROP TABLE snapshots").unwrap();
            }
            drop(conn);
            for opened in [Store::open(&path), Store::open_read_only(&path)] {
                match opened {
                    Err(e @ StoreError::DamagedSchema { .. }) => {
                        assert!(e.to_string().contains(detail), "{e}");
                        let code = miette::Diagnostic::code(&e).unwrap().to_string();
                        assert_eq!(code, "mcauth::store::damaged_schema");
                    }
                    other => panic!("{version}: expected DamagedSchema, got {:?}", other.err()),
                }
            }
            let _ = std::fs::remove_dir_all(path.parent().unwrap().parent().unwrap());
        }
    }

    /// A read-only connection, as `Store::open` falls back to when the
    /// file or folder is read-only. (Its permissions cannot show this when
    /// tests run as root, whom they do not stop; SQLite's read-only open
    /// does. tests/cli/robustness.rs drives the fallback through the file
    /// system, as another user when it runs as root.)
    #[test]
    fn a_read_only_store_serves_reads_and_refuses_changes() {
        let path = temp_path("read-only");
        {
            let mut store = Store::open(&path).unwrap();
            let mut project = store.project("dev", &owner()).unwrap();
            let mut batch = store.begin(&mut project).unwrap();
            let change = Change::AddProvider {
                provider: Provider::Ram,
            };
            batch.record("add accountprovider ram;", &[change]).unwrap();
            batch.commit().unwrap();
        }
        let mut store = Store::open_read_only(&path).unwrap();
        assert!(store.is_read_only());
        let mut project = store.project("dev", &owner()).unwrap();
        assert!(project.state().has_provider(Provider::Ram));
        store.refresh(&mut project).unwrap();
        // A project it lacks is new and empty, and not written.
        let other = store.project("other", &owner()).unwrap();
        assert_eq!(other.seq(), 0);
        assert_eq!(store.projects().unwrap(), vec!["dev".to_owned()]);
        let mut batch = store.begin(&mut project).unwrap();
        batch.record("list users;", &[]).unwrap();
        let refused = batch.record(
            "remove accountprovider ram;",
            &[Change::RemoveProvider {
                provider: Provider::Ram,
            }],
        );
        assert!(matches!(refused, Err(StoreError::ReadOnly { .. })));
        batch.commit().unwrap();
        // Immutable, as in a read-only folder without the WAL's files.
        let uri = format!("{}?immutable=1", file_uri(&path));
        let conn = Connection::open_with_flags(
            &uri,
            rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY | rusqlite::OpenFlags::SQLITE_OPEN_URI,
        )
        .unwrap();
        let n: i64 = conn
            .query_row("SELECT count(*) FROM projects", [], |r| r.get(0))
            .unwrap();
        assert_eq!(n, 1);
        let _ = std::fs::remove_dir_all(path.parent().unwrap().parent().unwrap());
    }

    #[test]
    fn a_file_that_is_not_a_store_is_refused() {
        let path = temp_path("garbage");
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(
            &path,
            b"this is not sqlite at all, just some text that is long enough",
        )
        .unwrap();
        assert!(matches!(
            Store::open(&path),
            Err(StoreError::NotAStore { .. })
        ));
        let _ = std::fs::remove_dir_all(path.parent().unwrap().parent().unwrap());
    }
}
