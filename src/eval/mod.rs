//! Evaluation: compares predicted claims with gold claims.
//!
//! Claims of each article are aligned by character overlap (a pair matches at
//! intersection-over-union >= 0.5, one-to-one, best overlap first), so a split
//! or merged sentence does not shift every later claim. Gold records may list
//! several acceptable values for `source_type`, `source` and `cue`.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::Serialize;
use serde_json::Value;

use crate::error::{Error, ErrorKind, Result};
use crate::model::SourceType;

/// One claim as the evaluator sees it.
#[derive(Debug, Clone, Default)]
pub struct EvalClaim {
    pub article_id: String,
    pub start: usize,
    pub end: usize,
    pub text: String,
    /// Acceptable values, best first.
    pub source_type: Vec<String>,
    pub source: Vec<String>,
    pub quote_type: Vec<String>,
    pub cue: Vec<String>,
    pub rule: String,
}

/// Reads claim JSONL from files or folders (every `.jsonl` below, sorted).
pub fn read_claims(paths: &[PathBuf]) -> Result<Vec<EvalClaim>> {
    let mut files = Vec::new();
    for p in paths {
        collect_files(p, &mut files)?;
    }
    let mut out = Vec::new();
    for file in files {
        let text = std::fs::read_to_string(&file).map_err(|e| {
            Error::new(ErrorKind::Io, "cannot read claims")
                .with_path(&file)
                .with_source(e)
        })?;
        for (n, line) in text.lines().enumerate() {
            if line.trim().is_empty() {
                continue;
            }
            let bad = |msg: &str| {
                Error::new(ErrorKind::Json, msg.to_string())
                    .with_path(&file)
                    .with_line(n + 1)
            };
            let v: Value =
                serde_json::from_str(line).map_err(|e| bad("not a JSON object").with_source(e))?;
            let num = |k: &str| {
                v.get(k)
                    .and_then(Value::as_u64)
                    .map(|x| x as usize)
                    .ok_or_else(|| bad(&format!("`{k}` must be a whole number")))
            };
            let list = |k: &str| -> Vec<String> {
                match v.get(k) {
                    Some(Value::String(s)) => vec![s.clone()],
                    Some(Value::Array(a)) => a
                        .iter()
                        .filter_map(|x| x.as_str().map(String::from))
                        .collect(),
                    _ => Vec::new(),
                }
            };
            let article_id = v
                .get("article_id")
                .and_then(Value::as_str)
                .ok_or_else(|| bad("`article_id` is missing"))?
                .to_string();
            out.push(EvalClaim {
                article_id,
                start: num("start")?,
                end: num("end")?,
                text: v
                    .get("text")
                    .and_then(Value::as_str)
                    .unwrap_or("")
                    .to_string(),
                source_type: list("source_type"),
                source: list("source"),
                quote_type: list("quote_type"),
                cue: list("cue"),
                rule: v
                    .get("rule")
                    .and_then(Value::as_str)
                    .unwrap_or("")
                    .to_string(),
            });
        }
    }
    Ok(out)
}

fn collect_files(path: &Path, out: &mut Vec<PathBuf>) -> Result<()> {
    let meta = std::fs::metadata(path).map_err(|e| {
        Error::new(ErrorKind::Io, "cannot open")
            .with_path(path)
            .with_source(e)
    })?;
    if meta.is_dir() {
        let mut entries: Vec<PathBuf> = std::fs::read_dir(path)
            .map_err(|e| {
                Error::new(ErrorKind::Io, "cannot list folder")
                    .with_path(path)
                    .with_source(e)
            })?
            .filter_map(|e| e.ok().map(|e| e.path()))
            .collect();
        entries.sort();
        for e in entries {
            if e.is_dir() || e.extension().is_some_and(|x| x == "jsonl") {
                collect_files(&e, out)?;
            }
        }
    } else {
        out.push(path.to_path_buf());
    }
    Ok(())
}

/// Precision, recall and F1.
#[derive(Debug, Clone, Copy, Default, Serialize, PartialEq)]
pub struct Prf {
    pub precision: f64,
    pub recall: f64,
    pub f1: f64,
    pub support: usize,
}

impl Prf {
    fn new(tp: usize, predicted: usize, actual: usize) -> Prf {
        let p = if predicted == 0 {
            0.0
        } else {
            tp as f64 / predicted as f64
        };
        let r = if actual == 0 {
            0.0
        } else {
            tp as f64 / actual as f64
        };
        let f1 = if p + r == 0.0 {
            0.0
        } else {
            2.0 * p * r / (p + r)
        };
        Prf {
            precision: p,
            recall: r,
            f1,
            support: actual,
        }
    }
}

