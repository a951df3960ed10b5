//! The verdict of the README's "Verdicts": what to do with a client, from its status
//! and the score of its findings.

use crate::config::VerdictThresholds;
use crate::model::Status;
use std::fmt;

/// What to do with a client.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize,
)]
pub enum Verdict {
    Decline,
    Fire,
    Caution,
    FollowUp,
    Accept,
    Keep,
    Closed,
}

impl Verdict {
    pub const ALL: [Verdict; 7] = [
        Verdict::Accept,
        Verdict::Caution,
        Verdict::Decline,
        Verdict::Keep,
        Verdict::Fire,
        Verdict::FollowUp,
        Verdict::Closed,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Verdict::Accept => "accept",
            Verdict::Caution => "caution",
            Verdict::Decline => "decline",
            Verdict::Keep => "keep",
            Verdict::Fire => "fire",
            Verdict::FollowUp => "follow-up",
            Verdict::Closed => "closed",
        }
    }

    /// 0 for the verdicts that need action most; used to sort worst first.
    pub fn urgency(self) -> u8 {
        match self {
            Verdict::Decline | Verdict::Fire => 0,
            Verdict::Caution => 1,
            Verdict::FollowUp => 2,
            Verdict::Accept | Verdict::Keep => 3,
            Verdict::Closed => 4,
        }
    }
}

impl fmt::Display for Verdict {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// What the verdict is decided from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Evidence {
    /// Sum of the weights of the findings that are not suppressed.
    pub score: u32,
    /// An error-severity finding of weight > 0 is among them.
    pub blocking_error: bool,
    /// NV302 client-in-hardship fired.
    pub hardship: bool,
    /// NV105 boundary-violation fired.
    pub boundary_violation: bool,
}

/// Decides the verdict.
pub fn decide(status: Status, e: Evidence, t: VerdictThresholds) -> Verdict {
    let (worst, middle, best) = match status {
        Status::Prospect => (Verdict::Decline, Verdict::Caution, Verdict::Accept),
        Status::Active | Status::Paused => (Verdict::Fire, Verdict::Caution, Verdict::Keep),
        Status::Lost => return Verdict::FollowUp,
        Status::Ended => return Verdict::Closed,
    };
    let verdict = if e.score >= t.reject || e.blocking_error {
        worst
    } else if e.score >= t.caution {
        middle
    } else {
        best
    };
    // A client with a problem is not a problem client.
    if verdict == worst && e.hardship && !e.boundary_violation {
        middle
    } else {
        verdict
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const T: VerdictThresholds = VerdictThresholds {
        caution: 1,
        reject: 3,
    };

    fn ev(score: u32) -> Evidence {
        Evidence {
            score,
            ..Evidence::default()
        }
    }

    #[test]
    fn thresholds() {
        assert_eq!(decide(Status::Prospect, ev(0), T), Verdict::Accept);
        assert_eq!(decide(Status::Prospect, ev(1), T), Verdict::Caution);
        assert_eq!(decide(Status::Prospect, ev(2), T), Verdict::Caution);
        assert_eq!(decide(Status::Prospect, ev(3), T), Verdict::Decline);
        assert_eq!(decide(Status::Active, ev(3), T), Verdict::Fire);
        assert_eq!(decide(Status::Paused, ev(0), T), Verdict::Keep);
        assert_eq!(decide(Status::Lost, ev(9), T), Verdict::FollowUp);
        assert_eq!(decide(Status::Ended, ev(9), T), Verdict::Closed);
        let err = Evidence {
            score: 0,
            blocking_error: true,
            ..Evidence::default()
        };
        assert_eq!(decide(Status::Active, err, T), Verdict::Fire);
    }

    #[test]
    fn hardship_softens_unless_boundary() {
        let e = Evidence {
            score: 5,
            hardship: true,
            ..Evidence::default()
        };
        assert_eq!(decide(Status::Active, e, T), Verdict::Caution);
        assert_eq!(decide(Status::Prospect, e, T), Verdict::Caution);
        let e = Evidence {
            boundary_violation: true,
            ..e
        };
        assert_eq!(decide(Status::Active, e, T), Verdict::Fire);
    }
}
