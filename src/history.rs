//! Results history (load stage): a programme keeps its results per year,
//! and may keep an aggregated opening balance (e.g. 2017–2022 as one
//! period). An edition's two tables are computed from it — the results
//! year, and the overall period from the first recorded year to the results
//! year — so a past edition rebuilds from the same file. A total typed by
//! hand (a period that spans periods already recorded) is checked against
//! the sum of those periods, and a mismatch is an error naming both figures.

use crate::diag::{Diagnostic, Span};
use crate::model::{Indicator, Period, ResultTable, Unit};

/// The edition's tables for `year`: `[year table, overall table]`; the
/// overall table is also the key-figure row. An empty history gives none.
pub fn tables(
    periods: &[Period],
    year: u16,
    indicators: &[Indicator],
    anchor: &Span,
) -> Result<Vec<ResultTable>, Vec<Diagnostic>> {
    // Checked over the whole history: a crossing period is wrong in every edition.
    let overlapping = overlaps(&periods.iter().collect::<Vec<_>>());
    if !overlapping.is_empty() {
        return Err(overlapping);
    }
    let relevant: Vec<&Period> = periods.iter().filter(|p| p.last <= year).collect();
    if relevant.is_empty() {
        if periods.is_empty() {
            return Ok(Vec::new());
        }
        return Err(vec![
            Diagnostic::error(
                Some(anchor.clone()),
                format!("no results recorded up to {year}"),
            )
            .with_hint("add a [[results]] entry for that year, or set `results_year`"),
        ]);
    }
    let (finest, totals) = split(&relevant);
    let mut errors = check_totals(&finest, &totals, indicators);
    let first = relevant.iter().map(|p| p.first).min().unwrap_or(year);
    let overall = value_of(&finest, &totals, first, year);
    let single = value_of(&finest, &totals, year, year);
    let mut missing =
        |what: String| {
            errors.push(Diagnostic::error(Some(anchor.clone()), what).with_hint(
                "record each year's results (an opening balance may cover several years)",
            ));
        };
    if overall.is_none() {
        missing(format!(
            "cannot compute the overall results {first}–{year}: {}",
            gaps(&finest, first, year)
        ));
    }
    if single.is_none() {
        missing(format!("no results recorded for {year} alone"));
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    let table = |first, last, values: Vec<u64>, key_figures| ResultTable {
        first,
        last,
        key_figures,
        values,
        span: anchor.clone(),
    };
    let (Some(single), Some(overall)) = (single, overall) else {
        return Ok(Vec::new());
    };
    Ok(vec![
        table(year, year, single, false),
        table(first, year, overall, true),
    ])
}

/// Whether `outer` holds all of `inner` and more.
fn contains(outer: &Period, inner: &Period) -> bool {
    outer.first <= inner.first
        && inner.last <= outer.last
        && (outer.first, outer.last) != (inner.first, inner.last)
}

/// Splits periods into the finest (containing no other) and totals (the
/// rest); [`overlaps`] has refused periods that cross.
fn split<'a>(periods: &[&'a Period]) -> (Vec<&'a Period>, Vec<&'a Period>) {
    let mut finest: Vec<&Period> = Vec::new();
    let mut totals = Vec::new();
    for period in periods {
        if periods.iter().any(|other| contains(period, other)) {
            totals.push(*period);
        } else {
            finest.push(*period);
        }
    }
    finest.sort_by_key(|p| (p.first, p.last));
    (finest, totals)
}

/// Two periods may sit side by side, or one may hold the other (a total);
/// the same period twice, or two that cross (2017–2022 and 2020–2023),
/// would count some years twice. Reported at the later entry, naming both.
fn overlaps(periods: &[&Period]) -> Vec<Diagnostic> {
    let mut errors = Vec::new();
    for (i, later) in periods.iter().enumerate() {
        for earlier in periods.iter().take(i) {
            let meet = earlier.first <= later.last && later.first <= earlier.last;
            if !meet || contains(earlier, later) || contains(later, earlier) {
                continue;
            }
            let hint = if (earlier.first, earlier.last) == (later.first, later.last) {
                "each year is recorded once: in its own entry or in one period".to_string()
            } else {
                format!(
                    "count each year once: start {} after {}, or let it hold {} whole (a total)",
                    range(later.first, later.last),
                    earlier.last,
                    range(earlier.first, earlier.last)
                )
            };
            errors.push(
                Diagnostic::error(
                    Some(later.span.clone()),
                    format!(
                        "results {} overlap results {}",
                        range(later.first, later.last),
                        range(earlier.first, earlier.last)
                    ),
                )
                .with_hint(hint),
            );
        }
    }
    errors
}

/// The finest periods that exactly tile `first..=last`, summed.
fn sum_over(finest: &[&Period], first: u16, last: u16) -> Option<Vec<u64>> {
    let inside: Vec<&&Period> = finest
        .iter()
        .filter(|p| p.first >= first && p.last <= last)
        .collect();
    let mut next = first;
    for period in &inside {
        if period.first != next {
            return None;
        }
        next = period.last.checked_add(1)?;
    }
    if next != last.checked_add(1)? {
        return None;
    }
    let width = inside.first()?.values.len();
    let mut sum = vec![0u64; width];
    for period in inside {
        for (total, value) in sum.iter_mut().zip(&period.values) {
            *total = total.saturating_add(*value);
        }
    }
    Some(sum)
}

fn value_of(finest: &[&Period], totals: &[&Period], first: u16, last: u16) -> Option<Vec<u64>> {
    let exact = finest
        .iter()
        .chain(totals)
        .find(|p| (p.first, p.last) == (first, last));
    exact
        .map(|p| p.values.clone())
        .or_else(|| sum_over(finest, first, last))
}

