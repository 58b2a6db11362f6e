//! Synthetic news articles for benchmarks: deterministic, std only.
//!
//! Shared by the `gen_corpus` example (which writes a corpus to disk) and the
//! `stages` bench (which builds its inputs in memory), so both measure the
//! same kind of text. Every choice comes from [`Rng`], a SplitMix64 generator:
//! the same seed gives the same articles, byte for byte, on every machine.
//!
//! The text is built to exercise the pipeline, not to read well: datelines,
//! direct, split, multi-sentence and multi-paragraph quotations, `X said
//! that`, `according to`, media reports and hedges, titles before names,
//! abbreviations (`Dr.`, `U.S.`, `p.m.`, `Inc.`), decimals and money, and
//! multibyte text (accents, curly quotes, emoji, em dashes).

// The example and the bench each use part of this module.
#![allow(dead_code)]

use std::fmt::Write as _;

/// SplitMix64: tiny, fast, and good enough to vary text.
#[derive(Debug, Clone)]
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Self {
        Rng(seed)
    }

    /// A generator for item `n` of a stream seeded with `seed`, independent of
    /// how many numbers earlier items drew.
    pub fn derive(seed: u64, n: u64) -> Self {
        let mut r = Rng(seed ^ n.wrapping_mul(0xA24B_AED4_963E_E407));
        r.next_u64();
        r
    }

    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A number in `0..n` (`n > 0`).
    pub fn below(&mut self, n: usize) -> usize {
        (((self.next_u64() >> 11) as u128 * n as u128) >> 53) as usize
    }

    /// A number in `lo..=hi`.
    pub fn range(&mut self, lo: usize, hi: usize) -> usize {
        lo + self.below(hi - lo + 1)
    }

    /// True with probability `p`.
    pub fn chance(&mut self, p: f64) -> bool {
        ((self.next_u64() >> 11) as f64) / ((1u64 << 53) as f64) < p
    }

    pub fn pick<T: Copy>(&mut self, items: &[T]) -> T {
        items[self.below(items.len())]
    }
}

const FIRST: &[&str] = &[
    "Ana",
    "Dale",
    "Hannah",
    "Tomás",
    "Irene",
    "Kayla",
    "Lila",
    "Frank",
    "Marcus",
    "Priya",
    "Wei",
    "Olumide",
    "Zoë",
    "José",
    "Björn",
    "Łukasz",
    "Renée",
    "Siobhán",
    "Mohammed",
    "Aisha",
    "Hiroshi",
    "François",
    "Günter",
    "Søren",
    "Inês",
    "Rafael",
    "Keisha",
    "Darnell",
    "Yvette",
    "Daniel",
    "Grace",
    "Samuel",
    "Elena",
    "Dmitri",
    "Fatima",
    "Jürgen",
    "Maëlle",
    "Noah",
    "Olivia",
    "Chidi",
    "Ingrid",
    "Mateo",
    "Anjali",
    "Kwame",
    "Sofía",
    "Pádraig",
    "Yusuf",
];

const LAST: &[&str] = &[
    "Ruiz",
    "Hutchins",
    "Pruitt",
    "Reyes",
    "Caldwell",
    "Brandt",
    "Ferrante",
    "Delmonico",
    "Okafor",
    "Nakamura",
    "Müller",
    "Šimić",
    "O'Brien",
    "García",
    "Nguyễn",
    "Kowalski",
    "Åberg",
    "Lefèvre",
    "Patel",
    "Haddad",
    "Johnson",
    "Williams",
    "Moreau",
    "Castillo",
    "Ibarra",
    "Sandoval",
    "Ferreira",
    "Whitaker",
    "Lindqvist",
    "Dubois",
    "Chowdhury",
    "Mbeki",
    "Santos",
    "Kim",
    "Oyelaran",
    "Petrović",
    "Gallagher",
    "Van der Berg",
    "Al-Masri",
    "Kaczmarek",
];

/// Titles that go before a name, with the body they usually belong to.
const TITLES: &[(&str, &str)] = &[
    ("Sheriff", "{place} County Sheriff's Office"),
    ("Mayor", "{place} City Hall"),
    ("Gov.", "the governor's office"),
    ("Sen.", "the U.S. Senate"),
    ("Rep.", "the state House"),
    ("Police Chief", "{place} Police Department"),
    ("Fire Chief", "{place} Fire Department"),
    ("Council Member", "{place} City Council"),
    (
        "Assistant Secretary",
        "the U.S. Department of Homeland Security",
    ),
    (
        "District Attorney",
        "the {place} County District Attorney's Office",
    ),
    ("Judge", "the {place} County Superior Court"),
    ("Lt.", "{place} Police Department"),
    ("Sgt.", "the state highway patrol"),
    ("Capt.", "the U.S. Coast Guard"),
    (
        "Health Commissioner Dr.",
        "the {place} Department of Health",
    ),
    ("Superintendent", "the {place} School Board"),
];

