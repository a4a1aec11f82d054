//! The headline: the bands as plain sentences, what they mean for the organisation's room to
//! challenge power, and the three numbers that matter. The exact rules are in the doc comment
//! of each function; the command line prints the first two sentences as its summary.

use serde::Serialize;

use super::alignment::{self, expecting_share};
use super::concentration::{self, Trigger};
use super::format::{category_phrase, count, num, pct_whole};
use super::stress::scenario_sentence;
use super::view::Band;
use super::ReportOptions;
use crate::analysis::Analysis;
use crate::ledger::{Category, ExclusionReason};
use crate::metrics::AlignmentBand;
use crate::report::money_display;

#[derive(Debug, Serialize)]
pub struct KeyFigure {
    pub label: String,
    pub value: String,
    pub band: Option<Band>,
    pub note: String,
}

#[derive(Debug, Serialize)]
pub struct Headline {
    pub sentences: Vec<String>,
    /// What the numbers mean for the room to challenge power.
    pub meaning: Vec<String>,
    pub figures: Vec<KeyFigure>,
    /// What to check before relying on the numbers (unclassified income, unreadable rows).
    pub caveats: Vec<String>,
    /// The two sentences the command line prints.
    pub summary: String,
}

fn capitalise(s: &str) -> String {
    let mut chars = s.chars();
    chars.next().map_or_else(String::new, |c| {
        c.to_uppercase().chain(chars).collect::<String>()
    })
}

/// The largest-funder sentence:
/// - no positive income: "The ledger shows no positive income, so no share can be worked out."
/// - no identified funder: "No single funder stands out: all income comes from many small givers."
/// - largest share above the moderate line (`moderate_top1`, default 10%):
///   "One funder — NAME — provides P of income."
/// - otherwise: "No single funder provides more than P of income; the largest is NAME."
#[must_use]
pub fn largest_funder_sentence(a: &Analysis) -> String {
    let m = &a.overall;
    let (Some(top1), true) = (
        m.top1_share,
        m.share_base.is_sign_positive() && !m.share_base.is_zero(),
    ) else {
        return "The ledger shows no positive income, so no share can be worked out.".into();
    };
    let Some(largest) = &m.largest_funder else {
        return "No single funder stands out: all income comes from many small givers.".into();
    };
    if crate::metrics::round_sig(top1) > a.settings.bands.concentration.moderate_top1 {
        format!(
            "One funder \u{2014} {} \u{2014} provides {} of income.",
            largest.name,
            pct_whole(Some(top1))
        )
    } else {
        format!(
            "No single funder provides more than {} of income; the largest is {}.",
            pct_whole(Some(top1)),
            largest.name
        )
    }
}

/// The alignment-expecting sentence. "Sources that usually expect alignment" are government,
/// foundations and companies (corporate): c_government + c_foundation + c_corporate.
/// - "P of income comes from sources that usually expect alignment with their objectives
///   (government, foundations and companies)."
/// - when that share is 0: "None of the income comes from government, foundations or
///   companies, the sources that usually expect alignment with their objectives."
/// - undefined (no positive income): `None`.
#[must_use]
pub fn expecting_sentence(a: &Analysis) -> Option<String> {
    let s = expecting_share(a)?;
    if s <= 0.0 {
        return Some("None of the income comes from government, foundations or companies, the sources that usually expect alignment with their objectives.".into());
    }
    Some(format!(
        "{} of income comes from sources that usually expect alignment with their objectives (government, foundations and companies).",
        capitalise(&pct_whole(Some(s)))
    ))
}

/// The community sentence: "P comes from community giving and crowdfunding: the people the
/// organisation serves." ("None of the income comes from …" at 0; `None` when undefined.)
#[must_use]
pub fn community_sentence(a: &Analysis) -> Option<String> {
    let s = a.overall.community_share?;
    if s <= 0.0 {
        return Some("None of the income comes from community giving or crowdfunding.".to_string());
    }
    Some(format!(
        "{} comes from community giving and crowdfunding: the people the organisation serves.",
        capitalise(&pct_whole(Some(s)))
    ))
}

