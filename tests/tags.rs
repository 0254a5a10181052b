//! Tagged PDF: the structure tree, parent tree, marked content and link
//! annotations of the default factsheet in every profile, read back with
//! lopdf; and `--no-tags` output without them.

use std::path::PathBuf;

use factsheet::diag::Sources;
use factsheet::layout::page::{Item, Page};
use factsheet::render::{PdfA, Profile};
use factsheet::{BuildOptions, Output, build};
use lopdf::content::Content;
use lopdf::{Dictionary, Document, Object, ObjectId};

const PROFILES: [Profile; 5] = [
    Profile::Screen,
    Profile::Print { crop_marks: false },
    Profile::Print { crop_marks: true },
    Profile::Archive { pdfa: PdfA::A2b },
    Profile::Archive { pdfa: PdfA::A1b },
];

fn kosovo(profile: Profile, tags: bool) -> Output {
    let mut sources = Sources::default();
    let options = BuildOptions {
        profile: Some(profile),
        tags,
        ..BuildOptions::default()
    };
    let input = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("data/kosovo/2024.toml");
    match build(&input, &options, &mut sources) {
        Ok(built) => built.value.0,
        Err(errors) => panic!("{errors:#?}"),
    }
}

fn resolve<'a>(pdf: &'a Document, object: &'a Object) -> &'a Object {
    match object {
        Object::Reference(id) => pdf.get_object(*id).unwrap(),
        other => other,
    }
}

fn name(object: &Object) -> String {
    String::from_utf8_lossy(object.as_name().unwrap()).into_owned()
}

fn role(pdf: &Document, element: ObjectId) -> String {
    name(pdf.get_dictionary(element).unwrap().get(b"S").unwrap())
}

/// The entries of an element's /K, as a list.
fn kids(pdf: &Document, element: ObjectId) -> Vec<Object> {
    match pdf.get_dictionary(element).unwrap().get(b"K") {
        Ok(Object::Array(items)) => items.clone(),
        Ok(other) => vec![other.clone()],
        Err(_) => Vec::new(),
    }
}

fn child_elements(pdf: &Document, element: ObjectId) -> Vec<ObjectId> {
    kids(pdf, element)
        .iter()
        .filter_map(|k| k.as_reference().ok())
        .filter(|id| {
            pdf.get_dictionary(*id)
                .is_ok_and(|d| d.get(b"Type").is_ok_and(|t| name(t) == "StructElem"))
        })
        .collect()
}

fn struct_root(pdf: &Document) -> &Dictionary {
    let root = pdf.catalog().unwrap().get(b"StructTreeRoot").unwrap();
    resolve(pdf, root).as_dict().unwrap()
}

/// The Document element.
fn document(pdf: &Document) -> ObjectId {
    struct_root(pdf).get(b"K").unwrap().as_reference().unwrap()
}

/// The parent tree's entries: key → value.
fn parent_tree(pdf: &Document) -> Vec<(i64, Object)> {
    let tree = resolve(pdf, struct_root(pdf).get(b"ParentTree").unwrap());
    let nums = tree
        .as_dict()
        .unwrap()
        .get(b"Nums")
        .unwrap()
        .as_array()
        .unwrap();
    nums.chunks(2)
        .map(|pair| (pair[0].as_i64().unwrap(), pair[1].clone()))
        .collect()
}

/// The (tag, MCID) of each BDC in a page's content, in stream order, and
/// the number of /Artifact BMCs.
fn marked_content(pdf: &Document, page: ObjectId) -> (Vec<(String, i64)>, usize) {
    let content = Content::decode(&pdf.get_page_content(page)).unwrap();
    let mut bdc = Vec::new();
    let mut artifacts = 0;
    let mut depth = 0i32;
    for op in &content.operations {
        match op.operator.as_str() {
            "BDC" => {
                depth += 1;
                let properties = resolve(pdf, &op.operands[1]).as_dict().unwrap();
                let mcid = properties.get(b"MCID").unwrap().as_i64().unwrap();
                bdc.push((name(&op.operands[0]), mcid));
            }
            "BMC" => {
                depth += 1;
                assert_eq!(name(&op.operands[0]), "Artifact");
                artifacts += 1;
            }
            "EMC" => depth -= 1,
            _ => {}
        }
        assert!((0..=1).contains(&depth), "marked content nests");
    }
    assert_eq!(depth, 0, "every BDC/BMC is closed");
    (bdc, artifacts)
}