/// Roles given after a name (`Irene Caldwell, a professor at ...`).
const ROLES: &[&str] = &[
    "a spokesperson for the {body}",
    "a spokeswoman for the {body}",
    "a spokesman for the {body}",
    "the county's emergency management director",
    "a professor of civil engineering at {place} State University",
    "an economist at the {surname} Institute",
    "a neighbour who has lived on the street for {n} years",
    "the company's chief executive",
    "a lawyer representing the family",
    "an analyst at {surname} & Co.",
    "a nurse at St. Luke's Hospital",
    "a union steward at the plant",
    "who owns a café on Main St.",
    "a resident of the {place} neighbourhood",
    "the president of the {surname} Foundation",
    "a senior official who spoke on condition of anonymity",
    "a retired firefighter",
    "the director of the {place} Community Food Bank",
];

const BODIES: &[&str] = &[
    "{place} Police Department",
    "{place} County Sheriff's Office",
    "Department of Transportation",
    "U.S. Department of Justice",
    "Federal Aviation Administration",
    "{place} City Council",
    "state Department of Health",
    "Environmental Protection Agency",
    "Food and Drug Administration",
    "{place} School Board",
    "National Weather Service",
    "U.S. Coast Guard",
    "{place} Housing Authority",
    "Securities and Exchange Commission",
];

const COMPANIES: &[&str] = &[
    "{surname} Steel Inc.",
    "Harbor Freight Co.",
    "{place} Power & Light",
    "Northwind Airlines",
    "Corvel Pharmaceuticals Inc.",
    "Brightline Logistics LLC",
    "Meridian Health Corp.",
    "Quantic Systems Ltd.",
];

const OUTLETS: &[&str] = &[
    "Reuters",
    "The Associated Press",
    "Bloomberg News",
    "The New York Times",
    "The Washington Post",
    "Politico",
    "NPR",
    "the BBC",
    "Le Monde",
    "Der Spiegel",
    "El País",
    "local station WMFR-TV",
    "the {place} Gazette",
];

/// Outlets that publish the articles (front matter), with a URL host.
const OWN_OUTLETS: &[(&str, &str)] = &[
    ("Associated Press", "apnews.example"),
    ("The Harbor Ledger", "harborledger.example"),
    ("Metro Courier", "metrocourier.example"),
    ("Valley Tribune", "valleytribune.example"),
    ("The Daily Sentinel", "dailysentinel.example"),
    ("Northern Star", "northernstar.example"),
    ("Coastline News", "coastlinenews.example"),
    ("La Voz del Valle", "lavozdelvalle.example"),
];

const PLACES: &[(&str, &str)] = &[
    ("Marlow Falls", "Ohio"),
    ("Port Alden", "Wash."),
    ("Ravenna Heights", "Ill."),
    ("Cedar Bluff", "Texas"),
    ("Kingsbridge", "N.Y."),
    ("Santa Lucía", "Calif."),
    ("Millbrook", "Pa."),
    ("Brunswick", "Ga."),
    ("Lake Orrin", "Mich."),
    ("Fairhaven", "Mass."),
    ("Palmetto Key", "Fla."),
    ("São Bento", "Brazil"),
    ("Montréal", "Quebec"),
    ("Kraków", "Poland"),
    ("Düsseldorf", "Germany"),
];

const DAYS: &[&str] = &[
    "Monday",
    "Tuesday",
    "Wednesday",
    "Thursday",
    "Friday",
    "Saturday",
    "Sunday",
];

const MONTHS: &[&str] = &[
    "Jan.", "Feb.", "March", "April", "May", "June", "July", "Aug.", "Sept.", "Oct.", "Nov.",
    "Dec.",
];

/// A topic: what happened, in pieces that combine into clauses.
struct Topic {
    headline: &'static str,
    subjects: &'static [&'static str],
    predicates: &'static [&'static str],
    quotes: &'static [&'static str],
}