/// What the alignment band means for the room to challenge power, one sentence per band,
/// then the advocacy exposure when funders are marked as targets.
#[must_use]
pub fn meaning(a: &Analysis) -> Vec<String> {
    let mut out = vec![match a.overall.alignment_band {
        Some(AlignmentBand::HighlyConstrained) => "Most of this money comes with expectations attached: the organisation has little room to challenge those who fund it without putting income at risk.",
        Some(AlignmentBand::Constrained) => "Much of this money comes with expectations attached: challenging funders in public would put a large part of income at risk.",
        Some(AlignmentBand::SomeLatitude) => "The organisation has some room to challenge power, but a sizeable part of its income comes with expectations attached.",
        Some(AlignmentBand::Independent) => "Most income comes from people who expect little in return, so the organisation can challenge power with little risk to its income.",
        None => "Without positive income, the report cannot say how much room the organisation has to challenge power.",
    }
    .to_string()];
    if let Some(e) = a.overall.advocacy_exposure.filter(|e| *e > 0.0) {
        out.push(format!(
            "{} of income comes from funders that the organisation also campaigns against or lobbies: the money most at risk when it speaks out.",
            capitalise(&pct_whole(Some(e)))
        ));
    }
    out
}

/// Warnings that change how far the numbers can be trusted:
/// - unclassified income: "P of income (AMOUNT) is unclassified, so these numbers may move once
///   its funders are classified."
/// - rows set aside for anything but being a total or a repeated header: "N rows of the ledger
///   have no usable amount or date and are left out (see data quality)."
#[must_use]
pub fn caveats(a: &Analysis) -> Vec<String> {
    let mut out = Vec::new();
    let unclassified = a.unclassified();
    if !unclassified.is_zero() {
        out.push(format!(
            "{} of income ({}) is unclassified, so these numbers may move once its funders are classified.",
            capitalise(&pct_whole(a.category_share(Category::Unclassified))),
            money_display(unclassified, a.ledger.currency.as_deref())
        ));
    }
    let unread = a
        .ledger
        .exclusions
        .iter()
        .filter(|e| {
            !matches!(
                e.reason,
                ExclusionReason::Total | ExclusionReason::RepeatedHeader
            )
        })
        .count();
    if unread > 0 {
        out.push(format!(
            "{} of the ledger {} no usable amount or date and {} left out (see data quality).",
            count(unread, "row", "rows"),
            if unread == 1 { "has" } else { "have" },
            if unread == 1 { "is" } else { "are" }
        ));
    }
    out
}

/// The headline, in this order: the largest-funder sentence; when the concentration band was
/// decided by one kind of funder, "One kind of funder — KIND — provides P of income."; the
/// alignment-expecting sentence; the community sentence; and, when there is an identified
/// funder, "If NAME stopped, P of income would remain." Then the meaning, the key figures and
/// the caveats. The summary is the first and the alignment-expecting sentence.
#[must_use]
pub fn build(a: &Analysis, opts: &ReportOptions) -> Headline {
    let _ = opts;
    let m = &a.overall;
    let first = largest_funder_sentence(a);
    let second = expecting_sentence(a);
    let mut sentences = vec![first.clone()];
    let trigger = concentration::trigger(m, &a.settings.bands.concentration);
    if let Some(Trigger::Category {
        category, share, ..
    }) = trigger
    {
        sentences.push(format!(
            "One kind of funder \u{2014} {} \u{2014} provides {} of income.",
            category_phrase(category),
            pct_whole(Some(share))
        ));
    }
    sentences.extend(second.clone());
    sentences.extend(community_sentence(a));
    if let Some(s) = a
        .stress
        .largest_funder
        .as_ref()
        .filter(|_| m.largest_funder.is_some())
    {
        sentences.push(scenario_sentence(s, false, a));
    }
    let summary = match second {
        Some(s) => format!("{first} {s}"),
        None => first,
    };
    let figures = vec![
        match trigger {
            Some(Trigger::Category {
                category, share, ..
            }) => KeyFigure {
                label: "Largest kind of funder".into(),
                value: pct_whole(Some(share)),
                band: Some(concentration::band(m.concentration_band)),
                note: format!("concentration: {}", category_phrase(category)),
            },
            _ => KeyFigure {
                label: "Largest funder's share".into(),
                value: pct_whole(m.top1_share),
                band: Some(concentration::band(m.concentration_band)),
                note: "concentration".into(),
            },
        },
        KeyFigure {
            label: "Alignment index".into(),
            value: num(m.alignment_index, 2),
            band: Some(alignment::band(m.alignment_band)),
            note: "alignment, on a scale from 0 to 1".into(),
        },
        KeyFigure {
            label: "Community share".into(),
            value: pct_whole(m.community_share),
            band: None,
            note: "of income from community giving and crowdfunding".into(),
        },
    ];
    Headline {
        sentences,
        meaning: meaning(a),
        figures,
        caveats: caveats(a),
        summary,
    }
}