/// One disagreement between gold and prediction.
#[derive(Debug, Clone, Serialize)]
pub struct Disagreement {
    pub article_id: String,
    pub gold_text: String,
    pub gold: String,
    pub predicted: String,
    pub rule: String,
}

/// The figures of one evaluation.
#[derive(Debug, Clone, Serialize)]
pub struct Report {
    pub articles: usize,
    pub gold_claims: usize,
    pub predicted_claims: usize,
    pub matched: usize,
    pub segmentation: Prf,
    pub source_type_accuracy: f64,
    pub per_type: BTreeMap<String, Prf>,
    /// gold type -> predicted type (or `missing`) -> count.
    pub confusion: BTreeMap<String, BTreeMap<String, usize>>,
    pub source_accuracy: f64,
    pub quote_type_accuracy: f64,
    pub cue_accuracy: f64,
    pub errors: Vec<Disagreement>,
}

/// Normalises a source name: case, a leading "the" and punctuation ignored.
pub fn normalize_source(s: &str) -> String {
    let lower = s.to_lowercase();
    let cleaned: String = lower
        .chars()
        .map(|c| if c.is_alphanumeric() { c } else { ' ' })
        .collect();
    let words: Vec<&str> = cleaned.split_whitespace().collect();
    let words = if words.first() == Some(&"the") {
        &words[1..]
    } else {
        &words[..]
    };
    words.join(" ")
}

fn iou(a: &EvalClaim, b: &EvalClaim) -> f64 {
    let inter = a.end.min(b.end).saturating_sub(a.start.max(b.start));
    let union = a.end.max(b.end) - a.start.min(b.start);
    if union == 0 {
        0.0
    } else {
        inter as f64 / union as f64
    }
}