const TOPICS: &[Topic] = &[
    Topic {
        headline: "Bridge gives way during morning commute in {place}",
        subjects: &[
            "the bridge",
            "the center span",
            "divers",
            "crews",
            "inspectors",
            "the state",
            "at least {n} vehicles",
        ],
        predicates: &[
            "had been rated in “poor” condition since {month} {year}",
            "pulled {n} survivors from the river by {time}",
            "spent ${m} million on joint repairs last year",
            "remained closed to traffic on {day}",
            "was last inspected in {month}, records show",
            "carried about {k} vehicles a day before the collapse",
        ],
        quotes: &[
            "We're treating this as a recovery operation now, but we haven't given up hope",
            "The current is strong and the water is about {n} degrees",
            "Nobody should have to wonder whether the road will hold",
            "I saw the truck's taillights go down, and then they were gone",
            "We will find out exactly what went wrong and who knew what",
        ],
    },
    Topic {
        headline: "{place} council passes ${m} million budget after late-night vote",
        subjects: &[
            "the council",
            "the budget",
            "property taxes",
            "the police department's share",
            "library hours",
            "the city",
        ],
        predicates: &[
            "would rise by {p}% under the plan",
            "passed {n}-{n} shortly after 11 p.m. on {day}",
            "includes ${m} million for road repairs",
            "faces a shortfall of about ${m} million by fiscal {year}",
            "will be cut to {n} hours a week",
            "drew more than {k} public comments",
        ],
        quotes: &[
            "This budget asks everyone to give a little, and nobody got everything they wanted",
            "We cannot keep putting off infrastructure",
            "The numbers simply don't add up",
            "It's a responsible plan in an irresponsible year",
            "Families are going to feel this — every single one of them",
        ],
    },
    Topic {
        headline: "Workers at {place} plant walk out as contract talks stall",
        subjects: &[
            "the union",
            "about {k} workers",
            "the company",
            "negotiators",
            "the picket line",
            "production",
        ],
        predicates: &[
            "rejected an offer of a {p}% raise over {n} years",
            "walked off the job at 6 a.m. on {day}",
            "had halted at {n} of the firm's plants by {time}",
            "offered ${m} million in retention bonuses",
            "last met on {month} {n}, according to a timeline posted online",
            "stretched for nearly {n} blocks along Route {n}",
        ],
        quotes: &[
            "We've given this company {n} years of our lives",
            "Our offer is fair and it is final",
            "I can't pay rent with a thank-you note",
            "Nobody wants a strike, but nobody wants to be walked over either",
            "We'll be out here as long as it takes ✊",
        ],
    },
    Topic {
        headline: "Floodwaters rise in {place} as river crests above record",
        subjects: &[
            "the river",
            "floodwaters",
            "the levee",
            "emergency crews",
            "about {k} residents",
            "the National Weather Service",
        ],
        predicates: &[
            "crested at {d} feet on {day}, about {n} feet above flood stage",
            "forced the closure of Route {n} and Interstate {n}",
            "damaged at least {n} homes along River St.",
            "were evacuated before {time}",
            "expects another {d} inches of rain by {day}",
            "has cost the county an estimated ${m} million so far",
        ],
        quotes: &[
            "The water came up faster than anybody expected",
            "If you are told to leave, leave — do not wait",
            "We lost everything on the first floor, the couch, the photos, all of it",
            "This levee was never built for a storm like this",
            "We're asking people to stay off the roads tonight",
        ],
    },
    Topic {
        headline: "Former executive convicted of fraud in {place} trial",
        subjects: &[
            "the jury",
            "prosecutors",
            "the defendant",
            "the scheme",
            "investors",
            "the judge",
        ],
        predicates: &[
            "deliberated for {n} hours before returning a verdict on {day}",
            "diverted about ${m} million from investor accounts",
            "lost an estimated ${m} million, court records show",
            "set sentencing for {month} {n}",
            "faces up to {n} years in federal prison",
            "allegedly used shell companies registered in Delaware",
        ],
        quotes: &[
            "Today's verdict is a reminder that nobody is above the law",
            "My client is disappointed and will appeal",
            "I trusted him with my retirement, and he took it",
            "The evidence was overwhelming, and the jury saw it",
            "This case was never about greed; it was about a business that failed",
        ],
    },
    Topic {
        headline: "Hospital outbreak in {place} sickens {n} patients",
        subjects: &[
            "the hospital",
            "health officials",
            "the outbreak",
            "at least {n} patients",
            "the state lab",
            "visitors",
        ],
        predicates: &[
            "confirmed {n} new cases on {day}",
            "traced the infections to a ventilation unit on the {n}th floor",
            "were moved to a separate ward before {time}",
            "will be limited to one per patient until further notice",
            "has spent ${m} million on new filters since {month}",
            "tested {k} samples over the weekend",
        ],
        quotes: &[
            "We are confident the source has been contained",
            "Patients and families deserve straight answers",
            "I was told my mother was safe there",
            "Every new case tells us something about how this spread",
            "We're following the protocol, step by step",
        ],
    },
    Topic {
        headline: "Airline cancels {k} flights after computer outage",
        subjects: &[
            "the airline",
            "the outage",
            "passengers",
            "the Federal Aviation Administration",
            "gate agents",
            "the carrier's shares",
        ],
        predicates: &[
            "cancelled more than {k} flights on {day}",
            "began shortly after 4:15 a.m. Eastern time",
            "waited in lines that stretched for {n} hours at some hubs",
            "fell {p}% in early trading",
            "said the problem was not caused by a cyberattack",
            "will offer refunds of up to ${n} per ticket",
        ],
        quotes: &[
            "We sincerely apologise to every customer whose plans were disrupted",
            "Nobody told us anything for three hours",
            "This is what happens when you run an airline on software from the 1990s",
            "I missed my daughter's wedding 😞",
            "We expect to be back to a normal schedule by tomorrow",
        ],
    },
    Topic {
        headline: "School board protest in {place} ends with {n} arrests",
        subjects: &[
            "protesters",
            "the board",
            "police",
            "parents",
            "the meeting",
            "students",
        ],
        predicates: &[
            "gathered outside the district office before the {time} vote",
            "voted {n}-{n} to close {n} elementary schools",
            "arrested {n} people on charges of disorderly conduct",
            "was adjourned after about {n} minutes",
            "chanted “Save our schools” for nearly an hour",
            "collected more than {k} signatures on a petition",
        ],
        quotes: &[
            "These schools are the heart of this neighbourhood",
            "We had to make a hard choice with the money we have",
            "My kids will be on a bus for an hour each way",
            "Nobody on this board wants to close a school",
            "We'll be back at every meeting until they listen",
        ],
    },
];

