//! Tagged PDF: the structure tree the layout builds as it draws (headings,
//! paragraphs, tables with rows and cells, the contents list), and the
//! marked-content operators that tie each piece of drawn text to its
//! structure element. Rules, fills and page furniture are marked as
//! artifacts. archive.rs writes the tree into the file.

use printpdf::{DictItem, Op};
use std::collections::BTreeMap;

/// A structure element: a standard role (H1, P, Table, TD, ...), where it
/// sits, and what it holds in reading order.
#[derive(Clone, Debug)]
pub struct Elem {
    pub role: &'static str,
    /// None: a child of the document element.
    pub parent: Option<usize>,
    /// The 0-based page it was started on; orders the document's children.
    pub page: usize,
    pub kids: Vec<Kid>,
}

#[derive(Clone, Debug, PartialEq)]
pub enum Kid {
    Elem(usize),
    /// A marked-content sequence: its page (0-based) and MCID on that page.
    Content {
        page: usize,
        mcid: i64,
    },
}

/// Roles whose text is their own: a paragraph drawn inside one of them is
/// part of it, not a new P.
const LEAVES: [&str; 8] = ["H1", "H2", "H3", "P", "TD", "TH", "TOCI", "Lbl"];

/// The structure being built and the marked-content state of the page
/// being drawn.
#[derive(Default)]
pub struct Tags {
    pub elems: Vec<Elem>,
    /// Elements being drawn into, innermost last.
    open: Vec<usize>,
    /// The element whose marked-content sequence (BDC) is open.
    marked: Option<usize>,
    /// The P made for text drawn outside any element, while it lasts.
    loose: Option<usize>,
    next_mcid: i64,
    /// > 0: what is drawn now is an artifact (furniture, repeated headers).
    artifact: u32,
    /// An /Artifact sequence (BMC) is open.
    in_artifact: bool,
}

impl Tags {
    /// Tags for a writer of page furniture: everything it draws is an
    /// artifact.
    pub fn artifacts() -> Tags {
        Tags {
            artifact: 1,
            ..Tags::default()
        }
    }

    /// Ends any open marked-content sequence.
    fn close(&mut self, ops: &mut Vec<Op>) {
        if self.marked.take().is_some() || std::mem::take(&mut self.in_artifact) {
            ops.push(Op::EndMarkedContent);
        }
    }

    /// Ends the page: sequences cannot cross pages, and MCIDs start again.
    pub fn end_page(&mut self, ops: &mut Vec<Op>) {
        self.close(ops);
        self.next_mcid = 0;
    }

    /// A new element under the innermost open one, not yet entered.
    pub fn create(&mut self, role: &'static str, page: usize) -> usize {
        let parent = self.open.last().copied();
        let id = self.elems.len();
        self.elems.push(Elem {
            role,
            parent,
            page,
            kids: Vec::new(),
        });
        if let Some(p) = parent {
            self.elems[p].kids.push(Kid::Elem(id));
        }
        id
    }

    /// Starts drawing into element `id` (until `leave`).
    pub fn enter(&mut self, id: usize, ops: &mut Vec<Op>) {
        self.close(ops);
        self.loose = None;
        self.open.push(id);
    }

    pub fn leave(&mut self, ops: &mut Vec<Op>) {
        self.close(ops);
        self.loose = None;
        self.open.pop();
    }

    /// Creates and enters an element.
    pub fn begin(&mut self, role: &'static str, page: usize, ops: &mut Vec<Op>) -> usize {
        let id = self.create(role, page);
        self.enter(id, ops);
        id
    }

    /// True when text drawn now belongs to an element that holds text.
    pub fn in_leaf(&self) -> bool {
        self.open
            .last()
            .is_some_and(|&e| LEAVES.contains(&self.elems[e].role))
    }

    /// Marks what follows as an artifact until `end_artifact`.
    pub fn begin_artifact(&mut self) {
        self.artifact += 1;
    }

    pub fn end_artifact(&mut self) {
        self.artifact = self.artifact.saturating_sub(1);
    }

    /// Opens an /Artifact sequence (for rules, fills, furniture) unless one
    /// is open.
    pub fn artifact(&mut self, ops: &mut Vec<Op>) {
        if !self.in_artifact {
            self.close(ops);
            ops.push(Op::BeginMarkedContent {
                tag: "Artifact".into(),
            });
            self.in_artifact = true;
        }
    }

    /// Called before text is drawn on `page`: makes sure it is inside a
    /// marked-content sequence of the element it belongs to.
    pub fn mark(&mut self, page: usize, ops: &mut Vec<Op>) {
        if self.artifact > 0 {
            self.artifact(ops);
            return;
        }
        let target = match (self.open.last(), self.loose) {
            (Some(&e), _) => e,
            (None, Some(p)) => p,
            (None, None) => {
                let p = self.create("P", page);
                self.loose = Some(p);
                p
            }
        };
        if self.marked == Some(target) {
            return;
        }
        self.close(ops);
        let mcid = self.next_mcid;
        self.next_mcid += 1;
        ops.push(Op::BeginMarkedContentWithProperties {
            tag: self.elems[target].role.into(),
            properties: DictItem::Dict {
                map: BTreeMap::from([("MCID".to_string(), DictItem::Int(mcid))]),
            },
        });
        self.elems[target].kids.push(Kid::Content { page, mcid });
        self.marked = Some(target);
    }

    /// Takes in the elements another writer drew, its page 0 being this
    /// document's `first_page` (the contents pages, drawn once page numbers
    /// are known).
    pub fn adopt(&mut self, other: Tags, first_page: usize) {
        let offset = self.elems.len();
        self.elems.extend(other.elems.into_iter().map(|e| {
            Elem {
                role: e.role,
                parent: e.parent.map(|p| p + offset),
                page: e.page + first_page,
                kids: e
                    .kids
                    .into_iter()
                    .map(|k| match k {
                        Kid::Elem(i) => Kid::Elem(i + offset),
                        Kid::Content { page, mcid } => Kid::Content {
                            page: page + first_page,
                            mcid,
                        },
                    })
                    .collect(),
            }
        }));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_is_tied_to_its_element_and_sequences_close_at_a_page_end() {
        let mut t = Tags::default();
        let mut ops = Vec::new();
        let table = t.begin("Table", 0, &mut ops);
        let tr = t.create("TR", 0);
        t.enter(tr, &mut ops);
        let td = t.create("TD", 0);
        t.leave(&mut ops);
        t.enter(td, &mut ops);
        t.mark(0, &mut ops);
        t.mark(0, &mut ops); // the same cell: one sequence
        t.end_page(&mut ops);
        t.mark(1, &mut ops); // continued on the next page
        t.leave(&mut ops);
        t.leave(&mut ops);
        t.mark(1, &mut ops); // loose text: a P of its own
        t.end_page(&mut ops);
        assert_eq!(t.elems[table].kids, [Kid::Elem(tr)]);
        assert_eq!(
            t.elems[td].kids,
            [
                Kid::Content { page: 0, mcid: 0 },
                Kid::Content { page: 1, mcid: 0 }
            ]
        );
        assert_eq!(t.elems.last().unwrap().role, "P");
        assert_eq!(
            t.elems.last().unwrap().kids,
            [Kid::Content { page: 1, mcid: 1 }]
        );
        let begins = ops
            .iter()
            .filter(|o| matches!(o, Op::BeginMarkedContentWithProperties { .. }))
            .count();
        let ends = ops
            .iter()
            .filter(|o| matches!(o, Op::EndMarkedContent))
            .count();
        assert_eq!((begins, ends), (3, 3));
    }
}
