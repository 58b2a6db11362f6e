//! The hard cases of attribution, one small article each, checked through
//! the library: source type, source, role, cue and quote type of the claims.

use claimtag::lexicon::Lexicons;
use claimtag::model::Article;
use claimtag::output::ClaimRecord;

fn claims(text: &str) -> Vec<ClaimRecord> {
    claims_with_outlet(text, "")
}

fn claims_with_outlet(text: &str, outlet: &str) -> Vec<ClaimRecord> {
    let article = Article {
        id: "case".into(),
        outlet: outlet.into(),
        text: text.into(),
        ..Article::default()
    };
    let lex = Lexicons::builtin();
    let annotation = claimtag::pipeline::annotate(&article, &lex);
    ClaimRecord::from_claims(&article, &annotation.claims)
}

/// The claim whose text starts with `start`.
fn claim<'a>(claims: &'a [ClaimRecord], start: &str) -> &'a ClaimRecord {
    claims
        .iter()
        .find(|c| c.text.starts_with(start))
        .unwrap_or_else(|| {
            let texts: Vec<&str> = claims.iter().map(|c| c.text.as_str()).collect();
            panic!("no claim starts with {start:?}; claims: {texts:#?}")
        })
}

fn check(c: &ClaimRecord, source_type: &str, source: &str) {
    assert_eq!(
        (c.source_type.as_str(), c.source.as_str()),
        (source_type, source),
        "claim {:?} (rule {})",
        c.text,
        c.rule
    );
}

#[test]
fn multi_paragraph_quote_keeps_its_speaker() {
    let c = claims("“The water rose fast,” Fire Chief Dale Ortiz said. “We moved everyone out.\n\n“Nobody was hurt, and that is what matters.”");
    check(claim(&c, "“Nobody"), "official_statement", "Dale Ortiz");
    check(claim(&c, "“We moved"), "official_statement", "Dale Ortiz");
    assert_eq!(claim(&c, "“Nobody").quote_type.as_str(), "direct");
}

#[test]
fn split_and_inverted_quotes_and_colon_speakers() {
    let c = claims("\"We will rebuild,\" Mayor Ana Ruiz said, \"and we will do it right.\" \"It is over,\" said Sen. Maria Lopez. Police Chief Dan Ortiz said: \"We have a suspect.\"");
    let split = claim(&c, "\"We will rebuild");
    check(split, "official_statement", "Ana Ruiz");
    assert_eq!(split.quote, "We will rebuild … and we will do it right.");
    assert_eq!(split.source_role, "Mayor");
    check(
        claim(&c, "\"It is over"),
        "official_statement",
        "Maria Lopez",
    );
    check(claim(&c, "Police Chief"), "official_statement", "Dan Ortiz");
    assert_eq!(claim(&c, "Police Chief").quote_type.as_str(), "direct");
}

#[test]
fn appositions_and_long_subjects() {
    let c = claims("Jane Doe, a spokesperson for the county, said the road was closed. Two defense officials, speaking on condition of anonymity, said the strike hit a depot.");
    let doe = claim(&c, "Jane Doe");
    check(doe, "official_statement", "Jane Doe");
    assert_eq!(doe.source_role, "spokesperson");
    assert_eq!(doe.quote_type.as_str(), "indirect");
    check(
        claim(&c, "Two defense"),
        "official_statement",
        "Two defense officials",
    );
}

#[test]
fn told_an_outlet_credits_the_speaker() {
    let c = claims("Resident Maria Gomez watched the water rise. Gomez told NBC News that the levee failed before dawn. She told reporters she would rebuild.");
    check(claim(&c, "Gomez told"), "other_source", "Maria Gomez");
    check(claim(&c, "She told"), "other_source", "Maria Gomez");
}

#[test]
fn media_reports() {
    let c = claims("Reuters reported that the talks stalled. The deal collapsed, according to a report by The Times. Local media reported that two ships left. The minister reportedly resigned. The cuts were first reported by The Harbor Ledger.");
    check(claim(&c, "Reuters"), "media_report", "Reuters");
    check(claim(&c, "The deal"), "media_report", "The Times");
    assert_eq!(
        claim(&c, "Local media").source_type.as_str(),
        "media_report"
    );
    check(claim(&c, "The minister"), "media_report", "");
    assert_eq!(claim(&c, "The minister").cue, "reportedly");
    assert_eq!(claim(&c, "The cuts").source_type.as_str(), "media_report");
}