/// Quotations that fit any topic.
const GENERIC_QUOTES: &[&str] = &[
    "I have never seen anything like this in {n} years",
    "We owe it to the people of {place} to get this right",
    "There will be time for questions later; right now we're focused on the families",
    "Honestly, I don't know what happens next",
    "We were told one thing in {month} and something completely different a week later",
    "It's not about politics — it's about whether people are safe",
    "We've asked for the data, and we're still waiting",
    "Anyone who says this was unforeseeable hasn't read the reports",
    "The U.S. has dealt with worse, and we'll get through this too",
    "Dr. {surname} was the first to warn us, back in {year}",
    "That's ${m} million we don't have",
    "I'd call it a mess, but that would be generous",
    "Nobody from the city has knocked on my door. Not once",
    "We're grateful to the crews who worked through the night 🙏",
    "C'est la vie, I suppose — but it shouldn't be",
    "Estamos cansados de esperar, and so is everyone on this street",
    "The plan was approved at 10:30 p.m., after most people had gone home",
    "This is the third time since {year} — the third time",
    "Is anyone listening? Because it doesn't feel like it",
    "The report from Smith & Sons Inc. said the risk was 0.5%, which was wrong",
];

const NARRATIVE_EXTRA: &[&str] = &[
    "The façade of the old courthouse, built in 1911, was draped in black bunting.",
    "A small café across the street — the only business still open — served coffee to crews through the night.",
    "The U.S. flag at the fire station flew at half-staff.",
    "Dr. Elena Petrović's clinic on Elm St. stayed open until 9 p.m.",
    "The naïve hope that the rain would stop by noon faded quickly.",
    "Traffic on I-95 slowed to a crawl near Exit 4.",
    "Rents in the area have risen about 12.5% since 2021.",
    "The mayor's office did not respond to a request for comment.",
    "Photos posted online showed a line of people outside the shelter at 5:30 a.m.",
    "The company, founded in 1987, employs about 3,400 people in the region.",
];

/// How quotation marks and apostrophes are written in one article.
#[derive(Debug, Clone, Copy)]
struct Marks {
    open: &'static str,
    close: &'static str,
    inner_open: &'static str,
    inner_close: &'static str,
    apostrophe: char,
}

const CURLY: Marks = Marks {
    open: "\u{201c}",
    close: "\u{201d}",
    inner_open: "\u{2018}",
    inner_close: "\u{2019}",
    apostrophe: '\u{2019}',
};
const STRAIGHT: Marks = Marks {
    open: "\"",
    close: "\"",
    inner_open: "'",
    inner_close: "'",
    apostrophe: '\'',
};

/// A person in an article's cast.
#[derive(Debug, Clone)]
struct Person {
    first: &'static str,
    last: &'static str,
    /// `Sheriff`, or empty.
    title: &'static str,
    /// An appositive role, or empty.
    role: String,
    female: bool,
    mentioned: bool,
}

/// An article's metadata and paragraphs (no dateline separated out: it is in
/// the first paragraph).
#[derive(Debug, Clone, Default)]
pub struct GenArticle {
    pub id: String,
    pub title: String,
    pub outlet: String,
    pub published: String,
    pub url: String,
    pub byline: String,
    /// Extra front matter keys.
    pub extra: Vec<(String, String)>,
    pub paragraphs: Vec<String>,
}

impl GenArticle {
    /// The body text as claimtag sees it: paragraphs joined by a blank line.
    pub fn body(&self) -> String {
        self.paragraphs.join("\n\n")
    }

    /// A `.txt` file: front matter then body, LF or CRLF, optional BOM.
    pub fn to_txt(&self, crlf: bool, bom: bool, front_matter: bool) -> Vec<u8> {
        let mut s =
            String::with_capacity(self.paragraphs.iter().map(|p| p.len() + 2).sum::<usize>() + 400);
        if bom {
            s.push('\u{feff}');
        }
        if front_matter {
            s.push_str("---\n");
            let _ = writeln!(s, "id: {}", self.id);
            let _ = writeln!(s, "title: {}", self.title);
            let _ = writeln!(s, "outlet: {}", self.outlet);
            let _ = writeln!(s, "published: {}", self.published);
            let _ = writeln!(s, "url: {}", self.url);
            let _ = writeln!(s, "byline: {}", self.byline);
            for (k, v) in &self.extra {
                let _ = writeln!(s, "{k}: {v}");
            }
            s.push_str("---\n");
        }
        for (i, p) in self.paragraphs.iter().enumerate() {
            if i > 0 {
                s.push('\n');
            }
            s.push_str(p);
            s.push('\n');
        }
        if crlf {
            s.replace('\n', "\r\n").into_bytes()
        } else {
            s.into_bytes()
        }
    }

    /// One JSON object on one line (no trailing newline).
    pub fn to_jsonl(&self) -> String {
        let mut s =
            String::with_capacity(self.paragraphs.iter().map(|p| p.len() + 4).sum::<usize>() + 400);
        s.push('{');
        for (key, value) in [
            ("id", &self.id),
            ("title", &self.title),
            ("outlet", &self.outlet),
            ("published", &self.published),
            ("url", &self.url),
            ("byline", &self.byline),
        ] {
            let _ = write!(s, "\"{key}\": ");
            json_string(&mut s, value);
            s.push_str(", ");
        }
        s.push_str("\"text\": ");
        json_string(&mut s, &self.body());
        s.push('}');
        s
    }

