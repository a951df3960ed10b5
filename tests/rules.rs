//! Every built-in rule on fixture notes that fire and that stay quiet just
//! below each threshold, with today = 2026-11-23 (a Monday).

mod common;
use common::{codes, fires, vet, vet_with};

/// A client note; expectations are marked as set (unless the fixture says
/// otherwise) so that NV301 stays out of tests about other rules.
fn f(yaml: &str) -> String {
    if yaml.contains("expectations_set") {
        format!("client: Test\n{yaml}")
    } else {
        format!("client: Test\n{yaml}expectations_set: 2026-01-01\n")
    }
}

fn raw(yaml: &str) -> String {
    format!("client: Test\n{yaml}")
}

#[test]
fn nv001_invalid_field_names_key_path_and_line() {
    let n = vet(
        "client: T\nsince: soon\ncontacts:\n  - {at: 2026-11-20}\n  - {at: 2026-11-21}\n  - {at: tuesday}\nrate: cheap\n",
    );
    let paths: Vec<&str> = n.findings.iter().map(|f| f.field.as_str()).collect();
    assert_eq!(paths, vec!["since", "contacts[2].at", "rate"]);
    assert_eq!(
        n.findings[1].pos.line, 7,
        "line of the key in the note file"
    );
    assert!(
        n.findings[1].message.contains("date or datetime"),
        "{}",
        n.findings[1].message
    );
    assert_eq!(n.score, 0, "NV001 has weight 0");
}

#[test]
fn nv001_every_known_key_with_a_wrong_shape() {
    let cases = [
        ("status: maybe", "status"),
        ("since: 2026-13-01", "since"),
        ("topic: [a, b]", "topic"),
        ("applicant: {who: x}", "applicant"),
        ("referred_by: [x]", "referred_by"),
        ("prior_help: yes", "prior_help"),
        ("prior_help: [{date: 1, topic: x}]", "prior_help[0].date"),
        ("guarantee_requested: \"yes\"", "guarantee_requested"),
        ("requests: {a: 1}", "requests"),
        ("requests: [[nested]]", "requests[0]"),
        ("rate: 100", "rate"),
        ("rate: {quoted: lots}", "rate.quoted"),
        ("rate: {requested: \"60\"}", "rate.requested"),
        ("rate: {currency: 5}", "rate.currency"),
        ("discount_requests: -1", "discount_requests"),
        ("discount_requests: 1.5", "discount_requests"),
        ("free_trial_requested: 1", "free_trial_requested"),
        ("barter_offered: no", "barter_offered"),
        ("deadline: tomorrow", "deadline"),
        ("deadline: {requested: friday}", "deadline.requested"),
        ("deadline: {estimate_days: two}", "deadline.estimate_days"),
        ("expectations_set: true", "expectations_set"),
        ("hardship: 3", "hardship"),
        ("contacts: \"many\"", "contacts"),
        ("contacts: [\"call\"]", "contacts[0]"),
        ("contacts: [{channel: phone}]", "contacts[0].at"),
        ("contacts: [{at: 2026-11-01T25:00}]", "contacts[0].at"),
        (
            "contacts: [{at: 2026-11-01, tone: angry}]",
            "contacts[0].tone",
        ),
        (
            "contacts: [{at: 2026-11-01, channel: [x]}]",
            "contacts[0].channel",
        ),
        ("invoices: [{due: someday}]", "invoices[0].due"),
        ("invoices: [{amount: x}]", "invoices[0].amount"),
        ("invoices: [{issued: 5}]", "invoices[0].issued"),
        ("invoices: [{paid: \"sometime\"}]", "invoices[0].paid"),
        ("invoices: [{paid: true}]", "invoices[0].paid"),
        ("extra_work: [{hours: many}]", "extra_work[0].hours"),
        ("extra_work: [{date: 2026-01-01}]", "extra_work[0].hours"),
        (
            "extra_work: [{hours: 1, paid: maybe}]",
            "extra_work[0].paid",
        ),
        ("incidents: [{date: yesterday}]", "incidents[0].date"),
        ("incidents: [oops]", "incidents[0]"),
        (
            "obligations: [{what: x, done: \"no\"}]",
            "obligations[0].done",
        ),
        ("obligations: [{due: 2026-12-01}]", "obligations[0].what"),
        ("lost: gone", "lost"),
        ("lost: {reason: 12}", "lost.reason"),
        (
            "lost: {feedback_requested: true}",
            "lost.feedback_requested",
        ),
        ("lost: {date: 12}", "lost.date"),
        ("vet_ignore: NV101", "vet_ignore"),
        ("vet_ignore: [NV999]", "vet_ignore[0]"),
        ("vet_ignore: [{reason: x}]", "vet_ignore[0].code"),
        ("vet_ignore: [5]", "vet_ignore[0]"),
    ];
    for (yaml, path) in cases {
        let n = vet(&f(&format!("{yaml}\n")));
        let nv001: Vec<&str> = n
            .findings
            .iter()
            .zip(codes(&n))
            .filter(|(_, c)| c == "NV001")
            .map(|(f, _)| f.field.as_str())
            .collect();
        assert_eq!(nv001, vec![path], "front matter `{yaml}`");
        assert_eq!(
            n.findings
                .iter()
                .find(|x| x.field == path)
                .map(|x| x.pos.line),
            Some(3),
            "`{yaml}`"
        );
    }
    let n = vet("client: [a]\nstatus: prospect\n");
    assert_eq!(codes(&n), vec!["NV001"]);
    assert_eq!(n.client, "(unnamed client)");
}