/// Compares `pred` with `gold`; keeps the first `max_errors` disagreements.
pub fn evaluate(gold: &[EvalClaim], pred: &[EvalClaim], max_errors: usize) -> Report {
    let mut by_article: BTreeMap<&str, (Vec<&EvalClaim>, Vec<&EvalClaim>)> = BTreeMap::new();
    for g in gold {
        by_article.entry(&g.article_id).or_default().0.push(g);
    }
    for p in pred {
        by_article.entry(&p.article_id).or_default().1.push(p);
    }
    let types: Vec<String> = SourceType::ALL
        .iter()
        .map(|t| t.as_str().to_string())
        .collect();
    let mut confusion: BTreeMap<String, BTreeMap<String, usize>> = BTreeMap::new();
    let (mut matched, mut type_ok, mut source_ok, mut qt_ok, mut cue_ok) = (0, 0, 0, 0, 0);
    let mut tp: BTreeMap<String, usize> = BTreeMap::new();
    let mut gold_count: BTreeMap<String, usize> = BTreeMap::new();
    let mut pred_count: BTreeMap<String, usize> = BTreeMap::new();
    let mut errors = Vec::new();
    let gold_articles = by_article.values().filter(|(g, _)| !g.is_empty()).count();
    for (article, (golds, preds)) in &by_article {
        // Predictions for articles without gold are not judged.
        if golds.is_empty() {
            continue;
        }
        let mut pairs: Vec<(f64, usize, usize)> = Vec::new();
        for (gi, g) in golds.iter().enumerate() {
            for (pi, p) in preds.iter().enumerate() {
                let score = iou(g, p);
                if score >= 0.5 {
                    pairs.push((score, gi, pi));
                }
            }
        }
        pairs.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)).then(a.2.cmp(&b.2)));
        let mut gold_match: Vec<Option<usize>> = vec![None; golds.len()];
        let mut pred_used = vec![false; preds.len()];
        for (_, gi, pi) in pairs {
            if gold_match[gi].is_none() && !pred_used[pi] {
                gold_match[gi] = Some(pi);
                pred_used[pi] = true;
            }
        }
        for (pi, p) in preds.iter().enumerate() {
            let t = p.source_type.first().cloned().unwrap_or_default();
            *pred_count.entry(t.clone()).or_default() += 1;
            let _ = pi;
        }
        for (gi, g) in golds.iter().enumerate() {
            let pred = gold_match[gi].map(|pi| preds[pi]);
            let p_type = pred.and_then(|p| p.source_type.first().cloned());
            let ok = p_type.as_ref().is_some_and(|t| g.source_type.contains(t));
            // The gold label to count against: the predicted one when acceptable.
            let g_type = if ok {
                p_type.clone().unwrap_or_default()
            } else {
                g.source_type.first().cloned().unwrap_or_default()
            };
            *gold_count.entry(g_type.clone()).or_default() += 1;
            *confusion
                .entry(g_type.clone())
                .or_default()
                .entry(p_type.clone().unwrap_or_else(|| "missing".into()))
                .or_default() += 1;
            if let Some(p) = pred {
                matched += 1;
                if ok {
                    type_ok += 1;
                    *tp.entry(g_type.clone()).or_default() += 1;
                }
                let ps = normalize_source(p.source.first().map_or("", String::as_str));
                if g.source.iter().any(|s| normalize_source(s) == ps)
                    || g.source.is_empty() && ps.is_empty()
                {
                    source_ok += 1;
                }
                let pq = p.quote_type.first().cloned().unwrap_or_default();
                if g.quote_type.contains(&pq) {
                    qt_ok += 1;
                }
                let pc = p.cue.first().map(|c| c.to_lowercase()).unwrap_or_default();
                if g.cue.iter().any(|c| c.to_lowercase() == pc) || g.cue.is_empty() && pc.is_empty()
                {
                    cue_ok += 1;
                }
            }
            if !ok && errors.len() < max_errors {
                errors.push(Disagreement {
                    article_id: article.to_string(),
                    gold_text: g.text.clone(),
                    gold: format!("{} / {}", g.source_type.join("|"), g.source.join("|")),
                    predicted: match pred {
                        Some(p) => format!("{} / {}", p.source_type.join("|"), p.source.join("|")),
                        None => "(no matching claim)".into(),
                    },
                    rule: pred.map(|p| p.rule.clone()).unwrap_or_default(),
                });
            }
        }
    }
    let n_gold = by_article
        .values()
        .filter(|(g, _)| !g.is_empty())
        .map(|(g, _)| g.len())
        .sum::<usize>();
    let n_pred = by_article
        .values()
        .filter(|(g, _)| !g.is_empty())
        .map(|(_, p)| p.len())
        .sum::<usize>();
    let frac = |n: usize| {
        if n_gold == 0 {
            0.0
        } else {
            n as f64 / n_gold as f64
        }
    };
    let per_type = types
        .iter()
        .map(|t| {
            let get = |m: &BTreeMap<String, usize>| m.get(t).copied().unwrap_or(0);
            (
                t.clone(),
                Prf::new(get(&tp), get(&pred_count), get(&gold_count)),
            )
        })
        .collect();
    Report {
        articles: gold_articles,
        gold_claims: n_gold,
        predicted_claims: n_pred,
        matched,
        segmentation: Prf::new(matched, n_pred, n_gold),
        source_type_accuracy: frac(type_ok),
        per_type,
        confusion,
        source_accuracy: frac(source_ok),
        quote_type_accuracy: frac(qt_ok),
        cue_accuracy: frac(cue_ok),
        errors,
    }
}