    /// A whole web page with the article inside `<article>` and furniture
    /// around it that ingest must drop.
    pub fn to_html(&self, rng: &mut Rng) -> String {
        let mut s = String::with_capacity(
            self.paragraphs.iter().map(|p| p.len() + 16).sum::<usize>() + 2000,
        );
        s.push_str("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n  <meta charset=\"utf-8\">\n");
        let _ = writeln!(
            s,
            "  <title>{} | {}</title>",
            html_escape(&self.title),
            html_escape(&self.outlet)
        );
        let _ = writeln!(
            s,
            "  <meta name=\"author\" content=\"{}\">",
            html_escape(self.byline.trim_start_matches("By "))
        );
        let _ = writeln!(
            s,
            "  <meta property=\"og:site_name\" content=\"{}\">",
            html_escape(&self.outlet)
        );
        let _ = writeln!(
            s,
            "  <meta property=\"article:published_time\" content=\"{}\">",
            self.published
        );
        let _ = writeln!(s, "  <link rel=\"canonical\" href=\"{}\">", self.url);
        s.push_str("  <script>window.dataLayer = window.dataLayer || []; function gtag(){dataLayer.push(arguments);} gtag('js', new Date());</script>\n");
        s.push_str("  <style>.pull-quote { font-size: 1.6em; } .paywall { display: none; }</style>\n</head>\n");
        s.push_str("<body class=\"article-page\">\n  <header class=\"site-header\"><a href=\"/\">Home</a> &middot; <a href=\"/news\">News</a></header>\n");
        s.push_str("  <nav><ul><li><a href=\"/local\">Local</a></li><li><a href=\"/politics\">Politics</a></li><li><a href=\"/sports\">Sports</a></li></ul></nav>\n");
        s.push_str("  <main>\n    <article>\n");
        let _ = writeln!(s, "      <h1>{}</h1>", html_escape(&self.title));
        let _ = writeln!(
            s,
            "      <p class=\"byline\">{}</p>",
            html_escape(&self.byline)
        );
        for (i, p) in self.paragraphs.iter().enumerate() {
            if i == 2 {
                s.push_str("      <figure><img src=\"/img/photo.jpg\" alt=\"\"><figcaption>Crews at the scene on Tuesday. (Photo: Staff)</figcaption></figure>\n");
            }
            if i == 4 && rng.chance(0.5) {
                s.push_str("      <aside class=\"related\"><h3>Related</h3><a href=\"/x\">More coverage</a></aside>\n");
            }
            // Entities for some marks, and whitespace that must collapse.
            let body = html_escape(p)
                .replace('\u{2019}', "&rsquo;")
                .replace('\u{2014}', "&mdash;");
            if rng.chance(0.3) {
                let _ = writeln!(
                    s,
                    "      <p>\n        {}\n      </p>",
                    body.replacen(". ", ".\n        ", 1)
                );
            } else {
                let _ = writeln!(s, "      <p>{body}</p>");
            }
        }
        s.push_str("      <div class=\"paywall\"><p>Subscribe to keep reading.</p></div>\n");
        s.push_str("    </article>\n  </main>\n");
        s.push_str("  <footer><p>&copy; 2025 All rights reserved.</p><form><input name=\"email\"></form></footer>\n</body>\n</html>\n");
        s
    }
}

fn json_string(out: &mut String, s: &str) {
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if (c as u32) < 0x20 => {
                let _ = write!(out, "\\u{:04x}", c as u32);
            }
            c => out.push(c),
        }
    }
    out.push('"');
}

fn html_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 16);
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            c => out.push(c),
        }
    }
    out
}

/// Writes one article's paragraphs.
struct Writer<'r> {
    rng: &'r mut Rng,
    marks: Marks,
    topic: &'static Topic,
    place: (&'static str, &'static str),
    cast: Vec<Person>,
    /// The person spoken of last (for `he said` and `Ruiz added`).
    last_speaker: Option<usize>,
}