fn tagged_items(page: &Page) -> Vec<&Item> {
    page.items
        .iter()
        .filter(|i| i.tag().is_some() && !matches!(i, Item::Link { .. }))
        .collect()
}

#[test]
fn every_profile_is_tagged_with_a_structure_tree() {
    for profile in PROFILES {
        let output = kosovo(profile, true);
        let pdf = Document::load_mem(&output.pdf).unwrap();
        let catalog = pdf.catalog().unwrap();
        let mark_info = resolve(&pdf, catalog.get(b"MarkInfo").unwrap());
        let marked = mark_info.as_dict().unwrap().get(b"Marked").unwrap();
        assert_eq!(marked, &Object::Boolean(true), "{profile:?}");
        assert!(catalog.get(b"Lang").is_ok());
        let prefs = resolve(&pdf, catalog.get(b"ViewerPreferences").unwrap());
        let display = prefs.as_dict().unwrap().get(b"DisplayDocTitle").unwrap();
        assert_eq!(display, &Object::Boolean(true));
        assert_eq!(role(&pdf, document(&pdf)), "Document");
        let pages: Vec<ObjectId> = pdf.get_pages().into_values().collect();
        let tree = parent_tree(&pdf);
        for (index, page) in pages.iter().enumerate() {
            let dict = pdf.get_dictionary(*page).unwrap();
            let key = dict.get(b"StructParents").unwrap().as_i64().unwrap();
            assert_eq!(key, index as i64);
            assert_eq!(name(dict.get(b"Tabs").unwrap()), "S");
            // One MCID per tagged run or image, numbered in stream order,
            // each with its element's role and that element in the parent tree.
            let (bdc, artifacts) = marked_content(&pdf, *page);
            assert_eq!(bdc.len(), tagged_items(&output.pages[index]).len());
            assert!(artifacts > 0, "furniture and rules are artifacts");
            let mcids: Vec<i64> = bdc.iter().map(|b| b.1).collect();
            assert_eq!(mcids, (0..bdc.len() as i64).collect::<Vec<_>>());
            let entry = &tree.iter().find(|(k, _)| *k == key).unwrap().1;
            let owners = resolve(&pdf, entry).as_array().unwrap();
            assert_eq!(owners.len(), bdc.len());
            for ((tag, mcid), owner) in bdc.iter().zip(owners) {
                let owner = owner.as_reference().unwrap();
                assert_eq!(&role(&pdf, owner), tag, "MCID {mcid}");
                // The owner's /K names this MCID on this page.
                let pg = pdf.get_dictionary(owner).unwrap().get(b"Pg").ok();
                let found = kids(&pdf, owner).iter().any(|k| match k {
                    Object::Integer(n) => {
                        *n == *mcid && pg.and_then(|p| p.as_reference().ok()) == Some(*page)
                    }
                    Object::Dictionary(mcr) => {
                        mcr.get(b"MCID").and_then(Object::as_i64).ok() == Some(*mcid)
                            && mcr.get(b"Pg").and_then(Object::as_reference).ok() == Some(*page)
                    }
                    _ => false,
                });
                assert!(found, "{profile:?} p{index} MCID {mcid} not in its element");
            }
        }
        let next = struct_root(&pdf).get(b"ParentTreeNextKey").unwrap();
        assert_eq!(next.as_i64().unwrap(), tree.len() as i64);
    }
}

#[test]
fn link_annotations_are_children_of_their_link_elements() {
    for profile in PROFILES {
        let output = kosovo(profile, true);
        let pdf = Document::load_mem(&output.pdf).unwrap();
        let tree = parent_tree(&pdf);
        let mut count = 0;
        for (page_index, page) in pdf.get_pages().into_values().enumerate() {
            let dict = pdf.get_dictionary(page).unwrap();
            let Ok(annots) = dict.get(b"Annots") else {
                continue;
            };
            for annot in resolve(&pdf, annots).as_array().unwrap() {
                count += 1;
                let id = annot.as_reference().expect("annotations are indirect");
                let a = pdf.get_dictionary(id).unwrap();
                assert_eq!(a.get(b"F").unwrap().as_i64().unwrap(), 4);
                let contents = a.get(b"Contents").unwrap().as_str().unwrap();
                assert!(!contents.is_empty());
                let key = a.get(b"StructParent").unwrap().as_i64().unwrap();
                assert!(key >= pdf.get_pages().len() as i64);
                let link = tree.iter().find(|(k, _)| *k == key).unwrap().1.clone();
                let link = link.as_reference().unwrap();
                assert_eq!(role(&pdf, link), "Link");
                let objr = kids(&pdf, link).into_iter().any(|k| {
                    k.as_dict().is_ok_and(|d| {
                        d.get(b"Type").is_ok_and(|t| name(t) == "OBJR")
                            && d.get(b"Obj").and_then(Object::as_reference).ok() == Some(id)
                            && d.get(b"Pg").and_then(Object::as_reference).ok() == Some(page)
                    })
                });
                assert!(
                    objr,
                    "{profile:?} p{page_index}: no OBJR for annotation {id:?}"
                );
            }
        }
        let expected = if profile.links() { 6 } else { 0 };
        assert_eq!(count, expected, "{profile:?}");
    }
}

