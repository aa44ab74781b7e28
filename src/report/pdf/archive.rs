//! The archival finish of a PDF (PDF/A-2b, ISO 19005-2, level B): what
//! printpdf does not write, or writes wrong, set right on the finished
//! lopdf document before it is saved.
//!
//! - PDF 1.7 header (lopdf writes the binary comment line after it);
//! - an Info dictionary of only the entries we mean, with no empty value
//!   and none of printpdf's PDF/X keys (`/GTS_PDFXVersion`, `/Identifier`);
//! - the same values in an XMP metadata stream that names the file
//!   PDF/A-2 level B;
//! - an sRGB output intent (icc.rs builds the profile), since pages paint
//!   in DeviceRGB;
//! - `/Lang`, and `/PageMode /UseOutlines` as a name;
//! - a nested outline whose entries land on their heading;
//! - link annotations for URLs and for the contents page, printable (/F 4);
//! - the structure tree the layout recorded (tags.rs), so the file is a
//!   Tagged PDF: headings, paragraphs, tables, the contents list.
//!
//! Nothing here is random or clock-dependent: two exports of one packet are
//! the same bytes.

use super::icc;
use super::layout::{Anchor, Link, Page, Target};
use super::tags::{Elem, Kid};
use super::DocumentInfo;
use crate::error::{Error, Result};
use lopdf::{dictionary, Dictionary, Document, Object, ObjectId, Stream, StringFormat};

/// The language of the packet's text, for screen readers and search.
const LANG: &str = "en";

/// What the finish needs besides the document itself.
pub struct Archive<'a> {
    pub info: &'a DocumentInfo<'a>,
    pub anchors: &'a [Anchor],
    pub links: &'a [Link],
    /// The structure elements (tags.rs); none: the file is not tagged.
    pub tags: &'a [Elem],
    pub page: Page,
}

/// Makes `doc` a PDF/A-2b file (see the module comment). Called once, after
/// compression and before the trailer /ID is derived from the bytes. The
/// structure elements are returned, not added: file.rs writes each as it
/// comes to it (`file::Deferred`).
pub fn finish<'a>(doc: &mut Document, a: &Archive<'a>) -> Result<Option<StructElems<'a>>> {
    doc.version = "1.7".into();
    let pages: Vec<ObjectId> = doc.get_pages().into_values().collect();
    let info = info_dictionary(a.info);
    match doc.trailer.get(b"Info").and_then(Object::as_reference) {
        Ok(id) => doc.set_object(id, info),
        Err(_) => {
            let id = doc.add_object(info);
            doc.trailer.set("Info", id);
        }
    }
    // XMP must be readable without a filter; the stream is left uncompressed.
    let xmp = Stream::new(
        dictionary! { "Type" => "Metadata", "Subtype" => "XML" },
        xmp(a.info).into_bytes(),
    )
    .with_compression(false);
    let xmp = doc.add_object(xmp);
    let profile = icc::srgb_profile();
    let mut profile = Stream::new(dictionary! { "N" => 3 }, profile);
    profile.compress().map_err(pdf_error)?;
    let profile = doc.add_object(profile);
    let intent = dictionary! {
        "Type" => "OutputIntent",
        "S" => "GTS_PDFA1",
        "OutputConditionIdentifier" => Object::string_literal("sRGB IEC61966-2.1"),
        "Info" => Object::string_literal("sRGB IEC61966-2.1"),
        "RegistryName" => Object::string_literal("http://www.color.org"),
        "DestOutputProfile" => profile,
    };
    let outlines = outlines(doc, a, &pages);
    add_links(doc, a, &pages)?;
    let structure = structure(doc, a, &pages)?;
    let catalog = doc.catalog_mut().map_err(pdf_error)?;
    if let Some((root, _)) = &structure {
        catalog.set("StructTreeRoot", *root);
        catalog.set("MarkInfo", dictionary! { "Marked" => true });
    }
    catalog.set("Metadata", xmp);
    catalog.set("OutputIntents", vec![Object::Dictionary(intent)]);
    catalog.set("Lang", Object::string_literal(LANG));
    match outlines {
        Some(id) => {
            catalog.set("Outlines", id);
            catalog.set("PageMode", Object::Name(b"UseOutlines".to_vec()));
        }
        None => {
            catalog.remove(b"Outlines");
            catalog.set("PageMode", Object::Name(b"UseNone".to_vec()));
        }
    }
    Ok(structure.map(|(_, elems)| elems))
}