impl Writer<'_> {
    /// Fills `{place}`, `{surname}`, `{body}`, `{n}`, `{k}`, `{m}`, `{d}`,
    /// `{p}`, `{time}`, `{day}`, `{month}`, `{year}` and fixes apostrophes.
    fn fill(&mut self, template: &str) -> String {
        let mut out = String::with_capacity(template.len() + 32);
        let mut rest = template;
        while let Some(open) = rest.find('{') {
            out.push_str(&rest[..open]);
            let Some(close) = rest[open..].find('}') else {
                out.push_str(&rest[open..]);
                rest = "";
                break;
            };
            let key = &rest[open + 1..open + close];
            rest = &rest[open + close + 1..];
            match key {
                "place" => out.push_str(self.place.0),
                "surname" => out.push_str(self.rng.pick(LAST)),
                "body" => {
                    let body = self.rng.pick(BODIES);
                    let filled = self.fill(body);
                    out.push_str(&filled);
                }
                "n" => {
                    let n = self.rng.range(2, 60);
                    let _ = write!(out, "{n}");
                }
                "k" => {
                    let k = self.rng.range(1, 40) * 100 + self.rng.below(10) * 10;
                    if k >= 1000 {
                        let _ = write!(out, "{},{:03}", k / 1000, k % 1000);
                    } else {
                        let _ = write!(out, "{k}");
                    }
                }
                "m" => {
                    let m = self.rng.range(1, 900);
                    let _ = write!(out, "{}.{}", m / 10 + 1, m % 10);
                }
                "d" => {
                    let d = self.rng.range(10, 400);
                    let _ = write!(out, "{}.{}", d / 10, d % 10);
                }
                "p" => {
                    let p = self.rng.range(5, 150);
                    let _ = write!(out, "{}.{}", p / 10, p % 10);
                }
                "time" => {
                    let h = self.rng.range(1, 12);
                    let m = self.rng.pick(&[0, 15, 30, 45]);
                    let ampm = if self.rng.chance(0.5) { "a.m." } else { "p.m." };
                    if m == 0 {
                        let _ = write!(out, "{h} {ampm}");
                    } else {
                        let _ = write!(out, "{h}:{m:02} {ampm}");
                    }
                }
                "day" => out.push_str(self.rng.pick(DAYS)),
                "month" => out.push_str(self.rng.pick(MONTHS)),
                "year" => {
                    let y = self.rng.range(2015, 2026);
                    let _ = write!(out, "{y}");
                }
                other => {
                    out.push('{');
                    out.push_str(other);
                    out.push('}');
                }
            }
        }
        out.push_str(rest);
        if self.marks.apostrophe != '\'' {
            out = out.replace('\'', "\u{2019}");
        }
        if self.marks.open == "\"" {
            out = out.replace(['\u{201c}', '\u{201d}'], "\"");
        }
        out
    }

    fn fill_pick(&mut self, templates: &[&str]) -> String {
        let t = self.rng.pick(templates);
        self.fill(t)
    }

    fn person(&mut self) -> usize {
        let i = self.rng.below(self.cast.len());
        self.last_speaker = Some(i);
        i
    }

    /// How a person is named: in full with title or role on first mention,
    /// then by surname (or a pronoun right after the last mention).
    fn name(&mut self, i: usize, subject_position: bool) -> String {
        let p = self.cast[i].clone();
        if !p.mentioned {
            self.cast[i].mentioned = true;
            if !p.title.is_empty() {
                return format!("{} {} {}", p.title, p.first, p.last);
            }
            if !p.role.is_empty() && !subject_position {
                return format!("{} {}, {},", p.first, p.last, p.role);
            }
            return format!("{} {}", p.first, p.last);
        }
        if self.rng.chance(0.15) {
            return if p.female { "she" } else { "he" }.to_string();
        }
        p.last.to_string()
    }

    fn cue(&mut self) -> &'static str {
        self.rng.pick(&[
            "said",
            "said",
            "said",
            "said",
            "told reporters",
            "added",
            "said in a statement",
            "wrote on X",
            "told The Associated Press",
            "said Tuesday",
            "explained",
        ])
    }

    fn clause(&mut self) -> String {
        let subject = self.rng.pick(self.topic.subjects);
        let predicate = self.rng.pick(self.topic.predicates);
        let s = self.fill(subject);
        let p = self.fill(predicate);
        format!("{s} {p}")
    }

    fn sentence(&mut self) -> String {
        if self.rng.chance(0.12) {
            return self.fill_pick(NARRATIVE_EXTRA);
        }
        let c = self.clause();
        full_stop(capitalize(&c))
    }

    fn quote_words(&mut self) -> String {
        let q = if self.rng.chance(0.4) {
            self.rng.pick(GENERIC_QUOTES)
        } else {
            self.rng.pick(self.topic.quotes)
        };
        let mut q = self.fill(q);
        if self.rng.chance(0.2) {
            let inner = format!(
                " — and as one neighbour put it, {}not again{} —",
                self.marks.inner_open, self.marks.inner_close
            );
            q.push_str(&inner);
            q.push_str(" we heard that all week");
        }
        q
    }

    fn q(&self, s: &str) -> String {
        format!("{}{}{}", self.marks.open, s, self.marks.close)
    }

    /// One or more paragraphs of a random kind.
    fn paragraphs(&mut self, out: &mut Vec<String>) {
        let roll = self.rng.below(100);
        let o = self.marks.open;
        let c = self.marks.close;
        match roll {
            // Narrative, 1-3 sentences.
            0..=29 => {
                let n = self.rng.range(1, 3);
                let s: Vec<String> = (0..n).map(|_| self.sentence()).collect();
                out.push(s.join(" "));
            }
            // Direct quote, cue after.
            30..=44 => {
                let i = self.person();
                let q = self.quote_words();
                let cue = self.cue();
                if self.rng.chance(0.5) {
                    let name = self.name(i, true);
                    out.push(format!("{o}{q},{c} {name} {cue}."));
                } else {
                    let name = self.name(i, false);
                    let name = name.trim_end_matches(',');
                    out.push(format!("{o}{q},{c} {cue} {name}."));
                }
            }
            // Indirect: `X said that ...`.
            45..=56 => {
                let i = self.person();
                let name = self.name(i, false);
                let clause = self.clause();
                let that = if self.rng.chance(0.6) { " that" } else { "" };
                let verb =
                    self.rng
                        .pick(&["said", "told reporters", "argued", "acknowledged", "warned"]);
                out.push(full_stop(format!(
                    "{} {verb}{that} {clause}",
                    capitalize(&name)
                )));
            }
            // According to.
            57..=63 => {
                let clause = self.clause();
                let src = if self.rng.chance(0.5) {
                    let b = self.fill_pick(BODIES);
                    format!("the {}", b.trim_start_matches("the "))
                } else {
                    let doc = self.rng.pick(&[
                        "court records",
                        "a police report",
                        "inspection records posted by the {body}",
                        "figures released by the {body}",
                        "a statement from {company}",
                    ]);
                    let doc = doc.replace("{company}", self.rng.pick(COMPANIES));
                    self.fill(&doc)
                };
                if self.rng.chance(0.5) {
                    out.push(full_stop(format!("According to {src}, {clause}")));
                } else {
                    out.push(full_stop(format!(
                        "{}, according to {src}",
                        capitalize(&clause)
                    )));
                }
            }
            // Media report.
            64..=69 => {
                let clause = self.clause();
                let outlet = self.fill_pick(OUTLETS);
                match self.rng.below(3) {
                    0 => out.push(full_stop(format!(
                        "{} reported that {clause}",
                        capitalize(&outlet)
                    ))),
                    1 => out.push(format!("{}, {outlet} reported.", capitalize(&clause))),
                    _ => {
                        let subject = capitalize(self.rng.pick(self.topic.subjects));
                        let subject = self.fill(&subject);
                        let predicate = self.fill_pick(self.topic.predicates);
                        out.push(full_stop(format!("{subject} reportedly {predicate}")));
                    }
                }
            }
            // Split quote.
            70..=77 => {
                let i = self.person();
                let a = self.quote_words();
                let b = self.quote_words();
                let name = self.name(i, true);
                let cue = self.cue();
                if self.rng.chance(0.5) {
                    out.push(format!(
                        "{o}{a},{c} {name} {cue}, {o}{}.{c}",
                        lower_first(&b)
                    ));
                } else {
                    out.push(format!("{o}{a},{c} {name} {cue}. {o}{b}.{c}"));
                }
            }
            // Multi-sentence quote.
            78..=83 => {
                let i = self.person();
                let n = self.rng.range(2, 4);
                let qs: Vec<String> = (0..n).map(|_| self.quote_words()).collect();
                let name = self.name(i, true);
                let body = qs.join(". ");
                out.push(format!("{o}{body},{c} {name} said."));
            }
            // `X said:` then a quote paragraph.
            84..=86 => {
                let i = self.person();
                let name = self.name(i, false);
                out.push(format!(
                    "In a statement posted online {}, {name} said:",
                    self.rng.pick(DAYS)
                ));
                let a = self.quote_words();
                let b = self.quote_words();
                out.push(format!("{o}{a}. {b}.{c}"));
            }
            // Multi-paragraph quote: no closing mark until the last paragraph.
            87..=89 => {
                let i = self.person();
                let name = self.name(i, true);
                let a = self.quote_words();
                let b = self.quote_words();
                out.push(format!("{o}{a},{c} {name} said. {o}{b}."));
                let n = self.rng.range(1, 2);
                for k in 0..n {
                    let x = self.quote_words();
                    let y = self.quote_words();
                    if k + 1 == n {
                        out.push(format!("{o}{x}. {y}.{c}"));
                    } else {
                        out.push(format!("{o}{x}. {y}."));
                    }
                }
            }
            // Hedges.
            90..=93 => {
                let subject = capitalize(self.rng.pick(&[
                    "the suspect",
                    "the driver",
                    "the former treasurer",
                    "the contractor",
                ]));
                let verb = self.rng.pick(&["allegedly", "reportedly", "purportedly"]);
                let predicate = self.fill_pick(self.topic.predicates);
                out.push(full_stop(format!("{subject} {verb} {predicate}")));
            }
            // Partial quote (characterisation).
            94..=97 => {
                let i = self.person();
                let name = self.name(i, true);
                let frag = self.rng.pick(&[
                    "a reckless gamble",
                    "deeply troubling",
                    "long overdue",
                    "a betrayal of trust",
                    "the right call",
                ]);
                let verb =
                    self.rng
                        .pick(&["called the decision", "described the plan as", "called it"]);
                out.push(format!(
                    "{} {verb} {o}{frag}{c} and said more details would come {}.",
                    capitalize(&name),
                    self.rng.pick(DAYS)
                ));
            }
            // Multibyte and number-heavy narrative.
            _ => {
                let e = self.rng.pick(&["🙏", "😞", "🔥", "🌊", "✊", "👍🏽"]);
                let clause = self.clause();
                out.push(full_stop(format!(
                    "Residents of {} — many of them in the area’s older neighbourhoods — shared photos online {e}. {}",
                    self.place.0,
                    capitalize(&clause)
                )));
            }
        }
    }
}

