//! V4 key derivation: a chain of HMAC-SHA256 over the scope date, region,
//! service and the terminator, starting from `<corp>_v4` + secret.

use hmac::{Hmac, Mac};
use sha2::Sha256;

use crate::secret::Secret;

/// The service name in the credential scope.
pub const SERVICE: &str = "odps";

/// `aliyun` → `aliyun_v4`: the prefix of the initial key and of the
/// `<prefix>_request` terminator.
pub fn prefix_for(corporation: &str) -> String {
    format!("{corporation}_v4")
}

/// The derived HMAC-SHA1 key for one scope.
pub fn signing_key(prefix: &str, secret: &Secret, date: &str, region: &str) -> [u8; 32] {
    let k_secret = format!("{prefix}{}", secret.expose());
    let k_date = hmac256(k_secret.as_bytes(), date);
    let k_region = hmac256(&k_date, region);
    let k_service = hmac256(&k_region, SERVICE);
    hmac256(&k_service, &format!("{prefix}_request"))
}

fn hmac256(key: &[u8], data: &str) -> [u8; 32] {
    match Hmac::<Sha256>::new_from_slice(key) {
        Ok(mut m) => {
            m.update(data.as_bytes());
            m.finalize().into_bytes().into()
        }
        // Unreachable: HMAC takes keys of any length.
        Err(_) => [0; 32],
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hex(bytes: &[u8]) -> String {
        bytes.iter().map(|b| format!("{b:02x}")).collect()
    }

    #[test]
    fn derives_the_vector_key() {
        let key = signing_key(
            "aliyun_v4",
            &Secret::new("TestAccessKeySecret0123456789ab"),
            "20260805",
            "cn-hangzhou",
        );
        assert_eq!(
            hex(&key),
            "26b03b8e40634610f624b36af79703a9eb720f6591e193688d5291acff2fd2ba"
        );
    }

    #[test]
    fn corporation_changes_the_key() {
        let s = Secret::new("x");
        assert_ne!(
            signing_key(&prefix_for("aliyun"), &s, "20260805", "cn-local"),
            signing_key(&prefix_for("apsara"), &s, "20260805", "cn-local")
        );
    }
}
