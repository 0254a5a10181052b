//! Tagged PDF (render stage): the page writer wraps each tagged item in
//! marked content with an MCID and everything else in `/Artifact`, and
//! records here what it marked ([`PageMarks`]); the post-pass ([`write`])
//! then builds the structure tree from the layout's [`Structure`]: one
//! StructElem per element that has content, its `/K` holding its marked
//! content and child elements in reading order, a parent tree spanning all
//! pages and annotations, and link annotations as structure children (OBJR)
//! of their Link elements.

use std::collections::BTreeMap;

use lopdf::{Dictionary, Document, Object, ObjectId};

use super::name;
use super::post::text_string;
use crate::layout::page::{ElementId, Page, Role, Structure};

/// One piece of tagged content on a page, in content-stream order.
#[derive(Debug, Clone)]
pub enum Content {
    /// Marked content with this MCID.
    Mcid(i64, ElementId),
    /// The page's `index`-th link annotation, and its URL.
    Annot(usize, ElementId, String),
}

impl Content {
    fn element(&self) -> ElementId {
        match self {
            Content::Mcid(_, e) | Content::Annot(_, e, _) => *e,
        }
    }
}

/// What the page writer marked on one page.
#[derive(Debug, Clone, Default)]
pub struct PageMarks {
    /// Tagged content in stream order (annotations where their item was).
    pub content: Vec<Content>,
    /// The next MCID.
    pub next_mcid: i64,
}

impl PageMarks {
    /// Allocates the next MCID for `element`.
    pub fn mcid(&mut self, element: ElementId) -> i64 {
        let mcid = self.next_mcid;
        self.next_mcid += 1;
        self.content.push(Content::Mcid(mcid, element));
        mcid
    }
}

/// One or several values: a single one is written bare.
fn one_or_array(mut items: Vec<Object>) -> Object {
    if items.len() == 1 {
        items.remove(0)
    } else {
        Object::Array(items)
    }
}

