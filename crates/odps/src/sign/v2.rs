//! The signature itself: base64(HMAC-SHA1(key, StringToSign)). V2 keys it
//! with the AccessKey secret, V4 with the derived key from [`super::v4`].

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use hmac::{Hmac, Mac};
use sha1::Sha1;

/// base64 of HMAC-SHA1(`key`, `string_to_sign`).
pub fn signature(key: &[u8], string_to_sign: &str) -> String {
    STANDARD.encode(mac(key, string_to_sign))
}

/// The raw HMAC-SHA1 bytes.
pub fn mac(key: &[u8], string_to_sign: &str) -> [u8; 20] {
    // HMAC accepts keys of any length, so `new_from_slice` cannot fail; the
    // fallback keeps this path panic-free all the same.
    match Hmac::<Sha1>::new_from_slice(key) {
        Ok(mut m) => {
            m.update(string_to_sign.as_bytes());
            m.finalize().into_bytes().into()
        }
        Err(_) => [0; 20],
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn go_sdk_vector() {
        // aliyun-odps-go-sdk TestGenerateSignatureV2.
        assert_eq!(
            signature(b"my-secret-key", "testdata"),
            "iAcVTeAghMtN74BeKwFTj/pgFEA="
        );
    }
}
