//! Dates and datetimes as the note format writes them: `YYYY-MM-DD`, and
//! local wall-clock `YYYY-MM-DDTHH:MM` or `YYYY-MM-DD HH:MM` (seconds
//! optional). Parsing is strict: anything else is not a date.

use jiff::civil::{Date, Time};

/// A moment of the contact log: a day, and a time when one was written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Moment {
    pub date: Date,
    pub time: Option<Time>,
}

/// Parses `YYYY-MM-DD`.
pub fn parse_date(s: &str) -> Option<Date> {
    let b = s.as_bytes();
    if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
        return None;
    }
    let year = digits(&b[0..4])?;
    let month = digits(&b[5..7])?;
    let day = digits(&b[8..10])?;
    Date::new(year as i16, month as i8, day as i8).ok()
}

/// Parses a date or a datetime.
pub fn parse_moment(s: &str) -> Option<Moment> {
    if s.len() == 10 {
        return parse_date(s).map(|date| Moment { date, time: None });
    }
    let date = parse_date(s.get(..10)?)?;
    let sep = s.as_bytes()[10];
    if sep != b'T' && sep != b' ' {
        return None;
    }
    let time = parse_time(&s[11..])?;
    Some(Moment {
        date,
        time: Some(time),
    })
}

/// Parses `HH:MM` or `HH:MM:SS`.
pub fn parse_time(s: &str) -> Option<Time> {
    let b = s.as_bytes();
    let (h, m, sec) = match b.len() {
        5 if b[2] == b':' => (digits(&b[0..2])?, digits(&b[3..5])?, 0),
        8 if b[2] == b':' && b[5] == b':' => {
            (digits(&b[0..2])?, digits(&b[3..5])?, digits(&b[6..8])?)
        }
        _ => return None,
    };
    Time::new(h as i8, m as i8, sec as i8, 0).ok()
}

fn digits(b: &[u8]) -> Option<u32> {
    b.iter().try_fold(0u32, |acc, &c| {
        c.is_ascii_digit().then(|| acc * 10 + u32::from(c - b'0'))
    })
}

/// Whole days from `a` to `b` (negative when `b` is earlier).
pub fn days_between(a: Date, b: Date) -> i64 {
    b.duration_since(a).as_secs().div_euclid(86_400)
}

/// True when `date` is one of the `n` calendar days ending `today`
/// (today included, future days excluded).
pub fn in_last_days(date: Date, today: Date, n: i64) -> bool {
    let age = days_between(date, today);
    (0..n).contains(&age)
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;

    #[test]
    fn strict_formats() {
        assert_eq!(parse_date("2026-11-23"), Some(date(2026, 11, 23)));
        assert_eq!(parse_date("2026-02-30"), None);
        assert_eq!(parse_date("2026-1-23"), None);
        assert_eq!(parse_date("26-11-2023"), None);
        let m = parse_moment("2026-11-23 18:00").unwrap();
        assert_eq!(m.time, Some(jiff::civil::time(18, 0, 0, 0)));
        assert!(parse_moment("2026-11-23T07:05:09").is_some());
        assert!(parse_moment("2026-11-23T25:00").is_none());
        assert!(parse_moment("2026-11-23T10:00Z").is_none());
        assert!(parse_moment("2026-11-23x10:00").is_none());
    }

    #[test]
    fn windows() {
        let today = date(2026, 11, 23);
        assert!(in_last_days(today, today, 7));
        assert!(in_last_days(date(2026, 11, 17), today, 7));
        assert!(!in_last_days(date(2026, 11, 16), today, 7));
        assert!(!in_last_days(date(2026, 11, 24), today, 7));
        assert_eq!(days_between(date(2026, 11, 24), today), -1);
    }
}