#[test]
fn a_media_report_of_an_official_statement_is_a_media_report() {
    let c = claims("CBS News reported that state police said they were reviewing the case.");
    check(&c[0], "media_report", "CBS News");
}

#[test]
fn anonymous_officials_and_anonymous_others() {
    let c = claims("A senior administration official said the order was signed. A person familiar with the matter said talks would resume.");
    assert_eq!(
        claim(&c, "A senior").source_type.as_str(),
        "official_statement"
    );
    assert_eq!(claim(&c, "A person").source_type.as_str(), "other_source");
}

#[test]
fn records_filings_and_official_posts() {
    let c = claims("Court records show he was arrested twice. Prosecutors allege that he hid the money. Gov. Maria Lopez wrote on X that the shelters were open.");
    assert_eq!(
        claim(&c, "Court records").source_type.as_str(),
        "official_statement"
    );
    assert_eq!(claim(&c, "Court records").cue, "show");
    assert_eq!(
        claim(&c, "Prosecutors").source_type.as_str(),
        "official_statement"
    );
    check(claim(&c, "Gov."), "official_statement", "Maria Lopez");
}

#[test]
fn pull_quotes_take_the_attribution_of_the_same_words() {
    let c = claims("“We are not leaving this town.”\n\nThe flood reached the square on Monday.\n\n“We are not leaving this town,” Mayor Ana Ruiz said.");
    let pull = &c[0];
    check(pull, "official_statement", "Ana Ruiz");
    assert!(pull.rule.starts_with("pull_quote/"), "{}", pull.rule);
}

#[test]
fn observed_chants_stay_the_reporters_and_keep_the_quote() {
    let c = claims("Protesters chanted “No more raids” outside the gates.");
    check(&c[0], "reporter_observation", "");
    assert_eq!(c[0].quote, "No more raids");
    assert_eq!(c[0].quote_type.as_str(), "partial");
}

#[test]
fn nested_quotes_stay_inside_their_quotation() {
    let c = claims("“He told me ‘never again,’ and I believed him,” Director Ana Ruiz said.");
    check(&c[0], "official_statement", "Ana Ruiz");
    assert_eq!(c[0].quote, "He told me ‘never again,’ and I believed him");
}

#[test]
fn coreference_across_sentences_and_paragraphs() {
    let c = claims("The Department of Homeland Security said the operation was planned.\n\nThe department said two agents were hurt. DHS noted that the road reopened.\n\nDirector Ana Ruiz spoke at noon. Ruiz said repairs would take a month. She said crews were ready.");
    check(
        claim(&c, "The department"),
        "official_statement",
        "Department of Homeland Security",
    );
    check(
        claim(&c, "DHS noted"),
        "official_statement",
        "Department of Homeland Security",
    );
    let ruiz = claim(&c, "Ruiz said");
    check(ruiz, "official_statement", "Ana Ruiz");
    assert_eq!(ruiz.source_role, "Director");
    check(claim(&c, "She said"), "official_statement", "Ana Ruiz");
}

#[test]
fn titles_are_decided_by_their_organisation() {
    let c = claims("Acme Corp. President John Smith said sales fell. President Elena Ortiz said the border would stay open. Maria Gomez, chief executive of Harbor Foods, said prices would rise. A spokesperson for the ACLU said the group would sue. Battalion Chief Óscar Delgado said the roof collapsed.");
    check(claim(&c, "Acme"), "other_source", "John Smith");
    check(
        claim(&c, "President Elena"),
        "official_statement",
        "Elena Ortiz",
    );
    check(claim(&c, "Maria Gomez"), "other_source", "Maria Gomez");
    assert_eq!(
        claim(&c, "A spokesperson").source_type.as_str(),
        "other_source"
    );
    check(
        claim(&c, "Battalion"),
        "official_statement",
        "Óscar Delgado",
    );
}