/// Roles of the tree, depth first, as an indented outline.
fn outline(pdf: &Document, element: ObjectId, depth: usize, out: &mut Vec<String>) {
    out.push(format!("{}{}", "  ".repeat(depth), role(pdf, element)));
    for child in child_elements(pdf, element) {
        outline(pdf, child, depth + 1, out);
    }
}

/// The text of an element: its MCIDs mapped back to the page's tagged runs
/// (MCID n on a page is the page's n-th tagged item).
fn text(pdf: &Document, output: &Output, element: ObjectId) -> String {
    let pages: Vec<ObjectId> = pdf.get_pages().into_values().collect();
    let pg = pdf
        .get_dictionary(element)
        .unwrap()
        .get(b"Pg")
        .and_then(Object::as_reference)
        .ok();
    let mut out = String::new();
    for kid in kids(pdf, element) {
        let (page, mcid) = match &kid {
            Object::Integer(n) => (pg.unwrap(), *n),
            Object::Dictionary(d) if d.get(b"MCID").is_ok() => (
                d.get(b"Pg").unwrap().as_reference().unwrap(),
                d.get(b"MCID").unwrap().as_i64().unwrap(),
            ),
            Object::Reference(child) if pdf.get_dictionary(*child).unwrap().has(b"S") => {
                out.push_str(&text(pdf, output, *child));
                continue;
            }
            _ => continue,
        };
        let index = pages.iter().position(|p| *p == page).unwrap();
        if let Item::Text(run) = tagged_items(&output.pages[index])[mcid as usize] {
            out.push_str(&run.text());
        }
    }
    out
}

#[test]
fn the_tree_reads_title_key_figures_main_then_side_flow() {
    let output = kosovo(Profile::Screen, true);
    let pdf = Document::load_mem(&output.pdf).unwrap();
    let document = document(&pdf);
    let top = child_elements(&pdf, document);
    let roles: Vec<String> = top.iter().map(|e| role(&pdf, *e)).collect();
    assert_eq!(
        roles,
        [
            "Figure", "H1", "Sect", "Sect", "Sect", "Table", "Table", "Sect", "Sect", "Sect"
        ]
    );
    // The logo's alternative text.
    let figure = pdf.get_dictionary(top[0]).unwrap();
    assert!(!figure.get(b"Alt").unwrap().as_str().unwrap().is_empty());
    assert_eq!(text(&pdf, &output, top[1]), "2024 FACTSHEET Kosovo");
    let headings: Vec<String> = top
        .iter()
        .filter(|e| role(&pdf, **e) == "Sect")
        .map(|sect| {
            let first = child_elements(&pdf, *sect)[0];
            assert_eq!(role(&pdf, first), "H2");
            text(&pdf, &output, first)
        })
        .collect();
    assert_eq!(
        headings,
        [
            "OVERALL RESULTS (2017–2023)",
            "CONTEXT",
            "PROGRAMME",
            "DONORS AND FUNDING",
            "MORE INFORMATION",
            "CONTACT"
        ]
    );
    // The first paragraph of CONTEXT, with the spaces of its wrapped lines.
    let context = child_elements(&pdf, top[3]);
    assert_eq!(role(&pdf, context[1]), "P");
    let paragraph = text(&pdf, &output, context[1]);
    assert!(
        paragraph.starts_with("Kosovo continues to be contaminated by landmines and explosive"),
        "{paragraph}"
    );
    // Tables: a caption, then rows of a header cell (scope Row) and a data cell.
    let mut lines = Vec::new();
    outline(&pdf, top[5], 0, &mut lines);
    assert_eq!(lines[..4], ["Table", "  Caption", "  TR", "    TH"]);
    for row in child_elements(&pdf, top[5]).into_iter().skip(1) {
        let cells = child_elements(&pdf, row);
        let roles: Vec<String> = cells.iter().map(|c| role(&pdf, *c)).collect();
        assert_eq!(roles, ["TH", "TD"]);
        let attributes = pdf.get_dictionary(cells[0]).unwrap().get(b"A").unwrap();
        let attributes = resolve(&pdf, attributes).as_dict().unwrap();
        assert_eq!(name(attributes.get(b"O").unwrap()), "Table");
        assert_eq!(name(attributes.get(b"Scope").unwrap()), "Row");
    }
    // Headings do not skip levels: one H1, then H2s.
    let mut all = Vec::new();
    outline(&pdf, document, 0, &mut all);
    let headings: Vec<&str> = all
        .iter()
        .map(|l| l.trim())
        .filter(|r| r.starts_with('H'))
        .collect();
    assert_eq!(headings[0], "H1");
    assert!(headings[1..].iter().all(|h| *h == "H2"), "{headings:?}");
}