#[test]
fn nv001_keeps_vetting_other_keys() {
    let n = vet(&f("since: whenever\napplicant: friend\n"));
    assert_eq!(codes(&n), vec!["NV001", "NV104"]);
}

#[test]
fn nv101_guarantee() {
    assert!(fires(&f("guarantee_requested: true\n"), "NV101"));
    assert!(fires(&f("requests: [\"a GUARANTEED result\"]\n"), "NV101"));
    assert!(!fires(
        &f("guarantee_requested: false\nrequests: [\"a plan\"]\n"),
        "NV101"
    ));
    let n = vet(&f("requests:\n  - a plan\n  - money-back Guarantee\n"));
    assert_eq!(n.findings[0].field, "requests[1]");
    assert_eq!(n.findings[0].pos.line, 5);
}

#[test]
fn nv102_patterns_and_services() {
    for p in [
        "overnight",
        "MILLION",
        "Get Rich",
        "go viral",
        "instantly",
        "do it for me",
    ] {
        assert!(
            fires(&f(&format!("requests: [\"please {p} thanks\"]\n")), "NV102"),
            "{p}"
        );
    }
    assert!(!fires(
        &f("requests: [\"a realistic plan\"]\ntopic: anything\n"),
        "NV102"
    ));
    let cfg = "[practice]\nservices = [\"Coaching\", \"copywriting\"]\n";
    assert!(codes(&vet_with(&f("topic: SEO\n"), cfg)).contains(&"NV102".to_string()));
    assert!(!codes(&vet_with(&f("topic: coaching\n"), cfg)).contains(&"NV102".to_string()));
    assert!(
        !codes(&vet_with(&f("status: active\n"), cfg)).contains(&"NV102".to_string()),
        "no topic, no finding"
    );
    let custom = "[rules.NV102]\npatterns = [\"yesterday\"]\n";
    assert!(
        codes(&vet_with(&f("requests: [\"done by yesterday\"]\n"), custom))
            .contains(&"NV102".to_string())
    );
    assert!(
        !codes(&vet_with(&f("requests: [\"overnight\"]\n"), custom)).contains(&"NV102".to_string())
    );
}

#[test]
fn nv103_repeat_help() {
    assert!(fires(
        &f("topic: Pricing\nprior_help: [{date: 2025-01-01, topic: pricing}]\n"),
        "NV103"
    ));
    assert!(!fires(
        &f("topic: pricing\nprior_help: [{date: 2025-01-01, topic: hiring}]\n"),
        "NV103"
    ));
    assert!(!fires(
        &f("prior_help: [{date: 2025-01-01, topic: hiring}]\n"),
        "NV103"
    ));
}

