//! mcauth-odps
