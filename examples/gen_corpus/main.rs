//! Writes a deterministic synthetic news corpus for benchmarks.
//!
//! ```sh
//! cargo run --release --example gen_corpus -- --out /tmp/corpus --size 500MB [--seed 1]
//! ```
//!
//! The same `--seed` and `--size` always give the same files, byte for byte.
//! Typical articles are 2-8 KB: about 84% `.txt` with front matter (some with
//! CRLF line ends, a few with a BOM or no front matter) in
//! `<outlet>/<year>/<month>/`, about 5% `.html` pages in `<outlet>/web/`, and
//! about 11% as lines of `.jsonl` dumps (20-100 articles each) in `dumps/`. `pathological/` holds one huge
//! article (`--huge`, 20 MB by default), an article that is one 100 KB
//! paragraph, and an article with unbalanced quotation marks; they count
//! towards `--size`. A `MANIFEST.txt` at the top lists the figures.

mod corpus;

use std::fs;
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use corpus::{Rng, Shape};

const USAGE: &str = "usage: gen_corpus --out DIR --size SIZE [--seed N] [--huge SIZE]
  SIZE: bytes, or with a unit: 500MB, 50MB, 2GB, 100KB (decimal), 64MiB (binary)
  --huge SIZE   size of the single huge article (default 20MB; 0 for none)";

struct Args {
    out: PathBuf,
    size: u64,
    seed: u64,
    huge: u64,
}

fn parse_size(s: &str) -> Result<u64, String> {
    let s = s.trim();
    let split = s
        .find(|c: char| !c.is_ascii_digit() && c != '.')
        .unwrap_or(s.len());
    let (num, unit) = s.split_at(split);
    let num: f64 = num.parse().map_err(|_| format!("bad size: {s}"))?;
    let mult = match unit.trim().to_ascii_lowercase().as_str() {
        "" | "b" => 1.0,
        "kb" | "k" => 1e3,
        "mb" | "m" => 1e6,
        "gb" | "g" => 1e9,
        "kib" => 1024.0,
        "mib" => 1024.0 * 1024.0,
        "gib" => 1024.0 * 1024.0 * 1024.0,
        other => return Err(format!("bad size unit: {other}")),
    };
    Ok((num * mult) as u64)
}

fn parse_args() -> Result<Args, String> {
    let mut out = None;
    let mut size = None;
    let mut seed = 1;
    let mut huge = 20_000_000;
    let mut args = std::env::args().skip(1);
    while let Some(a) = args.next() {
        let mut value = || args.next().ok_or_else(|| format!("{a} needs a value"));
        match a.as_str() {
            "--out" => out = Some(PathBuf::from(value()?)),
            "--size" => size = Some(parse_size(&value()?)?),
            "--seed" => seed = value()?.parse().map_err(|_| "bad --seed".to_string())?,
            "--huge" => huge = parse_size(&value()?)?,
            "-h" | "--help" => return Err(String::new()),
            other => return Err(format!("unknown argument: {other}")),
        }
    }
    Ok(Args {
        out: out.ok_or("--out is required")?,
        size: size.ok_or("--size is required")?,
        seed,
        huge,
    })
}

/// What was written.
#[derive(Default)]
struct Tally {
    bytes: u64,
    files: u64,
    articles: u64,
    txt: u64,
    html: u64,
    jsonl_files: u64,
    jsonl_articles: u64,
    crlf: u64,
}

fn write(root: &Path, rel: &str, bytes: &[u8], tally: &mut Tally) -> io::Result<()> {
    let path = root.join(rel);
    if let Some(dir) = path.parent() {
        fs::create_dir_all(dir)?;
    }
    fs::write(&path, bytes)?;
    tally.bytes += bytes.len() as u64;
    tally.files += 1;
    Ok(())
}