/// Each typed total must equal the sum of the periods it spans, if they tile it.
fn check_totals(
    finest: &[&Period],
    totals: &[&Period],
    indicators: &[Indicator],
) -> Vec<Diagnostic> {
    let mut errors = Vec::new();
    for total in totals {
        let Some(sum) = sum_over(finest, total.first, total.last) else {
            continue;
        };
        for (i, indicator) in indicators.iter().enumerate() {
            let (typed, computed) = (total.values[i], sum[i]);
            if typed == computed {
                continue;
            }
            let unit = if indicator.unit == Unit::M2 {
                " m²"
            } else {
                ""
            };
            errors.push(
                Diagnostic::error(
                    total.spans.get(i).cloned().or(Some(total.span.clone())),
                    format!(
                        "`{}` for {} is {typed}{unit}, but the periods it covers add up to {computed}{unit}",
                        indicator.key,
                        range(total.first, total.last)
                    ),
                )
                .with_hint("correct the total or the yearly figures; the total may also be left out"),
            );
        }
    }
    errors
}

fn gaps(finest: &[&Period], first: u16, last: u16) -> String {
    let missing: Vec<String> = (first..=last)
        .filter(|y| !finest.iter().any(|p| p.first <= *y && *y <= p.last))
        .map(|y| y.to_string())
        .collect();
    if missing.is_empty() {
        "a period crosses the results year".into()
    } else {
        format!("no figures for {}", missing.join(", "))
    }
}

fn range(first: u16, last: u16) -> String {
    if first == last {
        first.to_string()
    } else {
        format!("{first}–{last}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diag::FileId;

    fn span() -> Span {
        Span::new(FileId(0), 0..1)
    }

    fn period(first: u16, last: u16, values: &[u64]) -> Period {
        Period {
            first,
            last,
            values: values.to_vec(),
            spans: values.iter().map(|_| span()).collect(),
            span: span(),
        }
    }

    fn indicators() -> Vec<Indicator> {
        ["area", "items"]
            .iter()
            .map(|k| Indicator {
                key: k.to_string(),
                label: k.to_string(),
                unit: Unit::Count,
                span: span(),
            })
            .collect()
    }

    #[test]
    fn overall_is_the_sum_of_the_history() {
        let history = [
            period(2017, 2022, &[100, 10]),
            period(2023, 2023, &[20, 2]),
            period(2024, 2024, &[30, 3]),
        ];
        let tables = tables(&history, 2023, &indicators(), &span()).unwrap();
        assert_eq!(
            (tables[0].first, tables[0].last, tables[0].values.clone()),
            (2023, 2023, vec![20, 2])
        );
        assert_eq!(
            (tables[1].first, tables[1].last, tables[1].values.clone()),
            (2017, 2023, vec![120, 12])
        );
        assert!(tables[1].key_figures);
        let later = super::tables(&history, 2024, &indicators(), &span()).unwrap();
        assert_eq!(later[1].values, vec![150, 15]);
    }

    #[test]
    fn a_typed_total_is_checked_against_the_sum() {
        let history = [
            period(2017, 2022, &[100, 10]),
            period(2023, 2023, &[20, 2]),
            period(2017, 2023, &[121, 12]),
        ];
        let errors = tables(&history, 2023, &indicators(), &span()).unwrap_err();
        assert_eq!(errors.len(), 1);
        assert_eq!(
            errors[0].message,
            "`area` for 2017–2023 is 121, but the periods it covers add up to 120"
        );
    }

    #[test]
    fn a_total_without_its_parts_stands_as_written() {
        let history = [period(2023, 2023, &[20, 2]), period(2017, 2023, &[120, 12])];
        let tables = tables(&history, 2023, &indicators(), &span()).unwrap();
        assert_eq!(tables[1].values, vec![120, 12]);
    }

    #[test]
    fn a_gap_in_the_history_is_named() {
        let history = [period(2017, 2020, &[1, 1]), period(2023, 2023, &[1, 1])];
        let errors = tables(&history, 2023, &indicators(), &span()).unwrap_err();
        assert!(
            errors[0].message.contains("no figures for 2021, 2022"),
            "{errors:?}"
        );
    }

    #[test]
    fn overlapping_periods_are_refused() {
        let history = [period(2017, 2022, &[1, 1]), period(2022, 2023, &[1, 1])];
        let errors = tables(&history, 2023, &indicators(), &span()).unwrap_err();
        assert!(errors[0].message.contains("overlap"), "{errors:?}");
    }

    #[test]
    fn a_period_crossing_another_or_the_total_is_refused() {
        let history = [
            period(2017, 2022, &[100, 10]),
            period(2023, 2023, &[20, 2]),
            period(2017, 2023, &[120, 12]),
            period(2020, 2023, &[50, 5]),
        ];
        let errors = tables(&history, 2023, &indicators(), &span()).unwrap_err();
        assert_eq!(errors.len(), 1, "{errors:?}");
        assert_eq!(
            errors[0].message,
            "results 2020–2023 overlap results 2017–2022"
        );
        assert!(errors[0].hints[0].contains("start 2020–2023 after 2022"));
        // A total crossing the edge of the history is caught too.
        let history = [period(2017, 2022, &[1, 1]), period(2016, 2018, &[1, 1])];
        let errors = tables(&history, 2023, &indicators(), &span()).unwrap_err();
        assert!(
            errors[0]
                .message
                .contains("2016–2018 overlap results 2017–2022")
        );
    }
}