/// Ends a sentence with a period unless it already has one (`St.`).
fn full_stop(mut s: String) -> String {
    if !s.ends_with('.') {
        s.push('.');
    }
    s
}

fn capitalize(s: &str) -> String {
    let mut chars = s.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().collect::<String>() + chars.as_str(),
        None => String::new(),
    }
}

fn lower_first(s: &str) -> String {
    // Keep `I` and names capitalised: only lower common sentence openers.
    for w in [
        "We ", "The ", "This ", "Nobody ", "It's ", "It’s ", "My ", "Our ", "Every ", "If ",
        "These ",
    ] {
        if let Some(rest) = s.strip_prefix(w) {
            return w.to_lowercase() + rest;
        }
    }
    s.to_string()
}

fn slug(s: &str) -> String {
    let mut out = String::new();
    for c in s.chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c.to_ascii_lowercase());
        } else if !out.ends_with('-') && !out.is_empty() {
            out.push('-');
        }
    }
    out.trim_end_matches('-').to_string()
}

/// Options for one article.
#[derive(Debug, Clone, Copy)]
pub struct Shape {
    /// Approximate body length in bytes.
    pub len: usize,
    /// Cast size.
    pub people: usize,
    /// Straight quotes instead of curly ones.
    pub straight: bool,
    pub dateline: bool,
}

