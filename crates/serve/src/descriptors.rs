//! The open-file limit and the connection cap.
//!
//! Every connection, held or being refused, is an open file. With the
//! soft `RLIMIT_NOFILE` below the cap (1,024 is a common default), the
//! operating system would refuse connections before the cap is reached:
//! no `503`, only clients left waiting in the listen backlog. So at start
//! the soft limit is raised toward what the cap needs (never past the hard
//! limit), and if that is not enough the cap and the number of refusals
//! in flight are lowered to what fits, and the banner says so.

/// Files kept open besides connections: the listener, the store and its
/// journal, standard streams, the runtime's own.
const BASE: u64 = 64;

/// What fits: connections served at once and refusals in flight.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Fit {
    /// Connections served at once.
    pub max_connections: usize,
    /// Connections past the cap being answered `503` at once.
    pub max_refusing: usize,
    /// The open-file limit when it lowered either of them.
    pub lowered_by: Option<u64>,
}

/// Raises the soft open-file limit toward `max_connections +
/// max_refusing` (plus [`BASE`]) and answers what fits under it.
pub(crate) fn fit(max_connections: usize, max_refusing: usize) -> Fit {
    let wanted = as_u64(max_connections)
        .saturating_add(as_u64(max_refusing))
        .saturating_add(BASE);
    split(raise_soft_limit(wanted), max_connections, max_refusing)
}

fn as_u64(n: usize) -> u64 {
    u64::try_from(n).unwrap_or(u64::MAX)
}

/// The cap and the refusals under an open-file limit of `limit` (`None`:
/// unlimited): as asked when they fit, otherwise three quarters of what
/// is left after [`BASE`] for connections and a quarter for refusals, at
/// least one each.
fn split(limit: Option<u64>, max_connections: usize, max_refusing: usize) -> Fit {
    let wanted = as_u64(max_connections)
        .saturating_add(as_u64(max_refusing))
        .saturating_add(BASE);
    match limit {
        Some(limit) if limit < wanted => {
            let room = usize::try_from(limit.saturating_sub(BASE)).unwrap_or(usize::MAX);
            let connections = (room / 4 * 3).clamp(1, max_connections.max(1));
            let refusing = room
                .saturating_sub(connections)
                .clamp(1, max_refusing.max(1));
            Fit {
                max_connections: connections,
                max_refusing: refusing,
                lowered_by: Some(limit),
            }
        }
        _ => Fit {
            max_connections,
            max_refusing,
            lowered_by: None,
        },
    }
}

/// Raises the soft limit to `wanted` (or the hard limit, if lower) and
/// answers the soft limit then in force (`None`: unlimited).
#[cfg(unix)]
fn raise_soft_limit(wanted: u64) -> Option<u64> {
    use rustix::process::{Resource, Rlimit, getrlimit, setrlimit};
    let now = getrlimit(Resource::Nofile);
    let current = now.current?;
    if current >= wanted {
        return Some(current);
    }
    let target = now.maximum.map_or(wanted, |hard| hard.min(wanted));
    if target > current {
        // Refused (a sandbox, say): the limit stays as it was.
        let _ = setrlimit(
            Resource::Nofile,
            Rlimit {
                current: Some(target),
                maximum: now.maximum,
            },
        );
    }
    getrlimit(Resource::Nofile).current
}

/// Elsewhere connections are not files counted by such a limit.
#[cfg(not(unix))]
fn raise_soft_limit(_wanted: u64) -> Option<u64> {
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn what_fits_is_kept_as_asked() {
        let asked = Fit {
            max_connections: 4096,
            max_refusing: 256,
            lowered_by: None,
        };
        assert_eq!(split(None, 4096, 256), asked);
        assert_eq!(split(Some(1 << 20), 4096, 256), asked);
        assert_eq!(split(Some(4096 + 256 + BASE), 4096, 256), asked);
    }

    #[test]
    fn a_low_limit_lowers_the_cap_and_the_refusals() {
        let fit = split(Some(1024), 4096, 256);
        assert_eq!(fit.lowered_by, Some(1024));
        assert_eq!(fit.max_connections, 720);
        assert_eq!(fit.max_refusing, 240);
        assert!(as_u64(fit.max_connections + fit.max_refusing) + BASE <= 1024);
        // Tiny limits still serve one and refuse one.
        let tiny = split(Some(10), 4096, 256);
        assert_eq!((tiny.max_connections, tiny.max_refusing), (1, 1));
        // A cap below what the limit allows is not raised.
        let small = split(Some(200), 8, 256);
        assert_eq!(small.max_connections, 8);
        assert!(small.max_refusing <= 256 && small.max_refusing >= 1);
    }

    #[test]
    fn the_soft_limit_is_raised_for_what_is_asked() {
        // The test process's own limit: whatever it is, asking for no
        // more than it allows changes nothing.
        let fit = fit(1, 1);
        assert_eq!((fit.max_connections, fit.max_refusing), (1, 1));
    }
}
