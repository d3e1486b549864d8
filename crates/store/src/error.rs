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

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("cannot open the store {path}: {source}")]
    Open {
        path: PathBuf,
        source: rusqlite::Error,
    },

    #[error("cannot create the folder {path} for the store: {source}")]
    CreateDir {
        path: PathBuf,
        source: std::io::Error,
    },

    #[error(
        "the store {path} was written by a newer mcauth (schema version {found}; this mcauth knows up to {known})"
    )]
    NewerSchema {
        path: PathBuf,
        found: i64,
        known: i64,
    },

    #[error(
        "the store {path} is damaged: its schema version (PRAGMA user_version) is {found}, {detail}"
    )]
    DamagedSchema {
        path: PathBuf,
        found: i64,
        detail: String,
    },

    #[error("the store {path} is read-only: it can be read, not changed")]
    ReadOnly { path: PathBuf },

    #[error("{path} is not an mcauth store")]
    NotAStore { path: PathBuf },

    #[error("the store is busy: another mcauth process holds it for too long")]
    Busy,

    #[error("store error: {0}")]
    Sqlite(#[source] rusqlite::Error),

    #[error(
        "the store holds a record it cannot read (project {project}, statement {seq}): {detail}"
    )]
    Corrupt {
        project: String,
        seq: i64,
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