fn pdf_error(e: lopdf::Error) -> Error {
    Error::internal(format!("cannot finish the PDF: {e}"))
}

/// The day of `as_of` (YYYY-MM-DD) as (PDF date, XMP date): every date of
/// the file is that midnight, UTC.
fn dates(as_of: &str) -> (String, String) {
    let day = chrono::NaiveDate::parse_from_str(as_of, "%Y-%m-%d").unwrap_or_default();
    (
        day.format("D:%Y%m%d000000+00'00'").to_string(),
        day.format("%Y-%m-%dT00:00:00+00:00").to_string(),
    )
}

/// The Info dictionary: only entries with a value, the same ones as in the
/// XMP.
fn info_dictionary(info: &DocumentInfo) -> Dictionary {
    let (date, _) = dates(info.as_of);
    let mut d = Dictionary::new();
    for (key, value) in [
        ("Title", info.title.as_str()),
        ("Author", info.author),
        ("Subject", info.subject.as_str()),
        ("Creator", info.generator),
        ("Producer", &info.producer()),
    ] {
        if !value.is_empty() {
            d.set(key, text_string(value));
        }
    }
    d.set("CreationDate", Object::string_literal(date.clone()));
    d.set("ModDate", Object::string_literal(date));
    d
}

/// A PDF text string: ASCII as it is, anything else as UTF-16BE with a byte
/// order mark.
fn text_string(s: &str) -> Object {
    if s.bytes().all(|b| (0x20..0x7f).contains(&b)) {
        Object::string_literal(s)
    } else {
        let mut bytes = vec![0xFE, 0xFF];
        bytes.extend(s.encode_utf16().flat_map(u16::to_be_bytes));
        Object::String(bytes, StringFormat::Hexadecimal)
    }
}

fn xml_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            // Control characters, U+FFFE and U+FFFF are not allowed in XML
            // 1.0 (names refuse them; records from before may hold them).
            c if c.is_control() || matches!(c, '\u{FFFE}' | '\u{FFFF}') => out.push(' '),
            c => out.push(c),
        }
    }
    out
}

/// The XMP packet: the Info values again, and the PDF/A identification.
fn xmp(info: &DocumentInfo) -> String {
    let (_, date) = dates(info.as_of);
    let mut props = String::new();
    let mut prop = |line: String| {
        props.push_str("   ");
        props.push_str(&line);
        props.push('\n');
    };
    prop("<dc:format>application/pdf</dc:format>".into());
    let alt = |name: &str, value: &str| {
        format!(
            "<dc:{name}><rdf:Alt><rdf:li xml:lang=\"x-default\">{}</rdf:li></rdf:Alt></dc:{name}>",
            xml_escape(value)
        )
    };
    if !info.title.is_empty() {
        prop(alt("title", &info.title));
    }
    if !info.author.is_empty() {
        prop(format!(
            "<dc:creator><rdf:Seq><rdf:li>{}</rdf:li></rdf:Seq></dc:creator>",
            xml_escape(info.author)
        ));
    }
    if !info.subject.is_empty() {
        prop(alt("description", &info.subject));
    }
    if !info.generator.is_empty() {
        prop(format!(
            "<xmp:CreatorTool>{}</xmp:CreatorTool>",
            xml_escape(info.generator)
        ));
    }
    prop(format!("<xmp:CreateDate>{date}</xmp:CreateDate>"));
    prop(format!("<xmp:ModifyDate>{date}</xmp:ModifyDate>"));
    prop(format!("<xmp:MetadataDate>{date}</xmp:MetadataDate>"));
    prop(format!(
        "<pdf:Producer>{}</pdf:Producer>",
        xml_escape(&info.producer())
    ));
    prop("<pdfaid:part>2</pdfaid:part>".into());
    prop("<pdfaid:conformance>B</pdfaid:conformance>".into());
    format!(
        "<?xpacket begin=\"\u{FEFF}\" id=\"W5M0MpCehiHzreSzNTczkc9d\"?>\n\
         <x:xmpmeta xmlns:x=\"adobe:ns:meta/\">\n \
         <rdf:RDF xmlns:rdf=\"http://www.w3.org/1999/02/22-rdf-syntax-ns#\">\n  \
         <rdf:Description rdf:about=\"\"\n    \
         xmlns:dc=\"http://purl.org/dc/elements/1.1/\"\n    \
         xmlns:xmp=\"http://ns.adobe.com/xap/1.0/\"\n    \
         xmlns:pdf=\"http://ns.adobe.com/pdf/1.3/\"\n    \
         xmlns:pdfaid=\"http://www.aiim.org/pdfa/ns/id/\">\n\
         {props}  </rdf:Description>\n \
         </rdf:RDF>\n\
         </x:xmpmeta>\n\
         <?xpacket end=\"w\"?>"
    )
}

