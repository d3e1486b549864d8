//! Store errors, with stable codes.

use std::path::PathBuf;

#[derive(Debug, thiserror::Error, miette::Diagnostic)]
pub enum StoreError {
    #[error("cannot open the store {path}: {source}")]
    #[diagnostic(
        code(mcauth::store::open),
        help("check the path, or choose another with --store PATH or MCAUTH_STORE")
    )]
    Open {
        path: PathBuf,
        source: rusqlite::Error,
    },

    #[error("cannot create the folder {path} for the store: {source}")]
    #[diagnostic(
        code(mcauth::store::create_dir),
        help("choose another place with --store PATH or MCAUTH_STORE")
    )]
    CreateDir {
        path: PathBuf,
        source: std::io::Error,
    },

    #[error(
        "the store {path} was written by a newer mcauth (schema version {found}; this mcauth knows up to {known})"
    )]
    #[diagnostic(
        code(mcauth::store::newer_schema),
        help("upgrade mcauth, or point --store at another file")
    )]
    NewerSchema {
        path: PathBuf,
        found: i64,
        known: i64,
    },

    #[error(
        "the store {path} is damaged: its schema version (PRAGMA user_version) is {found}, {detail}"
    )]
    #[diagnostic(
        code(mcauth::store::damaged_schema),
        help(
            "the file was changed outside mcauth; restore it from a copy, or point --store at another file"
        )
    )]
    DamagedSchema {
        path: PathBuf,
        found: i64,
        detail: String,
    },

    #[error("the store {path} is read-only: it can be read, not changed")]
    #[diagnostic(
        code(mcauth::store::read_only),
        help(
            "make the file and its folder writable, or point --store at another file; --dry-run and reading statements work as it is"
        )
    )]
    ReadOnly { path: PathBuf },

    #[error("{path} is not an mcauth store")]
    #[diagnostic(
        code(mcauth::store::not_a_store),
        help("point --store at an mcauth store, or at a new file")
    )]
    NotAStore { path: PathBuf },

    #[error("the store is busy: another mcauth process holds it for too long")]
    #[diagnostic(
        code(mcauth::store::busy),
        help("try again when the other process has finished")
    )]
    Busy,

    #[error("store error: {0}")]
    #[diagnostic(code(mcauth::store::sqlite))]
    Sqlite(#[source] rusqlite::Error),

    #[error(
        "the store holds a record it cannot read (project {project}, statement {seq}): {detail}"
    )]
    #[diagnostic(
        code(mcauth::store::corrupt),
        help("the file was changed outside mcauth; restore it from a copy")
    )]
    Corrupt {
        project: String,
        seq: i64,
        detail: String,
    },
}

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