fn generate(args: &Args) -> io::Result<Tally> {
    if args.out.exists() && fs::read_dir(&args.out)?.next().is_some() {
        return Err(io::Error::other(format!(
            "{} exists and is not empty: give a new folder",
            args.out.display()
        )));
    }
    fs::create_dir_all(&args.out)?;
    let root = args.out.as_path();
    let mut tally = Tally::default();

    // Pathological articles first, each from its own stream.
    if args.huge > 0 {
        let mut rng = Rng::derive(args.seed, u64::MAX);
        let shape = Shape {
            len: args.huge as usize,
            people: 40,
            straight: false,
            dateline: true,
        };
        let a = corpus::article(&mut rng, "huge_article", shape);
        write(
            root,
            "pathological/huge_article.txt",
            &a.to_txt(false, false, true),
            &mut tally,
        )?;
        tally.articles += 1;
        tally.txt += 1;
    }
    let mut rng = Rng::derive(args.seed, u64::MAX - 1);
    let a = corpus::one_paragraph(&mut rng, "one_paragraph", 100_000);
    write(
        root,
        "pathological/one_paragraph.txt",
        &a.to_txt(false, false, true),
        &mut tally,
    )?;
    let mut rng = Rng::derive(args.seed, u64::MAX - 2);
    let a = corpus::unbalanced_quotes(&mut rng, "unbalanced_quotes", 60_000);
    write(
        root,
        "pathological/unbalanced_quotes.txt",
        &a.to_txt(false, false, true),
        &mut tally,
    )?;
    tally.articles += 2;
    tally.txt += 2;

    // Typical articles until the size is reached.
    let mut plan = Rng::derive(args.seed, 0);
    let mut n: u64 = 0;
    let mut dump = 0;
    while tally.bytes < args.size {
        let roll = plan.below(1000);
        if roll < 2 {
            // A JSONL dump of 20-100 articles.
            let count = plan.range(20, 100);
            let mut lines = String::new();
            for _ in 0..count {
                n += 1;
                let mut rng = Rng::derive(args.seed, n);
                let shape = Shape::typical(&mut rng);
                let a = corpus::article(&mut rng, &format!("j{n:07}"), shape);
                lines.push_str(&a.to_jsonl());
                lines.push('\n');
            }
            dump += 1;
            write(
                root,
                &format!("dumps/dump_{dump:04}.jsonl"),
                lines.as_bytes(),
                &mut tally,
            )?;
            tally.articles += count as u64;
            tally.jsonl_files += 1;
            tally.jsonl_articles += count as u64;
            continue;
        }
        n += 1;
        let mut rng = Rng::derive(args.seed, n);
        let shape = Shape::typical(&mut rng);
        let id = format!("a{n:07}");
        let a = corpus::article(&mut rng, &id, shape);
        let outlet = corpus::outlet_slug(&a);
        let (year, month) = (&a.published[..4], &a.published[5..7]);
        if roll < 62 {
            let page = a.to_html(&mut rng);
            write(
                root,
                &format!("{outlet}/web/{id}.html"),
                page.as_bytes(),
                &mut tally,
            )?;
            tally.html += 1;
        } else {
            let crlf = rng.chance(0.1);
            let bom = rng.chance(0.02);
            let front = !rng.chance(0.03);
            let bytes = a.to_txt(crlf, bom, front);
            write(
                root,
                &format!("{outlet}/{year}/{month}/{id}.txt"),
                &bytes,
                &mut tally,
            )?;
            tally.txt += 1;
            tally.crlf += crlf as u64;
        }
        tally.articles += 1;
    }
    let manifest = format!(
        "claimtag benchmark corpus\nseed: {}\nrequested_bytes: {}\nbytes: {}\nfiles: {}\narticles: {}\ntxt_files: {}\ncrlf_txt_files: {}\nhtml_files: {}\njsonl_files: {}\njsonl_articles: {}\nhuge_article_bytes: {}\n",
        args.seed, args.size, tally.bytes, tally.files, tally.articles, tally.txt, tally.crlf,
        tally.html, tally.jsonl_files, tally.jsonl_articles, args.huge
    );
    // The manifest is not an input claimtag reads (.txt would be: use .manifest).
    fs::write(root.join("MANIFEST"), manifest)?;
    Ok(tally)
}

fn main() -> ExitCode {
    let args = match parse_args() {
        Ok(a) => a,
        Err(e) => {
            if !e.is_empty() {
                eprintln!("gen_corpus: {e}");
            }
            eprintln!("{USAGE}");
            return ExitCode::from(2);
        }
    };
    let started = std::time::Instant::now();
    match generate(&args) {
        Ok(t) => {
            let _ = writeln!(
                io::stderr(),
                "gen_corpus: {} bytes, {} files, {} articles ({} txt, {} html, {} in {} jsonl) in {:.1} s -> {}",
                t.bytes,
                t.files,
                t.articles,
                t.txt,
                t.html,
                t.jsonl_articles,
                t.jsonl_files,
                started.elapsed().as_secs_f64(),
                args.out.display()
            );
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("gen_corpus: {e}");
            ExitCode::FAILURE
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn files(root: &Path) -> Vec<(PathBuf, Vec<u8>)> {
        let mut out = Vec::new();
        let mut stack = vec![root.to_path_buf()];
        while let Some(dir) = stack.pop() {
            for entry in fs::read_dir(&dir).unwrap() {
                let path = entry.unwrap().path();
                if path.is_dir() {
                    stack.push(path);
                } else {
                    let bytes = fs::read(&path).unwrap();
                    out.push((path.strip_prefix(root).unwrap().to_path_buf(), bytes));
                }
            }
        }
        out.sort();
        out
    }

    fn corpus(name: &str, seed: u64) -> Vec<(PathBuf, Vec<u8>)> {
        let out = std::env::temp_dir().join(format!("gen_corpus-{}-{name}", std::process::id()));
        let _ = fs::remove_dir_all(&out);
        let args = Args {
            out: out.clone(),
            size: 1_000_000,
            seed,
            huge: 50_000,
        };
        generate(&args).unwrap();
        let f = files(&out);
        fs::remove_dir_all(&out).unwrap();
        f
    }

    #[test]
    fn same_seed_same_bytes() {
        let a = corpus("a", 3);
        assert_eq!(a, corpus("b", 3));
        assert_ne!(a, corpus("c", 4));
        let names: Vec<String> = a.iter().map(|(p, _)| p.display().to_string()).collect();
        for want in [
            "pathological/huge_article.txt",
            "pathological/one_paragraph.txt",
        ] {
            assert!(names.iter().any(|n| n == want), "{want} missing");
        }
        assert!(names.iter().any(|n| n.ends_with(".html")));
    }

    #[test]
    fn sizes() {
        assert_eq!(parse_size("500MB"), Ok(500_000_000));
        assert_eq!(parse_size("64MiB"), Ok(64 << 20));
        assert_eq!(parse_size("1.5kb"), Ok(1500));
        assert!(parse_size("5 parsecs").is_err());
    }
}