#[test]
fn nv104_third_party() {
    assert!(fires(&f("applicant: spouse\n"), "NV104"));
    assert!(!fires(&f("applicant: self\n"), "NV104"));
    assert!(!fires(&f("applicant: Self\n"), "NV104"));
    assert!(!fires(&f("status: prospect\n"), "NV104"));
}

#[test]
fn nv105_boundary_violation_is_an_error_that_blocks() {
    let n = vet(&f(
        "status: prospect\nincidents: [{date: 2026-01-01, what: insults}]\n",
    ));
    assert_eq!(codes(&n), vec!["NV105"]);
    assert_eq!(n.verdict.as_str(), "decline");
    assert_eq!(n.score, 3);
    assert!(!fires(&f("incidents: []\n"), "NV105"));
}

#[test]
fn nv106_unpaid_extra_work_threshold() {
    assert!(fires(
        &f("extra_work: [{hours: 1.5, paid: false}, {hours: 0.5}]\n"),
        "NV106"
    ));
    assert!(!fires(
        &f("extra_work: [{hours: 1.5, paid: false}, {hours: 5, paid: true}]\n"),
        "NV106"
    ));
    assert!(!fires(&f("extra_work: [{hours: 1.99}]\n"), "NV106"));
    let cfg = "[rules.NV106]\nmin_hours = 1\n";
    assert!(codes(&vet_with(&f("extra_work: [{hours: 1}]\n"), cfg)).contains(&"NV106".to_string()));
}

#[test]
fn nv107_cannot_pay() {
    assert!(fires(&f("barter_offered: true\n"), "NV107"));
    // 100 * (1 - 0.15) = 85: 84 fires, 85 does not.
    assert!(fires(&f("rate: {quoted: 100, requested: 84}\n"), "NV107"));
    assert!(!fires(&f("rate: {quoted: 100, requested: 85}\n"), "NV107"));
    assert!(!fires(&f("rate: {quoted: 100}\n"), "NV107"));
    // Due 2026-10-24 is 30 days before today: not yet more than 30.
    assert!(!fires(
        &f("invoices: [{due: 2026-10-24, paid: false}]\n"),
        "NV107"
    ));
    assert!(fires(
        &f("invoices: [{due: 2026-10-23, paid: false}]\n"),
        "NV107"
    ));
    assert!(
        fires(&f("invoices: [{due: 2026-10-23}]\n"), "NV107"),
        "no `paid` means unpaid"
    );
    assert!(!fires(
        &f("invoices: [{due: 2026-01-01, paid: 2026-03-01}]\n"),
        "NV107"
    ));
    let cfg = "[rules.NV107]\nmax_discount = 0.5\noverdue_days = 60\n";
    let n = vet_with(
        &f("rate: {quoted: 100, requested: 60}\ninvoices: [{due: 2026-10-01}]\n"),
        cfg,
    );
    assert!(codes(&n).is_empty(), "{:?}", codes(&n));
}

#[test]
fn nv201_per_week_window_edges() {
    // 2026-11-17 is the first day of the 7-day window ending today.
    let inside = |n: usize, day: &str| {
        let mut y = String::from("contacts:\n");
        for _ in 0..n {
            y.push_str(&format!("  - {{at: {day}, channel: phone}}\n"));
        }
        f(&y)
    };
    assert!(fires(&inside(11, "2026-11-17"), "NV201"));
    assert!(!fires(&inside(10, "2026-11-17"), "NV201"));
    assert!(
        !fires(&inside(11, "2026-11-16"), "NV201"),
        "the day before the window"
    );
    assert!(fires(&inside(11, "2026-11-23"), "NV201"), "today counts");
    assert!(
        !fires(&inside(11, "2026-11-24"), "NV201"),
        "the future does not"
    );
    let cfg = "[rules.NV201]\nmax_per_week = 2\n";
    assert!(codes(&vet_with(&inside(3, "2026-11-20"), cfg)).contains(&"NV201".to_string()));
}

