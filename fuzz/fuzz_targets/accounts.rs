//! Any text as accounts.toml: it loads or is refused with an error, never
//! a panic.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    if let Ok(accounts) = mcauth_serve::Accounts::parse(text, "accounts.toml") {
        let _ = accounts.access_ids();
        let _ = accounts.ram_policies();
        for a in accounts.accounts() {
            let _ = accounts.account_id(&a.name);
        }
    }
});
