//! mcauth-syntax