#[test]
fn lawyers_for_private_parties_are_not_officials() {
    let c = claims("Benjamin Okoro, an attorney for the family, said the footage should be released. District Attorney Lena Park said charges were under review.");
    check(claim(&c, "Benjamin"), "other_source", "Benjamin Okoro");
    check(claim(&c, "District"), "official_statement", "Lena Park");
}

#[test]
fn the_outlets_own_reporter_and_reporting() {
    let c = claims_with_outlet(
        "Harbor Ledger reporter Sam Lee watched crews clear the road. The Harbor Ledger reported last year that the bridge needed repairs.",
        "The Harbor Ledger",
    );
    for claim in &c {
        assert_eq!(
            claim.source_type.as_str(),
            "reporter_observation",
            "{claim:?}"
        );
    }
}

#[test]
fn two_attributions_in_one_sentence_are_split() {
    let c =
        claims("The agency said the road was closed, but local media reported that it reopened.");
    assert_eq!(c.len(), 2);
    assert_eq!(c[0].text, "The agency said the road was closed,");
    assert_eq!(c[0].source_type.as_str(), "official_statement");
    assert_eq!(c[1].text, "but local media reported that it reopened.");
    assert_eq!(c[1].source_type.as_str(), "media_report");
}

#[test]
fn hedged_claims_rest_on_the_official_nearby() {
    let c = claims("The suspect allegedly “refused to stop” and drove toward officers. One officer was hurt, the department stated.");
    let hedged = claim(&c, "The suspect");
    assert_eq!(hedged.source_type.as_str(), "official_statement");
    assert!(hedged.rule.starts_with("hedge_nearby/"), "{}", hedged.rule);
}

#[test]
fn datelines_and_the_guide_example() {
    let text = "SPRINGFIELD, Ill. (AP) — The county said on Monday that the bridge would stay closed. Engineers found cracks in two supports.\n\n\"We will not reopen it until it is safe,\" Director Ana Ruiz said. \"That could take a month.\"\n\nThe Ledger reported that repairs may cost $4 million.";
    let c = claims(text);
    assert_eq!(c.len(), 5);
    assert!(c[0].text.starts_with("The county said"));
    check(&c[0], "official_statement", "The county");
    assert_eq!(c[0].quote_type.as_str(), "indirect");
    check(&c[1], "reporter_observation", "");
    assert_eq!(c[1].quote_type.as_str(), "none");
    check(&c[2], "official_statement", "Ana Ruiz");
    assert_eq!(
        (c[2].source_mention.as_str(), c[2].source_role.as_str()),
        ("Director Ana Ruiz", "Director")
    );
    check(&c[3], "official_statement", "Ana Ruiz");
    assert_eq!(
        (
            c[3].source_mention.as_str(),
            c[3].source_role.as_str(),
            c[3].cue.as_str()
        ),
        ("", "Director", "said")
    );
    check(&c[4], "media_report", "The Ledger");
}

#[test]
fn a_media_report_of_quoted_official_words_is_a_media_report() {
    let c = claims(
        "CBS News reported Monday that state police said they were \"reviewing the matter.\"",
    );
    check(&c[0], "media_report", "CBS News");
    assert_eq!(c[0].quote, "reviewing the matter.");
}

#[test]
fn first_reported_by_names_an_outlet() {
    let c = claims("The layoffs, first reported by TechLedger on Tuesday, will hit sales teams.");
    check(&c[0], "media_report", "TechLedger");
}

#[test]
fn clock_times_end_sentences_before_a_capital() {
    let c = claims("Witnesses heard a crack just before 7:30 a.m. Firefighters arrived minutes later. The meeting ends at 5 p.m. Monday.");
    let texts: Vec<&str> = c.iter().map(|c| c.text.as_str()).collect();
    assert_eq!(
        texts,
        [
            "Witnesses heard a crack just before 7:30 a.m.",
            "Firefighters arrived minutes later.",
            "The meeting ends at 5 p.m. Monday."
        ]
    );
}

#[test]
fn a_comma_inside_the_closing_quote_still_splits() {
    let c = claims("The company called the report “speculation,” but two union officials said the plan was real.");
    assert_eq!(c.len(), 2);
    assert_eq!(c[0].source_type.as_str(), "other_source");
    assert!(c[1].text.starts_with("but two union officials"));
}