#[test]
fn nv201_after_hours() {
    let log = |times: &[&str]| {
        let mut y = String::from("contacts:\n");
        for t in times {
            y.push_str(&format!("  - {{at: \"{t}\"}}\n"));
        }
        f(&y)
    };
    // Friday 2026-11-20: 18:00 is after hours, 17:59 and 09:00 are not.
    assert!(fires(
        &log(&["2026-11-20T18:00", "2026-11-20T08:59", "2026-11-20 23:30"]),
        "NV201"
    ));
    assert!(!fires(
        &log(&["2026-11-20T17:59", "2026-11-20T09:00", "2026-11-20T18:00"]),
        "NV201"
    ));
    // Saturday counts as after hours whatever the time; a bare date never does.
    assert!(fires(
        &log(&["2026-11-21T10:00", "2026-11-22T11:00", "2026-11-20T19:00"]),
        "NV201"
    ));
    assert!(!fires(
        &log(&["2026-11-21", "2026-11-22", "2026-11-20T19:00"]),
        "NV201"
    ));
    // 30-day window: 2026-10-25 is the first day, 2026-10-24 is outside.
    assert!(fires(
        &log(&["2026-10-25T20:00", "2026-10-26T20:00", "2026-10-27T20:00"]),
        "NV201"
    ));
    assert!(!fires(
        &log(&["2026-10-24T20:00", "2026-10-26T20:00", "2026-10-27T20:00"]),
        "NV201"
    ));
    let cfg = "[practice]\nworking_hours = \"07:00-23:00\"\nworking_days = [\"mon\",\"tue\",\"wed\",\"thu\",\"fri\",\"sat\",\"sun\"]\n";
    let n = vet_with(
        &log(&["2026-11-21T10:00", "2026-11-22T11:00", "2026-11-20T19:00"]),
        cfg,
    );
    assert!(codes(&n).is_empty());
}

#[test]
fn nv202_unrealistic_timeline() {
    assert!(fires(
        &f("status: prospect\ndeadline: {requested: 2026-11-30, estimate_days: 8}\n"),
        "NV202"
    ));
    assert!(!fires(
        &f("status: prospect\ndeadline: {requested: 2026-11-30, estimate_days: 7}\n"),
        "NV202"
    ));
    assert!(fires(
        &f("status: paused\ndeadline: {requested: 2026-11-20, estimate_days: 0}\n"),
        "NV202"
    ));
    assert!(!fires(
        &f("status: ended\ndeadline: {requested: 2026-11-30, estimate_days: 30}\n"),
        "NV202"
    ));
    assert!(!fires(
        &f("status: lost\ndeadline: {requested: 2026-11-30, estimate_days: 30}\n"),
        "NV202"
    ));
    assert!(!fires(&f("deadline: {requested: 2026-11-30}\n"), "NV202"));
}

#[test]
fn nv203_freebies() {
    assert!(fires(&f("discount_requests: 2\n"), "NV203"));
    assert!(fires(
        &f("discount_requests: 1\nfree_trial_requested: true\n"),
        "NV203"
    ));
    assert!(!fires(
        &f("discount_requests: 1\nfree_trial_requested: false\n"),
        "NV203"
    ));
    assert!(!fires(&f("free_trial_requested: true\n"), "NV203"));
}

#[test]
fn nv204_aggressive_tone_window() {
    // The 90-day window ending 2026-11-23 starts on 2026-08-26.
    let y = |a: &str, b: &str| {
        f(&format!(
            "contacts:\n  - {{at: {a}, tone: rude}}\n  - {{at: {b}, tone: Aggressive}}\n"
        ))
    };
    assert!(fires(&y("2026-08-26", "2026-11-23"), "NV204"));
    assert!(!fires(&y("2026-08-25", "2026-11-23"), "NV204"));
    assert!(!fires(
        &f("contacts:\n  - {at: 2026-11-01, tone: rude}\n  - {at: 2026-11-02, tone: neutral}\n"),
        "NV204"
    ));
}

