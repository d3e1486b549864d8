//! Timeouts, retry and polling policies. The defaults follow the SDKs'
//! (docs/wire-protocol.md#retries-and-timeouts): Java's connect timeout,
//! Go's request timeout, PyODPS's five attempts from 100 ms, and only
//! idempotent requests or ones that never reached the server retried.

use std::time::Duration;

/// Per-request timeouts.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Timeouts {
    /// TCP (and TLS) connection establishment. Default 10 s.
    pub connect: Duration,
    /// One whole request, from sending to the end of the body. Default 60 s.
    pub request: Duration,
}

impl Default for Timeouts {
    fn default() -> Self {
        Self {
            connect: Duration::from_secs(10),
            request: Duration::from_secs(60),
        }
    }
}

/// Retries of idempotent requests (GETs) and of requests that never reached
/// the server: exponential backoff with jitter, bounded in attempts and time.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RetryPolicy {
    /// Attempts in all, the first included. Default 5.
    pub max_attempts: u32,
    /// Backoff before the first retry. Default 100 ms.
    pub base_delay: Duration,
    /// Upper bound of one backoff. Default 3 s.
    pub max_delay: Duration,
    /// No retry starts after this much time since the first attempt. Default 30 s.
    pub max_total: Duration,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        Self {
            max_attempts: 5,
            base_delay: Duration::from_millis(100),
            max_delay: Duration::from_secs(3),
            max_total: Duration::from_secs(30),
        }
    }
}

impl RetryPolicy {
    /// No retries at all.
    pub fn none() -> Self {
        Self {
            max_attempts: 1,
            ..Self::default()
        }
    }

    /// The backoff after `failures` failed attempts (1 for the first), before
    /// jitter: `base · 2^(failures-1)`, capped at `max_delay`.
    pub fn backoff(&self, failures: u32) -> Duration {
        exponential(self.base_delay, self.max_delay, failures)
    }

    /// [`Self::backoff`] with "equal jitter": uniformly in `[d/2, d]`.
    pub fn jittered_backoff(&self, failures: u32) -> Duration {
        let d = self.backoff(failures);
        let half = d / 2;
        let spread = u64::try_from((d - half).as_millis()).unwrap_or(u64::MAX);
        half + Duration::from_millis(fastrand::u64(0..=spread))
    }
}

/// Polling of an asynchronous security query.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct PollPolicy {
    /// Wait before the first poll. Default 100 ms.
    pub initial_interval: Duration,
    /// The interval doubles up to this. Default 3 s.
    pub max_interval: Duration,
    /// Give up after this long (`None`: poll until done or cancelled, as the SDKs do).
    pub max_wait: Option<Duration>,
}

impl Default for PollPolicy {
    fn default() -> Self {
        Self {
            initial_interval: Duration::from_millis(100),
            max_interval: Duration::from_secs(3),
            max_wait: None,
        }
    }
}

impl PollPolicy {
    /// The wait before poll number `n` (0 for the first).
    pub fn interval(&self, n: u32) -> Duration {
        exponential(
            self.initial_interval,
            self.max_interval,
            n.saturating_add(1),
        )
    }
}

fn exponential(base: Duration, cap: Duration, step: u32) -> Duration {
    let shift = step.saturating_sub(1).min(30);
    base.saturating_mul(1u32 << shift).min(cap)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn retry_backoff_doubles_and_caps() {
        let p = RetryPolicy::default();
        let ms = |n| p.backoff(n).as_millis();
        assert_eq!(
            [ms(1), ms(2), ms(3), ms(5), ms(6)],
            [100, 200, 400, 1600, 3000]
        );
        assert_eq!(p.backoff(u32::MAX), Duration::from_secs(3));
        for n in 1..8 {
            let j = p.jittered_backoff(n);
            assert!(j <= p.backoff(n) && j >= p.backoff(n) / 2);
        }
    }

    #[test]
    fn poll_interval_goes_from_100ms_to_3s() {
        let p = PollPolicy::default();
        let ms: Vec<u128> = (0..7).map(|n| p.interval(n).as_millis()).collect();
        assert_eq!(ms, [100, 200, 400, 800, 1600, 3000, 3000]);
    }
}