/// `[page /XYZ left top null]`: the page scrolled to a heading, zoom kept.
fn destination(a: &Archive, pages: &[ObjectId], anchor: &Anchor) -> Option<Object> {
    let page = *pages.get(anchor.page)?;
    // A little above the heading's top, never above the page.
    let top = (anchor.y + 6.0).min(a.page.height);
    Some(Object::Array(vec![
        page.into(),
        Object::Name(b"XYZ".to_vec()),
        Object::Real(0.0),
        Object::Real(round(top)),
        Object::Null,
    ]))
}

fn round(v: f32) -> f32 {
    (v * 100.0).round() / 100.0
}

/// The outline (bookmarks) from the anchors: each entry nested under the
/// nearest earlier entry of a lower level, all open. Returns the /Outlines
/// dictionary's id, or None when there are no anchors.
fn outlines(doc: &mut Document, a: &Archive, pages: &[ObjectId]) -> Option<ObjectId> {
    let anchors: Vec<&Anchor> = a.anchors.iter().filter(|x| x.page < pages.len()).collect();
    if anchors.is_empty() {
        return None;
    }
    let root = doc.new_object_id();
    let ids: Vec<ObjectId> = anchors.iter().map(|_| doc.new_object_id()).collect();
    // parent[i]: the index of the entry that i is nested in (None: the root).
    let mut parent: Vec<Option<usize>> = Vec::with_capacity(anchors.len());
    for (i, anchor) in anchors.iter().enumerate() {
        let mut p = i.checked_sub(1);
        while let Some(j) = p {
            if anchors[j].level < anchor.level {
                break;
            }
            p = parent[j];
        }
        parent.push(p);
    }
    let children = |of: Option<usize>| -> Vec<usize> {
        (0..anchors.len()).filter(|&i| parent[i] == of).collect()
    };
    // Every entry is open, so an entry's /Count is all its descendants.
    let mut descendants = vec![0i64; anchors.len()];
    for i in (0..anchors.len()).rev() {
        if let Some(p) = parent[i] {
            descendants[p] += 1 + descendants[i];
        }
    }
    let link_siblings = |doc: &mut Document, of: Option<usize>| -> Option<(ObjectId, ObjectId)> {
        let kids = children(of);
        for (n, &i) in kids.iter().enumerate() {
            let mut d = dictionary! {
                "Title" => text_string(&anchors[i].title),
                "Parent" => parent[i].map_or(root, |p| ids[p]),
            };
            if let Some(dest) = destination(a, pages, anchors[i]) {
                d.set("Dest", dest);
            }
            if n > 0 {
                d.set("Prev", ids[kids[n - 1]]);
            }
            if let Some(&next) = kids.get(n + 1) {
                d.set("Next", ids[next]);
            }
            let grandchildren = children(Some(i));
            if let (Some(&first), Some(&last)) = (grandchildren.first(), grandchildren.last()) {
                d.set("First", ids[first]);
                d.set("Last", ids[last]);
                d.set("Count", descendants[i]);
            }
            doc.set_object(ids[i], d);
        }
        Some((ids[*kids.first()?], ids[*kids.last()?]))
    };
    for i in 0..anchors.len() {
        if parent.contains(&Some(i)) {
            link_siblings(doc, Some(i));
        }
    }
    let (first, last) = link_siblings(doc, None)?;
    doc.set_object(
        root,
        dictionary! {
            "Type" => "Outlines",
            "First" => first,
            "Last" => last,
            "Count" => anchors.len() as i64,
        },
    );
    Some(root)
}