#[test]
fn nv301_expectations_not_set() {
    assert!(fires(&raw("status: active\n"), "NV301"), "since missing");
    assert!(
        fires(&raw("since: 2026-11-15\n"), "NV301"),
        "status defaults to active; 8 days ago"
    );
    assert!(
        !fires(&raw("since: 2026-11-16\n"), "NV301"),
        "7 days ago is within the grace"
    );
    assert!(
        !fires(&raw("since: someday\n"), "NV301"),
        "a malformed since is NV001's"
    );
    let cfg = "[rules.NV301]\ngrace_days = 30\n";
    assert!(codes(&vet_with(&raw("since: 2026-11-01\n"), cfg)).is_empty());
    assert!(!fires(
        &f("since: 2026-01-01\nexpectations_set: 2026-01-02\n"),
        "NV301"
    ));
    assert!(!fires(&raw("status: prospect\n"), "NV301"));
    assert!(!fires(&raw("status: paused\n"), "NV301"));
    let n = vet(&f("since: 2026-01-01\nexpectations_set: soon\n"));
    assert_eq!(
        codes(&n),
        vec!["NV001"],
        "a malformed date is NV001's, not a missing one"
    );
}

#[test]
fn nv302_hardship_softens_the_verdict() {
    let base = "status: active\nexpectations_set: 2026-01-01\nbarter_offered: true\ndiscount_requests: 2\napplicant: friend\n";
    assert_eq!(vet(&f(base)).verdict.as_str(), "fire");
    let n = vet(&f(&format!("{base}hardship: \"lost their job\"\n")));
    assert_eq!(n.verdict.as_str(), "caution");
    assert!(codes(&n).contains(&"NV302".to_string()));
    let n = vet(&f(&format!(
        "{base}hardship: \"lost their job\"\nincidents: [{{what: threats}}]\n"
    )));
    assert_eq!(
        n.verdict.as_str(),
        "fire",
        "a boundary violation is never softened"
    );
    assert!(!fires(&f("hardship: \"  \"\n"), "NV302"));
    assert_eq!(
        vet(&f("status: prospect\nhardship: x\n")).score,
        0,
        "info has weight 0"
    );
}

#[test]
fn nv303_after_the_verdict() {
    let open = "obligations: [{what: report, due: 2026-12-01, done: false}]\n";
    assert!(fires(&f(&format!("status: ended\n{open}")), "NV303"));
    let fire = "status: active\nexpectations_set: 2026-01-01\nincidents: [{what: x}]\n";
    let n = vet(&f(&format!("{fire}{open}")));
    assert_eq!(n.verdict.as_str(), "fire");
    assert!(codes(&n).contains(&"NV303".to_string()));
    assert!(!fires(
        &f(&format!(
            "status: active\nexpectations_set: 2026-01-01\n{open}"
        )),
        "NV303"
    ));
    assert!(!fires(
        &f("status: ended\nobligations: [{what: report, done: true}]\n"),
        "NV303"
    ));
    // A weight given to NV303 never changes the verdict.
    let n = vet_with(
        &f(&format!(
            "status: active\nexpectations_set: 2026-01-01\n{open}"
        )),
        "[rules.NV303]\nweight = 5\n",
    );
    assert_eq!(n.verdict.as_str(), "keep");
}

