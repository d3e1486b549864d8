//! IP networks for the IpAddress and NotIpAddress operators.

use std::net::IpAddr;

/// An address with a prefix length: `192.168.0.0/16`, `10.0.0.1` (a /32) or `2001:db8::/32`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct IpNet {
    addr: IpAddr,
    prefix: u8,
}

impl IpNet {
    /// Parses an address or a CIDR block.
    pub fn parse(text: &str) -> Option<IpNet> {
        let text = text.trim();
        let (addr, prefix) = match text.split_once('/') {
            Some((a, p)) => (a, Some(p)),
            None => (text, None),
        };
        let addr: IpAddr = addr.parse().ok()?;
        let max = if addr.is_ipv4() { 32 } else { 128 };
        let prefix = match prefix {
            Some(p) if !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit()) => p.parse().ok()?,
            Some(_) => return None,
            None => max,
        };
        (prefix <= max).then_some(IpNet { addr, prefix })
    }

    /// Whether `ip` lies in this network.
    pub fn contains(&self, ip: IpAddr) -> bool {
        match (self.addr, ip) {
            (IpAddr::V4(net), IpAddr::V4(ip)) => same_prefix(
                u128::from(u32::from(net)),
                u128::from(u32::from(ip)),
                self.prefix,
                32,
            ),
            (IpAddr::V6(net), IpAddr::V6(ip)) => {
                same_prefix(u128::from(net), u128::from(ip), self.prefix, 128)
            }
            (IpAddr::V4(_), IpAddr::V6(ip)) => ip
                .to_ipv4_mapped()
                .is_some_and(|v4| self.contains(IpAddr::V4(v4))),
            (IpAddr::V6(_), IpAddr::V4(_)) => false,
        }
    }
}

fn same_prefix(a: u128, b: u128, prefix: u8, bits: u8) -> bool {
    let shift = u32::from(bits.saturating_sub(prefix));
    a.checked_shr(shift).unwrap_or(0) == b.checked_shr(shift).unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ip(s: &str) -> IpAddr {
        s.parse()
            .unwrap_or(IpAddr::V4(std::net::Ipv4Addr::UNSPECIFIED))
    }

    #[test]
    fn cidr_blocks_contain_their_addresses() {
        let net = IpNet::parse("192.168.0.0/16");
        assert!(net.is_some_and(|n| n.contains(ip("192.168.3.4"))));
        assert!(net.is_some_and(|n| !n.contains(ip("192.169.0.1"))));
        assert!(IpNet::parse("10.0.0.1").is_some_and(|n| n.contains(ip("10.0.0.1"))));
        assert!(IpNet::parse("10.0.0.1").is_some_and(|n| !n.contains(ip("10.0.0.2"))));
        assert!(IpNet::parse("0.0.0.0/0").is_some_and(|n| n.contains(ip("8.8.8.8"))));
        assert!(IpNet::parse("2001:db8::/32").is_some_and(|n| n.contains(ip("2001:db8::1"))));
        assert!(IpNet::parse("10.0.0.0/8").is_some_and(|n| n.contains(ip("::ffff:10.1.2.3"))));
    }

    #[test]
    fn malformed_blocks_are_rejected() {
        for bad in [
            "",
            "10.0.0.0/33",
            "10.0.0/8",
            "10.0.0.0/",
            "10.0.0.0/x",
            "::/129",
            "host",
        ] {
            assert_eq!(IpNet::parse(bad), None, "{bad}");
        }
    }
}