#[test]
fn no_tags_gives_an_untagged_smaller_file() {
    let tagged = kosovo(Profile::Screen, true);
    let untagged = kosovo(Profile::Screen, false);
    let pdf = Document::load_mem(&untagged.pdf).unwrap();
    let catalog = pdf.catalog().unwrap();
    assert!(catalog.get(b"StructTreeRoot").is_err());
    assert!(catalog.get(b"MarkInfo").is_err());
    for page in pdf.get_pages().into_values() {
        let dict = pdf.get_dictionary(page).unwrap();
        assert!(dict.get(b"StructParents").is_err());
        let (bdc, artifacts) = marked_content(&pdf, page);
        assert_eq!((bdc.len(), artifacts), (0, 0));
    }
    assert!(untagged.pdf.len() < tagged.pdf.len());
    assert!(tagged.pdf.len() < 30_000, "{} bytes", tagged.pdf.len());
}

#[test]
fn an_element_continued_on_the_next_page_refers_to_it_with_mcrs() {
    // The Kosovo pages, with page 2's first tagged run moved into CONTEXT's
    // first paragraph (on page 1), as if that paragraph ran on.
    let mut sources = Sources::default();
    let input = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("data/kosovo/2024.toml");
    let (output, loaded, resources) = build(&input, &BuildOptions::default(), &mut sources)
        .unwrap_or_else(|e| panic!("{e:#?}"))
        .value;
    let mut pages = output.pages.clone();
    let paragraph = pages[0]
        .texts()
        .find(|r| r.text().starts_with("Kosovo continues"))
        .and_then(|r| r.tag)
        .unwrap();
    let moved = pages[1]
        .items
        .iter_mut()
        .find_map(|item| match item {
            Item::Text(run) if run.tag.is_some() => Some(run),
            _ => None,
        })
        .unwrap();
    moved.tag = Some(paragraph);
    let moved_text = moved.text();
    let meta = factsheet::metadata(&loaded.edition, &resources.locale);
    let pdf = factsheet::render::render(
        &pages,
        Some(&output.structure),
        &resources.fonts,
        std::slice::from_ref(&resources.logo),
        &meta,
        Profile::Screen,
        &resources.cache,
    )
    .unwrap();
    let pdf = Document::load_mem(&pdf).unwrap();
    let page_ids: Vec<ObjectId> = pdf.get_pages().into_values().collect();
    let context = child_elements(&pdf, child_elements(&pdf, document(&pdf))[3]);
    let element = pdf.get_dictionary(context[1]).unwrap();
    assert_eq!(
        element.get(b"Pg").unwrap().as_reference().unwrap(),
        page_ids[0]
    );
    let kids = kids(&pdf, context[1]);
    assert!(kids[..kids.len() - 1].iter().all(|k| k.as_i64().is_ok()));
    let mcr = kids.last().unwrap().as_dict().unwrap();
    assert_eq!(name(mcr.get(b"Type").unwrap()), "MCR");
    assert_eq!(mcr.get(b"Pg").unwrap().as_reference().unwrap(), page_ids[1]);
    assert_eq!(mcr.get(b"MCID").unwrap().as_i64().unwrap(), 0);
    let output = Output { pages, ..output };
    let text = text(&pdf, &output, context[1]);
    assert!(text.ends_with(&moved_text), "{text}");
}