#[test]
fn nv401_nv402_lost_clients() {
    assert!(fires(&f("status: lost\n"), "NV401"));
    assert!(fires(&f("status: lost\n"), "NV402"));
    assert!(fires(
        &f("status: lost\nlost: {reason: unknown, feedback_requested: 2026-11-01}\n"),
        "NV401"
    ));
    let n = vet(&f(
        "status: lost\nlost: {reason: budget, feedback_requested: 2026-11-01}\n",
    ));
    assert!(codes(&n).is_empty());
    assert_eq!(n.verdict.as_str(), "follow-up");
    assert!(fires(
        &f("status: lost\nlost: {reason: budget, feedback_requested: false}\n"),
        "NV402"
    ));
    // The reason is free text (SPEC 1): words of your own are a reason,
    // in any language, not a malformed key.
    let n = vet(&f(
        "status: lost\nlost: {reason: \"bütçe kısıldı\", feedback_requested: 2026-11-01}\n",
    ));
    assert!(codes(&n).is_empty(), "{:?}", codes(&n));
    assert!(fires(&f("status: lost\nlost: {reason: \"  \"}\n"), "NV401"));
    assert!(!fires(
        &f("status: active\nlost: {reason: unknown}\nexpectations_set: 2026-01-01\n"),
        "NV401"
    ));
}

#[test]
fn vet_ignore_both_forms_are_suppressed_and_listed() {
    let n = vet(&f(
        "applicant: friend\ndiscount_requests: 3\nvet_ignore: [NV104, {code: NV203, reason: \"long-term client\"}]\n",
    ));
    assert!(codes(&n).is_empty(), "{:?}", codes(&n));
    assert_eq!(n.suppressed, vec!["NV104", "NV203"]);
    assert_eq!(n.score, 0);
}

#[test]
fn severity_off_and_weight_from_config() {
    let y = f("applicant: friend\n");
    assert!(codes(&vet_with(&y, "[rules.NV104]\nseverity = \"off\"\n")).is_empty());
    let n = vet_with(&y, "[rules.NV104]\nseverity = \"error\"\n");
    assert_eq!(n.findings[0].severity.as_str(), "error");
    assert_eq!(n.score, 3, "the weight follows the new severity");
    let n = vet_with(&y, "[rules.NV104]\nweight = 2\n");
    assert_eq!(n.score, 2);
}

#[test]
fn verdict_thresholds_from_config() {
    let y = f("status: prospect\napplicant: friend\ndiscount_requests: 2\n");
    assert_eq!(vet(&y).verdict.as_str(), "caution");
    assert_eq!(
        vet_with(&y, "[verdict]\nreject = 2\n").verdict.as_str(),
        "decline"
    );
    assert_eq!(
        vet_with(&y, "[verdict]\ncaution = 3\n").verdict.as_str(),
        "accept"
    );
}

#[test]
fn toml_and_yaml_notes_mean_the_same() {
    use notes_vet::engine::Outcome;
    let yaml = "---\nclient: A\nsince: 2026-01-01\ncontacts:\n  - {at: 2026-11-20T19:00, tone: rude}\n  - {at: \"2026-11-21 10:00\", tone: rude}\n  - {at: 2026-11-22T08:00}\n---\n";
    let toml = "+++\nclient = \"A\"\nsince = 2026-01-01\n[[contacts]]\nat = 2026-11-20T19:00:00\ntone = \"rude\"\n[[contacts]]\nat = \"2026-11-21 10:00\"\ntone = \"rude\"\n[[contacts]]\nat = 2026-11-22T08:00:00\n+++\n";
    let (a, b) = common::with_vetter(false, |v| {
        (v.vet_text("a.md", yaml), v.vet_text("a.md", toml))
    });
    let (Outcome::Vetted(a), Outcome::Vetted(b)) = (a, b) else {
        panic!("both vetted")
    };
    let strip = |n: &notes_vet::engine::NoteReport| {
        n.findings
            .iter()
            .map(|f| (f.rule, f.message.clone(), f.field.clone()))
            .collect::<Vec<_>>()
    };
    assert_eq!(strip(&a), strip(&b));
    assert_eq!(a.verdict, b.verdict);
    assert!(!a.findings.is_empty());
}