/// A URI as PDF wants it: 7-bit ASCII, anything else percent-encoded.
fn ascii_uri(uri: &str) -> String {
    let mut out = String::with_capacity(uri.len());
    for b in uri.bytes() {
        if b.is_ascii_graphic() {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// One Link annotation per recorded rectangle, added to its page's /Annots;
/// every annotation, printpdf's too, gets the Print flag PDF/A requires.
fn add_links(doc: &mut Document, a: &Archive, pages: &[ObjectId]) -> Result<()> {
    let mut per_page: Vec<Vec<Object>> = vec![Vec::new(); pages.len()];
    for link in a.links {
        let Some(list) = per_page.get_mut(link.page) else {
            continue;
        };
        let [x0, y0, x1, y1] = link.rect.map(round);
        let mut d = dictionary! {
            "Type" => "Annot",
            "Subtype" => "Link",
            "Rect" => vec![x0.into(), y0.into(), x1.into(), y1.into()],
            "Border" => vec![0.into(), 0.into(), 0.into()],
            "F" => 4,
        };
        match &link.target {
            Target::Uri(uri) => d.set(
                "A",
                dictionary! { "S" => "URI", "URI" => Object::string_literal(ascii_uri(uri)) },
            ),
            Target::Anchor(i) => match a.anchors.get(*i).and_then(|x| destination(a, pages, x)) {
                Some(dest) => d.set("Dest", dest),
                None => continue,
            },
        }
        list.push(doc.add_object(d).into());
    }
    for (page, added) in pages.iter().zip(per_page) {
        let existing = match doc.get_dictionary(*page).map_err(pdf_error)?.get(b"Annots") {
            Ok(Object::Array(items)) => items.clone(),
            _ => Vec::new(),
        };
        let mut all = Vec::with_capacity(existing.len() + added.len());
        for item in existing {
            match item {
                Object::Reference(id) => {
                    if let Ok(d) = doc.get_dictionary_mut(id) {
                        d.set("F", 4);
                    }
                    all.push(Object::Reference(id));
                }
                Object::Dictionary(mut d) => {
                    d.set("F", 4);
                    all.push(Object::Dictionary(d));
                }
                other => all.push(other),
            }
        }
        all.extend(added);
        let page = doc.get_dictionary_mut(*page).map_err(pdf_error)?;
        if all.is_empty() {
            page.remove(b"Annots");
        } else {
            page.set("Annots", all);
        }
    }
    Ok(())
}

/// The structure tree: a Document element holding the layout's elements in
/// reading order, each marked-content sequence referenced by page and
/// MCID, and the parent tree that leads from a page's MCIDs back to their
/// element. Returns the /StructTreeRoot's id and the elements, whose ids
/// are reserved here and whose objects are made as the file is written
/// (`StructElems`); None with no elements.
fn structure<'a>(
    doc: &mut Document,
    a: &Archive<'a>,
    pages: &[ObjectId],
) -> Result<Option<(ObjectId, StructElems<'a>)>> {
    if a.tags.is_empty() {
        return Ok(None);
    }
    let root = doc.new_object_id();
    let document = doc.new_object_id();
    // One id per element, in order, as `new_object_id` would give them.
    let first = doc.max_id + 1;
    doc.max_id += a.tags.len() as u32;
    let elems = StructElems {
        tags: a.tags,
        first,
        document,
        pages: pages.to_vec(),
    };
    // Per page, the element of each MCID (the MCIDs of a page are 0, 1, ...).
    let mut parents: Vec<Vec<Object>> = vec![Vec::new(); pages.len()];
    for (i, e) in a.tags.iter().enumerate() {
        for kid in &e.kids {
            let Kid::Content { page, mcid } = kid else {
                continue;
            };
            if pages.get(*page).is_none() {
                continue;
            }
            let slots = &mut parents[*page];
            let at = *mcid as usize;
            if slots.len() <= at {
                slots.resize(at + 1, Object::Null);
            }
            if slots[at] != Object::Null {
                return Err(Error::internal(format!(
                    "MCID {mcid} used twice on page {}",
                    page + 1
                )));
            }
            slots[at] = elems.id(i).into();
        }
    }
    // The document's children in page order: the contents page is drawn
    // last but read second.
    let mut top: Vec<usize> = (0..a.tags.len())
        .filter(|&i| a.tags[i].parent.is_none())
        .collect();
    top.sort_by_key(|&i| a.tags[i].page);
    let top: Vec<Object> = top.into_iter().map(|i| elems.id(i).into()).collect();
    doc.set_object(
        document,
        dictionary! { "Type" => "StructElem", "S" => "Document", "P" => root, "K" => top },
    );
    let mut nums = Vec::new();
    for (p, slots) in parents.into_iter().enumerate() {
        if slots.is_empty() {
            continue;
        }
        doc.get_dictionary_mut(pages[p])
            .map_err(pdf_error)?
            .set("StructParents", p as i64);
        nums.push(Object::Integer(p as i64));
        nums.push(doc.add_object(Object::Array(slots)).into());
    }
    doc.set_object(
        root,
        dictionary! {
            "Type" => "StructTreeRoot",
            "K" => document,
            "ParentTree" => dictionary! { "Nums" => nums },
            "ParentTreeNextKey" => pages.len() as i64,
        },
    );
    Ok(Some((root, elems)))
}

/// The structure elements (/StructElem), one per element of the layout's
/// tree, with ids `first..`: each made only when the file is written.
pub struct StructElems<'a> {
    tags: &'a [Elem],
    first: u32,
    /// The Document element, parent of the top-level elements.
    document: ObjectId,
    pages: Vec<ObjectId>,
}

impl StructElems<'_> {
    fn id(&self, element: usize) -> ObjectId {
        (self.first + element as u32, 0)
    }
}

