//! mcauth-store