#[test]
fn matching_ignores_case_in_turkish_too() {
    // Turkish I/ı and İ/i: plain lowercasing gets them wrong.
    let cfg = "[practice]\nservices = [\"ışık tasarımı\", \"İç mimari\"]\n[rules.NV102]\npatterns = [\"hızlı\", \"bir gecede\"]\n";
    let n = common::vet_with(
        "client: A\nstatus: prospect\ntopic: \"IŞIK TASARIMI\"\n",
        cfg,
    );
    assert!(
        !codes(&n).contains(&"NV102".to_string()),
        "{:?}",
        n.findings
    );
    let n = common::vet_with("client: A\nstatus: prospect\ntopic: \"iç mimari\"\n", cfg);
    assert!(
        !codes(&n).contains(&"NV102".to_string()),
        "{:?}",
        n.findings
    );
    for request in ["ÇOK HIZLI olsun", "BİR GECEDE zengin"] {
        let n = common::vet_with(
            &format!("client: A\nstatus: prospect\nrequests: [\"{request}\"]\n"),
            cfg,
        );
        assert!(codes(&n).contains(&"NV102".to_string()), "{request}");
    }
    let n = vet(
        "client: D\nstatus: prospect\ntopic: \"İç Mimari\"\nprior_help: [{date: 2025-01-01, topic: \"iç mimari\"}]\n",
    );
    assert!(codes(&n).contains(&"NV103".to_string()));
    // The Turkish word for a guarantee, in capitals.
    assert!(fires(
        "client: A\nrequests: [\"GARANTİLİ sonuç\"]\n",
        "NV101"
    ));
    // The message shows the services as written.
    let n = common::vet_with("client: A\nstatus: prospect\ntopic: web\n", cfg);
    assert!(
        n.findings[0].message.contains("(ışık tasarımı, İç mimari)"),
        "{}",
        n.findings[0].message
    );
}

#[test]
fn nv003_a_misspelled_key_is_named_with_the_key_meant() {
    let typos = |yaml: &str| -> Vec<(String, String, u32)> {
        let n = vet(&format!("client: A\n{yaml}"));
        n.findings
            .iter()
            .zip(codes(&n))
            .filter(|(_, c)| c == "NV003")
            .map(|(f, _)| (f.field.clone(), f.message.clone(), f.pos.line))
            .collect()
    };
    // Case, `-` for `_`, a transposition; nested keys; the line of the key.
    let found = typos(
        "Guarantee_Requested: true\nguarantee-requested: true\ngaurantee_requested: true\nrate: {quoted: 100, quoteddd: 50}\ncontacts:\n  - {at: 2026-11-01, tonne: rude}\n",
    );
    assert_eq!(
        found,
        [
            (
                "Guarantee_Requested".into(),
                "unknown key `Guarantee_Requested`; did you mean `guarantee_requested`?".into(),
                3
            ),
            (
                "guarantee-requested".into(),
                "unknown key `guarantee-requested`; did you mean `guarantee_requested`?".into(),
                4
            ),
            (
                "gaurantee_requested".into(),
                "unknown key `gaurantee_requested`; did you mean `guarantee_requested`?".into(),
                5
            ),
            (
                "rate.quoteddd".into(),
                "unknown key `rate.quoteddd`; did you mean `rate.quoted`?".into(),
                6
            ),
            (
                "contacts[0].tonne".into(),
                "unknown key `contacts[0].tonne`; did you mean `contacts[0].tone`?".into(),
                8
            ),
        ]
    );
    // Keys that resemble nothing, short keys a letter off (Obsidian's
    // `date` is not `rate`), and known keys: silent.
    assert!(typos("date: 2026-01-01\ntags: [x]\naliases: [y]\nstate: active\nrate: {quoted: 1}\nmy_own_key: 1\n").is_empty());
    // Information only: no score, no change of verdict.
    let n = vet("client: A\nstatus: prospect\nGuarantee_Requested: true\n");
    assert_eq!((n.score, n.verdict.as_str()), (0, "accept"));
}

#[test]
fn nv301_labels_the_key_it_points_at() {
    let n = vet("client: A\nstatus: active\nsince: 2026-09-01\n");
    let f = &n.findings[0];
    assert_eq!((f.field.as_str(), f.pos.line), ("since", 4));
    let n = vet("client: A\nstatus: active\n");
    let f = &n.findings[0];
    assert_eq!((f.field.as_str(), f.pos.line), ("status", 3));
}
