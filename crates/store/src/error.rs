//! Store errors, each of one stable code of [`StoreCode`].

use std::path::PathBuf;

mcauth_codes::catalogue! {
    /// The stable codes of store errors.
    pub enum StoreCode in "mcauth::store::" {
        /// The store file cannot be opened.
        Open => "open",
            help "check the path, or choose another with --store PATH or MCAUTH_STORE";
        /// The folder for a new store cannot be created.
        CreateDir => "create_dir",
            help "choose another place with --store PATH or MCAUTH_STORE";
        /// The store was written by a newer mcauth.
        NewerSchema => "newer_schema",
            help "upgrade mcauth, or point --store at another file";
        /// The store's schema version is one no mcauth writes.
        DamagedSchema => "damaged_schema",
            help "the file was changed outside mcauth; restore it from a copy, or point --store at another file";
        /// A change to a store that can only be read.
        ReadOnly => "read_only",
            help "make the file and its folder writable, or point --store at another file; --dry-run and reading statements work as it is";
        /// The file is not an mcauth store.
        NotAStore => "not_a_store",
            help "point --store at an mcauth store, or at a new file";
        /// Another mcauth process held the store for too long.
        Busy => "busy",
            help "try again when the other process has finished";
        /// SQLite failed.
        Sqlite => "sqlite";
        /// The store holds a record mcauth cannot read.
        Corrupt => "corrupt",
            help "the file was changed outside mcauth; restore it from a copy";
    }
}

/// Why the store could not do what was asked; [`StoreError::code`] names
/// its kind.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// SQLite could not open the file.
    #[error("cannot open the store {path}: {source}")]
    Open {
        /// The store file.
        path: PathBuf,
        /// SQLite's reason.
        source: rusqlite::Error,
    },

    /// The folder that would hold a new store could not be created.
    #[error("cannot create the folder {path} for the store: {source}")]
    CreateDir {
        /// The folder.
        path: PathBuf,
        /// The operating system's reason.
        source: std::io::Error,
    },

    /// The file's schema is newer than this mcauth's.
    #[error(
        "the store {path} was written by a newer mcauth (schema version {found}; this mcauth knows up to {known})"
    )]
    NewerSchema {
        /// The store file.
        path: PathBuf,
        /// The file's schema version.
        found: i64,
        /// The newest schema version this mcauth knows.
        known: i64,
    },

    /// The file's schema version is one no mcauth writes (negative or far
    /// past any), or a known one whose tables are missing.
    #[error(
        "the store {path} is damaged: its schema version (PRAGMA user_version) is {found}, {detail}"
    )]
    DamagedSchema {
        /// The store file.
        path: PathBuf,
        /// The schema version it claims.
        found: i64,
        /// Why that version cannot be.
        detail: String,
    },

    /// A change was asked of a store opened read-only.
    #[error("the store {path} is read-only: it can be read, not changed")]
    ReadOnly {
        /// The store file.
        path: PathBuf,
    },

    /// The file is an SQLite database without mcauth's tables, or no
    /// database at all.
    #[error("{path} is not an mcauth store")]
    NotAStore {
        /// The file.
        path: PathBuf,
    },

    /// Another process held the write lock past the busy timeout.
    #[error("the store is busy: another mcauth process holds it for too long")]
    Busy,

    /// Any other SQLite failure.
    #[error("store error: {0}")]
    Sqlite(#[source] rusqlite::Error),

    /// A record does not decode (a logged statement, a snapshot, a
    /// project's owner), or SQLite's integrity check failed.
    #[error(
        "the store holds a record it cannot read (project {project}, statement {seq}): {detail}"
    )]
    Corrupt {
        /// The project the record belongs to (`*` when the whole file
        /// failed the integrity check).
        project: String,
        /// The record's position in the project's log (0 when the record is
        /// not a logged statement).
        seq: i64,
        /// What does not decode.
        detail: String,
    },
}

impl StoreError {
    /// The stable code of this error.
    pub fn code(&self) -> StoreCode {
        match self {
            StoreError::Open { .. } => StoreCode::Open,
            StoreError::CreateDir { .. } => StoreCode::CreateDir,
            StoreError::NewerSchema { .. } => StoreCode::NewerSchema,
            StoreError::DamagedSchema { .. } => StoreCode::DamagedSchema,
            StoreError::ReadOnly { .. } => StoreCode::ReadOnly,
            StoreError::NotAStore { .. } => StoreCode::NotAStore,
            StoreError::Busy => StoreCode::Busy,
            StoreError::Sqlite(_) => StoreCode::Sqlite,
            StoreError::Corrupt { .. } => StoreCode::Corrupt,
        }
    }
}

impl mcauth_codes::Coded for StoreError {
    fn entry(&self) -> mcauth_codes::Entry {
        self.code().entry()
    }
}

mcauth_codes::diagnostic!(StoreError);

impl From<rusqlite::Error> for StoreError {
    fn from(e: rusqlite::Error) -> Self {
        match e.sqlite_error_code() {
            Some(rusqlite::ErrorCode::DatabaseBusy | rusqlite::ErrorCode::DatabaseLocked) => {
                StoreError::Busy
            }
            _ => StoreError::Sqlite(e),
        }
    }
}
