//! The owner of a table, read from its metadata (`GET
//! /projects/{p}/tables/{t}`, docs/wire-protocol.md#table-metadata): who
//! created it, for the ObjectCreator layer of `mcauth why` and `who-can`.
//! The security language has no statement that shows it.
//!
//! **Not read is never absent:** a table the service does not show (404)
//! or an answer that names no owner gives `None`, "not known", never "no
//! creator".

use mcauth_engine::PrincipalId;

use crate::remote::RemoteSession;

impl RemoteSession {
    /// The owner of table `table` of the session's project, where the
    /// service shows it; `Err` says why it could not be read (other than
    /// a table the service does not show).
    pub fn table_owner(&self, table: &str) -> Result<Option<PrincipalId>, String> {
        match self
            .rt
            .block_on(self.client.table_meta(&self.project, table))
        {
            Ok(meta) => Ok(meta.owner.and_then(|o| PrincipalId::parse(&o, ""))),
            Err(e) if e.is_not_found() => Ok(None),
            Err(e) => Err(crate::diagnostics::one_line(&e)),
        }
    }
}