impl Shape {
    /// A typical article: 2-8 KB.
    pub fn typical(rng: &mut Rng) -> Shape {
        Shape {
            len: rng.range(2000, 8000),
            people: rng.range(2, 6),
            straight: rng.chance(0.3),
            dateline: rng.chance(0.6),
        }
    }
}

/// The outlet index of an article (for folder layout).
pub fn outlet_slug(a: &GenArticle) -> String {
    slug(&a.outlet)
}

/// Generates one article.
pub fn article(rng: &mut Rng, id: &str, shape: Shape) -> GenArticle {
    let topic = &TOPICS[rng.below(TOPICS.len())];
    let place = rng.pick(PLACES);
    let (outlet, host) = rng.pick(OWN_OUTLETS);
    let marks = if shape.straight { STRAIGHT } else { CURLY };
    let cast = (0..shape.people.max(1))
        .map(|_| {
            let titled = rng.chance(0.45);
            let (title, _) = if titled { rng.pick(TITLES) } else { ("", "") };
            Person {
                first: rng.pick(FIRST),
                last: rng.pick(LAST),
                title,
                role: if titled {
                    String::new()
                } else {
                    rng.pick(ROLES).to_string()
                },
                female: rng.chance(0.5),
                mentioned: false,
            }
        })
        .collect();
    let mut w = Writer {
        rng,
        marks,
        topic,
        place,
        cast,
        last_speaker: None,
    };
    // Roles carry placeholders: fill them once per person.
    for i in 0..w.cast.len() {
        let role = w.cast[i].role.clone();
        w.cast[i].role = w.fill(&role);
    }
    let title = w.fill(topic.headline);
    let year = w.rng.range(2019, 2025);
    let month = w.rng.range(1, 12);
    let day = w.rng.range(1, 28);
    let published = format!(
        "{year}-{month:02}-{day:02}T{:02}:{:02}:00Z",
        w.rng.range(0, 23),
        w.rng.below(60)
    );
    let byline = format!(
        "By {} {} and {} {}",
        w.rng.pick(FIRST).to_uppercase(),
        w.rng.pick(LAST).to_uppercase(),
        w.rng.pick(FIRST).to_uppercase(),
        w.rng.pick(LAST).to_uppercase()
    );
    let mut paragraphs = Vec::new();
    let lede = {
        let c = w.clause();
        let attribution = w.rng.pick(&[
            "authorities said",
            "officials said",
            "police said",
            "according to the county",
        ]);
        format!("{}, {attribution}.", capitalize(&c))
    };
    if shape.dateline {
        let short = if outlet == "Associated Press" {
            "AP"
        } else {
            ""
        };
        let city = place.0.to_uppercase();
        if short.is_empty() {
            paragraphs.push(format!("{city}, {} — {lede}", place.1));
        } else {
            paragraphs.push(format!("{city}, {} ({short}) — {lede}", place.1));
        }
    } else {
        paragraphs.push(lede);
    }
    let mut len = paragraphs[0].len();
    while len < shape.len {
        let before = paragraphs.len();
        w.paragraphs(&mut paragraphs);
        len += paragraphs[before..]
            .iter()
            .map(|p| p.len() + 2)
            .sum::<usize>();
    }
    let mut extra = Vec::new();
    if w.rng.chance(0.3) {
        extra.push((
            "section".to_string(),
            (w.rng.pick(&["local", "politics", "business", "weather"])).to_string(),
        ));
    }
    GenArticle {
        id: id.to_string(),
        url: format!(
            "https://{host}/news/{year}/{month:02}/{day:02}/{}-{id}",
            slug(&title)
        ),
        title,
        outlet: outlet.to_string(),
        published,
        byline,
        extra,
        paragraphs,
    }
}

/// An article that is one paragraph on one line of about `len` bytes.
pub fn one_paragraph(rng: &mut Rng, id: &str, len: usize) -> GenArticle {
    let mut a = article(
        rng,
        id,
        Shape {
            len,
            people: 12,
            straight: false,
            dateline: false,
        },
    );
    let joined = a.paragraphs.join(" ");
    a.paragraphs = vec![joined];
    a.title = "A single paragraph of about 100 KB".to_string();
    a
}

/// An article whose quotation marks never balance: openings without closings,
/// stray closings, and straight quotes of odd count, over many paragraphs.
pub fn unbalanced_quotes(rng: &mut Rng, id: &str, len: usize) -> GenArticle {
    let mut a = article(
        rng,
        id,
        Shape {
            len,
            people: 8,
            straight: false,
            dateline: true,
        },
    );
    for (i, p) in a.paragraphs.iter_mut().enumerate() {
        match i % 4 {
            0 => p.insert(0, '\u{201c}'),
            1 => *p = p.replace('\u{201d}', ""),
            2 => p.push_str(" \"and then"),
            _ => p.push_str(" \u{201d}"),
        }
    }
    a.title = "Unbalanced quotation marks".to_string();
    a
}