impl super::file::Deferred for StructElems<'_> {
    fn ids(&self) -> std::ops::Range<u32> {
        self.first..self.first + self.tags.len() as u32
    }

    /// The element's role, parent, kids (elements, and marked-content
    /// sequences by page and MCID) and page.
    fn object(&self, id: u32) -> Object {
        let e = &self.tags[(id - self.first) as usize];
        let mut kids: Vec<Object> = Vec::new();
        for kid in &e.kids {
            match kid {
                Kid::Elem(k) => kids.push(self.id(*k).into()),
                Kid::Content { page, mcid } => {
                    let Some(&pg) = self.pages.get(*page) else {
                        continue;
                    };
                    kids.push(dictionary! { "Type" => "MCR", "Pg" => pg, "MCID" => *mcid }.into());
                }
            }
        }
        let mut d = dictionary! {
            "Type" => "StructElem",
            "S" => Object::Name(e.role.as_bytes().to_vec()),
            "P" => e.parent.map_or(self.document, |p| self.id(p)),
        };
        if !kids.is_empty() {
            d.set("K", kids);
        }
        if let Some(&pg) = self.pages.get(e.page) {
            d.set("Pg", pg);
        }
        Object::Dictionary(d)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uris_are_made_ascii() {
        assert_eq!(
            ascii_uri("https://exämple.test/a b"),
            "https://ex%C3%A4mple.test/a%20b"
        );
    }

    #[test]
    fn info_strings_are_ascii_or_utf16_with_a_byte_order_mark() {
        assert_eq!(text_string("Plain"), Object::string_literal("Plain"));
        match text_string("Façade") {
            Object::String(bytes, _) => assert_eq!(&bytes[..4], [0xFE, 0xFF, 0, b'F']),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn xmp_escapes_values_and_names_pdf_a_2b() {
        let info = DocumentInfo {
            title: "A <b> & \"c\"".into(),
            as_of: "2026-11-26",
            author: "ann",
            generator: "vetter 1",
            subject: String::new(),
        };
        let x = xmp(&info);
        assert!(x.contains("A &lt;b&gt; &amp; &quot;c&quot;"), "{x}");
        assert!(x.contains("<pdfaid:part>2</pdfaid:part>"));
        assert!(x.contains("<pdfaid:conformance>B</pdfaid:conformance>"));
        assert!(x.contains("<xmp:CreateDate>2026-11-26T00:00:00+00:00</xmp:CreateDate>"));
        assert!(!x.contains("dc:description"), "empty values are left out");
        assert_eq!(dates("2026-11-26").0, "D:20261126000000+00'00'");
    }
}
