//! mcauth-engine
