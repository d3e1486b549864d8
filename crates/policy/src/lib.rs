//! mcauth-policy
