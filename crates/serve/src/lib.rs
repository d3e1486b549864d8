//! mcauth-serve