/// Adds the structure tree, the parent tree, `/StructParents`, `/Tabs /S`,
/// `/MarkInfo` and the annotations' structure links to a rendered document.
pub fn write(lo: &mut Document, structure: &Structure, pages: &[Page], marks: &[PageMarks]) {
    let page_ids: Vec<ObjectId> = lo.get_pages().into_values().collect();
    if page_ids.len() != marks.len() {
        return;
    }
    let count = structure.elements.len();

    // Own content of every element, with its position in reading the pages.
    let mut own: Vec<Vec<(usize, usize, &Content)>> = vec![Vec::new(); count];
    let mut position = 0;
    for (page, page_marks) in marks.iter().enumerate() {
        for content in &page_marks.content {
            if let Some(list) = own.get_mut(content.element()) {
                list.push((position, page, content));
            }
            position += 1;
        }
    }
    let children: Vec<Vec<ElementId>> = (0..count).map(|e| structure.children(e, pages)).collect();
    // The first position in each element's subtree (None: nothing drawn).
    let mut first: Vec<Option<usize>> = vec![None; count];
    for (element, _) in structure.reading_order(pages).into_iter().rev() {
        let mine = own[element].first().map(|c| c.0);
        let theirs = children[element].iter().filter_map(|c| first[*c]).min();
        first[element] = match (mine, theirs) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (a, b) => a.or(b),
        };
    }

    // Object ids: the tree root, then every element with content.
    let root = lo.new_object_id();
    let mut ids: BTreeMap<ElementId, ObjectId> = BTreeMap::new();
    for (element, _) in structure.reading_order(pages) {
        if first[element].is_some() || element == Structure::ROOT {
            ids.insert(element, lo.new_object_id());
        }
    }

    // Link annotations become indirect objects that name their element.
    let mut parent_tree: Vec<(i64, Object)> = Vec::new();
    let mut next_key = page_ids.len() as i64;
    let mut annot_ids: BTreeMap<(usize, usize), ObjectId> = BTreeMap::new();
    for (page, page_marks) in marks.iter().enumerate() {
        let annots: Vec<Object> = lo
            .get_dictionary(page_ids[page])
            .and_then(|d| d.get(b"Annots"))
            .and_then(Object::as_array)
            .cloned()
            .unwrap_or_default();
        let mut refs = Vec::new();
        for (index, annot) in annots.into_iter().enumerate() {
            let Object::Dictionary(mut dict) = annot else {
                refs.push(annot);
                continue;
            };
            let entry = page_marks.content.iter().find_map(|c| match c {
                Content::Annot(i, e, url) if *i == index => Some((*e, url)),
                _ => None,
            });
            dict.set("F", Object::Integer(4));
            if let Some((element, url)) = entry
                && let Some(&element_id) = ids.get(&element)
            {
                let alt = structure.elements[element].alt.as_deref().unwrap_or(url);
                dict.set("Contents", text_string(alt));
                dict.set("StructParent", Object::Integer(next_key));
                let id = lo.add_object(dict);
                parent_tree.push((next_key, Object::Reference(element_id)));
                next_key += 1;
                annot_ids.insert((page, index), id);
                refs.push(Object::Reference(id));
            } else {
                refs.push(Object::Dictionary(dict));
            }
        }
        if let Ok(dict) = lo.get_dictionary_mut(page_ids[page]) {
            if !refs.is_empty() {
                dict.set("Annots", Object::Array(refs));
            }
            dict.set("StructParents", Object::Integer(page as i64));
            dict.set("Tabs", name("S"));
        }
    }

    // Page keys of the parent tree: each MCID's element.
    let mut page_entries: Vec<(i64, Object)> = Vec::new();
    for (page, page_marks) in marks.iter().enumerate() {
        let mut by_mcid: Vec<Object> = vec![Object::Null; page_marks.next_mcid as usize];
        for content in &page_marks.content {
            if let Content::Mcid(mcid, element) = content
                && let Some(id) = ids.get(element)
            {
                by_mcid[*mcid as usize] = Object::Reference(*id);
            }
        }
        page_entries.push((page as i64, Object::Array(by_mcid)));
    }
    page_entries.extend(parent_tree);

    // The elements.
    for (&element, &id) in &ids {
        let info = &structure.elements[element];
        let mine = &own[element];
        let page = mine.first().map(|c| c.1);
        let mut kids: Vec<Object> = Vec::new();
        let mut next = 0;
        let mut push_own = |kids: &mut Vec<Object>, upto: usize| {
            while next < mine.len() && mine[next].0 < upto {
                let (_, on, content) = mine[next];
                next += 1;
                match content {
                    Content::Mcid(mcid, _) if Some(on) == page => {
                        kids.push(Object::Integer(*mcid));
                    }
                    Content::Mcid(mcid, _) => {
                        let mut mcr = Dictionary::new();
                        mcr.set("Type", name("MCR"));
                        mcr.set("Pg", Object::Reference(page_ids[on]));
                        mcr.set("MCID", Object::Integer(*mcid));
                        kids.push(Object::Dictionary(mcr));
                    }
                    Content::Annot(index, _, _) => {
                        let Some(annot) = annot_ids.get(&(on, *index)) else {
                            continue;
                        };
                        let mut objr = Dictionary::new();
                        objr.set("Type", name("OBJR"));
                        objr.set("Obj", Object::Reference(*annot));
                        objr.set("Pg", Object::Reference(page_ids[on]));
                        kids.push(Object::Dictionary(objr));
                    }
                }
            }
        };
        for child in &children[element] {
            let (Some(child_id), Some(start)) = (ids.get(child), first[*child]) else {
                continue;
            };
            push_own(&mut kids, start);
            kids.push(Object::Reference(*child_id));
        }
        push_own(&mut kids, usize::MAX);

        let mut dict = Dictionary::new();
        dict.set("Type", name("StructElem"));
        dict.set("S", name(info.role.name()));
        let parent = info.parent.and_then(|p| ids.get(&p)).copied();
        dict.set("P", Object::Reference(parent.unwrap_or(root)));
        if let Some(page) = page {
            dict.set("Pg", Object::Reference(page_ids[page]));
        }
        dict.set("K", one_or_array(kids));
        match info.role {
            Role::Figure => {
                let alt = info.alt.as_deref().unwrap_or("");
                dict.set("Alt", text_string(alt));
            }
            Role::TH => {
                let mut attributes = Dictionary::new();
                attributes.set("O", name("Table"));
                attributes.set("Scope", name("Row"));
                dict.set("A", Object::Dictionary(attributes));
            }
            _ => {}
        }
        lo.set_object(id, dict);
    }

    let nums: Vec<Object> = page_entries
        .into_iter()
        .flat_map(|(key, value)| [Object::Integer(key), value])
        .collect();
    let mut tree = Dictionary::new();
    tree.set("Nums", Object::Array(nums));
    let tree = lo.add_object(tree);
    let mut root_dict = Dictionary::new();
    root_dict.set("Type", name("StructTreeRoot"));
    root_dict.set("K", Object::Reference(ids[&Structure::ROOT]));
    root_dict.set("ParentTree", Object::Reference(tree));
    root_dict.set("ParentTreeNextKey", Object::Integer(next_key));
    lo.set_object(root, root_dict);
    if let Ok(catalog) = lo.catalog_mut() {
        catalog.set("StructTreeRoot", Object::Reference(root));
        let mut mark_info = Dictionary::new();
        mark_info.set("Marked", Object::Boolean(true));
        catalog.set("MarkInfo", Object::Dictionary(mark_info));
    }
}