impl Report {
    /// The report as a readable table.
    pub fn text(&self) -> String {
        use std::fmt::Write;
        let mut s = String::new();
        let _ = writeln!(
            s,
            "articles {}  gold claims {}  predicted {}  matched {}",
            self.articles, self.gold_claims, self.predicted_claims, self.matched
        );
        let seg = self.segmentation;
        let _ = writeln!(
            s,
            "segmentation        P {:.3}  R {:.3}  F1 {:.3}",
            seg.precision, seg.recall, seg.f1
        );
        let _ = writeln!(s, "source_type accuracy {:.3}", self.source_type_accuracy);
        for (t, prf) in &self.per_type {
            let _ = writeln!(
                s,
                "  {t:<22} P {:.3}  R {:.3}  F1 {:.3}  (n={})",
                prf.precision, prf.recall, prf.f1, prf.support
            );
        }
        let _ = writeln!(s, "source accuracy      {:.3}", self.source_accuracy);
        let _ = writeln!(s, "quote_type accuracy  {:.3}", self.quote_type_accuracy);
        let _ = writeln!(s, "cue accuracy         {:.3}", self.cue_accuracy);
        let cols = [
            "official_statement",
            "media_report",
            "reporter_observation",
            "other_source",
            "missing",
        ];
        let _ = writeln!(
            s,
            "confusion (rows gold, columns predicted): {}",
            cols.iter()
                .map(|c| &c[..c.len().min(8)])
                .collect::<Vec<_>>()
                .join(" ")
        );
        for (g, row) in &self.confusion {
            let cells: Vec<String> = cols
                .iter()
                .map(|c| format!("{:>8}", row.get(*c).copied().unwrap_or(0)))
                .collect();
            let _ = writeln!(s, "  {g:<22}{}", cells.join(" "));
        }
        for e in &self.errors {
            let _ = writeln!(
                s,
                "- [{}] {}\n    gold: {}\n    pred: {}  ({})",
                e.article_id, e.gold_text, e.gold, e.predicted, e.rule
            );
        }
        s
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn c(id: &str, start: usize, end: usize, t: &[&str], source: &[&str]) -> EvalClaim {
        EvalClaim {
            article_id: id.into(),
            start,
            end,
            text: format!("{start}-{end}"),
            source_type: t.iter().map(|s| s.to_string()).collect(),
            source: source.iter().map(|s| s.to_string()).collect(),
            quote_type: vec!["none".into()],
            cue: vec![String::new()],
            rule: "r".into(),
        }
    }

    #[test]
    fn figures_computed_by_hand() {
        // Gold: four claims. Pred: one exact, one shifted (IoU 8/12 = 0.67),
        // one split so that neither half reaches 0.5, one extra.
        let gold = vec![
            c("a", 0, 10, &["official_statement"], &["The County"]),
            c("a", 10, 20, &["media_report"], &["Reuters"]),
            c(
                "a",
                20,
                40,
                &["other_source", "official_statement"],
                &["Ana Ruiz"],
            ),
            c("a", 40, 50, &["reporter_observation"], &[""]),
        ];
        let pred = vec![
            c("a", 0, 10, &["official_statement"], &["county"]),
            c("a", 12, 24, &["other_source"], &["Reuters"]),
            c("a", 17, 29, &["official_statement"], &["Ana Ruiz"]),
            c("a", 29, 43, &["official_statement"], &["Ana Ruiz"]),
            c("a", 40, 50, &["reporter_observation"], &[""]),
        ];
        let r = evaluate(&gold, &pred, 10);
        // Matches: (0-10), (10-20 ~ 12-24: inter 8, union 14 = 0.57), (40-50): 3.
        // 20-40 ~ 17-29 is 9/23 = 0.39 and ~ 29-43 is 11/23 = 0.48: no match.
        assert_eq!(r.matched, 3);
        assert!((r.segmentation.precision - 3.0 / 5.0).abs() < 1e-9);
        assert!((r.segmentation.recall - 3.0 / 4.0).abs() < 1e-9);
        // Types right: claim 1 and claim 4 -> 2 of 4.
        assert!((r.source_type_accuracy - 0.5).abs() < 1e-9);
        // Sources right: "county" = "The County" (leading the, case), Reuters, "" -> 3 of 4.
        assert!((r.source_accuracy - 0.75).abs() < 1e-9);
        // media_report: no TP, 1 gold, 0 predicted.
        assert_eq!(r.per_type["media_report"].f1, 0.0);
        // official_statement: TP 1, predicted 3, gold 1 (the unmatched claim 3
        // counts under its first label, other_source).
        let o = r.per_type["official_statement"];
        assert!((o.precision - 1.0 / 3.0).abs() < 1e-9 && (o.recall - 1.0).abs() < 1e-9);
        assert_eq!(r.confusion["other_source"]["missing"], 1);
        assert_eq!(r.confusion["official_statement"].get("missing"), None);
        assert_eq!(r.confusion["media_report"]["other_source"], 1);
        assert_eq!(r.errors.len(), 2);
    }

    #[test]
    fn alternatives_count_as_right() {
        let gold = vec![c(
            "a",
            0,
            10,
            &["other_source", "official_statement"],
            &["Ministry of Health", "health ministry"],
        )];
        let pred = vec![c("a", 0, 10, &["official_statement"], &["Health Ministry"])];
        let r = evaluate(&gold, &pred, 0);
        assert_eq!(r.source_type_accuracy, 1.0);
        assert_eq!(r.source_accuracy, 1.0);
        assert_eq!(r.per_type["official_statement"].f1, 1.0);
    }

    #[test]
    fn source_normalisation() {
        assert_eq!(
            normalize_source("The  Department of Homeland-Security."),
            "department of homeland security"
        );
    }
}
