//! The byte-range plumbing of a PDF signature (ISO 32000-1 12.8, PAdES):
//! an incremental update appended to a finished packet.pdf that adds a
//! signature dictionary with room for the signature, an invisible signature
//! field on the first page and the form that lists it. The original bytes
//! stay as they were, so the unsigned revision can still be read out.
//!
//! The signature itself (CMS, the certificate) is made elsewhere
//! (`signature::pades`) over the two byte ranges this leaves: everything
//! but the hex string that will hold it.

use super::file::{deflate, write_dictionary, write_indirect};
use crate::error::{Error, Result};
use lopdf::{Dictionary, Object, ObjectId, StringFormat};

/// Room for the DER signature: a signer certificate and two CA
/// certificates with RSA-4096 keys come to about 6 KiB.
pub const MAX_SIGNATURE_BYTES: usize = 16 * 1024;

/// `/ByteRange [0 A B C]` with room for four ten-digit numbers, padded with
/// spaces once they are known, so no offset moves.
const BYTE_RANGE_WIDTH: usize = 4 * 11 + 1;

/// What the signature dictionary says besides the signature.
pub struct SignatureInfo<'a> {
    /// When it was signed (the /M entry; PAdES keeps the time out of the
    /// signed attributes).
    pub signed_at: chrono::DateTime<chrono::Utc>,
    /// The signer's name as their certificate gives it.
    pub name: &'a str,
    /// What the signature is for.
    pub reason: &'a str,
}

/// A PDF with its signature field added and the signature not yet in it.
pub struct Prepared {
    bytes: Vec<u8>,
    /// Where the `<` of /Contents' hex string is, and where its `>` ends.
    contents: std::ops::Range<usize>,
}

impl Prepared {
    /// The bytes the signature covers: before and after the /Contents hex
    /// string (its brackets excluded, as PDF/A asks).
    pub fn signed_bytes(&self) -> [&[u8]; 2] {
        [
            &self.bytes[..self.contents.start],
            &self.bytes[self.contents.end..],
        ]
    }

    /// The signed PDF: the DER signature written into its hex string.
    pub fn fill(mut self, signature: &[u8]) -> Result<Vec<u8>> {
        let room = (self.contents.len() - 2) / 2;
        if signature.len() > room {
            return Err(Error::internal(format!(
                "the PDF signature is {} bytes, more than the {room} reserved",
                signature.len()
            )));
        }
        const HEX: &[u8; 16] = b"0123456789ABCDEF";
        let at = self.contents.start + 1;
        for (i, byte) in signature.iter().enumerate() {
            self.bytes[at + 2 * i] = HEX[usize::from(byte >> 4)];
            self.bytes[at + 2 * i + 1] = HEX[usize::from(byte & 15)];
        }
        Ok(self.bytes)
    }
}

/// Appends the signature field's update to `pdf` (a file this module's
/// sibling writer made: a cross-reference stream, no encryption).
pub fn prepare(pdf: &[u8], info: &SignatureInfo) -> Result<Prepared> {
    let bad = |why: &str| Error::internal(format!("cannot add a signature to packet.pdf: {why}"));
    let doc = lopdf::Document::load_mem(pdf).map_err(|e| bad(&e.to_string()))?;
    let prev = last_startxref(pdf).ok_or_else(|| bad("no startxref"))?;
    let size = doc
        .trailer
        .get(b"Size")
        .and_then(Object::as_i64)
        .map_err(|_| bad("the trailer has no /Size"))?;
    let catalog_id = doc
        .trailer
        .get(b"Root")
        .and_then(Object::as_reference)
        .map_err(|_| bad("the trailer has no /Root"))?;
    let page_id = *doc
        .get_pages()
        .get(&1)
        .ok_or_else(|| bad("the document has no page"))?;
    let mut catalog = doc
        .get_dictionary(catalog_id)
        .map_err(|_| bad("no catalog"))?
        .clone();
    if catalog.has(b"AcroForm") {
        return Err(bad("it already has a form"));
    }
    let mut page = doc
        .get_dictionary(page_id)
        .map_err(|_| bad("no first page"))?
        .clone();

    let first_new = u32::try_from(size).map_err(|_| bad("/Size is out of range"))?;
    let sig_id: ObjectId = (first_new, 0);
    let field_id: ObjectId = (first_new + 1, 0);
    let appearance_id: ObjectId = (first_new + 2, 0);
    let xref_id: ObjectId = (first_new + 3, 0);

    // The page's annotations with the field's widget; an indirect array is
    // rewritten as an object of its own.
    let mut changed: Vec<(ObjectId, Object)> = Vec::new();
    match page.get(b"Annots") {
        Ok(Object::Reference(id)) => {
            let mut annots = doc
                .get_object(*id)
                .and_then(Object::as_array)
                .map_err(|_| bad("the first page's /Annots is not an array"))?
                .clone();
            annots.push(Object::Reference(field_id));
            changed.push((*id, Object::Array(annots)));
        }
        Ok(Object::Array(annots)) => {
            let mut annots = annots.clone();
            annots.push(Object::Reference(field_id));
            page.set("Annots", Object::Array(annots));
        }
        Ok(_) => return Err(bad("the first page's /Annots is not an array")),
        Err(_) => page.set("Annots", Object::Array(vec![Object::Reference(field_id)])),
    }
    let mut form = Dictionary::new();
    form.set("Fields", Object::Array(vec![Object::Reference(field_id)]));
    // SignaturesExist and AppendOnly: later changes must be incremental.
    form.set("SigFlags", 3);
    catalog.set("AcroForm", Object::Dictionary(form));
    changed.push((catalog_id, Object::Dictionary(catalog)));
    changed.push((page_id, Object::Dictionary(page)));

    let mut field = Dictionary::new();
    field.set("Type", Object::Name(b"Annot".to_vec()));
    field.set("Subtype", Object::Name(b"Widget".to_vec()));
    field.set("FT", Object::Name(b"Sig".to_vec()));
    field.set("T", Object::string_literal("vetter packet signature"));
    field.set("V", Object::Reference(sig_id));
    // No area on the page (so no appearance is needed), printed and locked
    // as PDF/A asks of every annotation.
    field.set(
        "Rect",
        Object::Array(vec![0.into(), 0.into(), 0.into(), 0.into()]),
    );
    field.set("F", 4 | 128);
    field.set("P", Object::Reference(page_id));
    // An empty appearance all the same: PDF/A wants one on every widget.
    let mut normal = Dictionary::new();
    normal.set("N", Object::Reference(appearance_id));
    field.set("AP", Object::Dictionary(normal));
    let mut form_xobject = Dictionary::new();
    form_xobject.set("Type", Object::Name(b"XObject".to_vec()));
    form_xobject.set("Subtype", Object::Name(b"Form".to_vec()));
    form_xobject.set(
        "BBox",
        Object::Array(vec![0.into(), 0.into(), 0.into(), 0.into()]),
    );
    changed.push((
        appearance_id,
        Object::Stream(lopdf::Stream::new(form_xobject, Vec::new())),
    ));

    let mut out = pdf.to_vec();
    if out.last() != Some(&b'\n') {
        out.push(b'\n');
    }
    let mut offsets: Vec<(u32, usize)> = Vec::new();

    // The signature dictionary, written by hand: its /ByteRange and
    // /Contents are patched in place, so their widths are fixed.
    offsets.push((sig_id.0, out.len()));
    out.extend_from_slice(
        format!(
            "{} 0 obj\n<</Type/Sig/Filter/Adobe.PPKLite/SubFilter/ETSI.CAdES.detached/ByteRange [",
            sig_id.0
        )
        .as_bytes(),
    );
    let byte_range_at = out.len();
    out.extend_from_slice(&[b' '; BYTE_RANGE_WIDTH]);
    out.extend_from_slice(b"]/Contents ");
    let contents_start = out.len();
    out.push(b'<');
    out.extend(std::iter::repeat_n(b'0', 2 * MAX_SIGNATURE_BYTES));
    out.push(b'>');
    let contents_end = out.len();
    let mut rest = Dictionary::new();
    rest.set(
        "M",
        Object::String(
            info.signed_at
                .format("D:%Y%m%d%H%M%SZ")
                .to_string()
                .into_bytes(),
            StringFormat::Literal,
        ),
    );
    rest.set("Name", text_string(info.name));
    rest.set("Reason", text_string(info.reason));
    let mut tail = Vec::new();
    write_dictionary(&mut tail, &rest);
    // `<<...>>` without its brackets continues the signature dictionary.
    out.extend_from_slice(&tail[2..tail.len() - 2]);
    out.extend_from_slice(b">>\nendobj\n");

    offsets.push((field_id.0, out.len()));
    write_indirect(&mut out, field_id, &Object::Dictionary(field));
    for (id, object) in &changed {
        offsets.push((id.0, out.len()));
        write_indirect(&mut out, *id, object);
    }

    // The update's cross-reference stream: the same kind as the file's
    // (a classic table after a stream would make a hybrid file).
    let xref_at = out.len();
    offsets.push((xref_id.0, xref_at));
    offsets.sort_unstable();
    let mut index = Vec::new();
    let mut table = Vec::new();
    for (n, &(id, offset)) in offsets.iter().enumerate() {
        if n == 0 || offsets[n - 1].0 + 1 != id {
            index.push(Object::Integer(id.into()));
            index.push(Object::Integer(0));
        }
        let count = index.len() - 1;
        if let Object::Integer(c) = &mut index[count] {
            *c += 1;
        }
        let offset = u32::try_from(offset).map_err(|_| bad("the file is larger than 4 GiB"))?;
        table.push(1u8);
        table.extend_from_slice(&offset.to_be_bytes());
        table.extend_from_slice(&0u16.to_be_bytes());
    }
    let data = deflate(&table, 6)?;
    let mut dict = Dictionary::new();
    for key in [&b"Root"[..], b"Info", b"ID"] {
        if let Ok(value) = doc.trailer.get(key) {
            dict.set(key.to_vec(), value.clone());
        }
    }
    dict.set("Type", Object::Name(b"XRef".to_vec()));
    dict.set("Size", i64::from(xref_id.0) + 1);
    dict.set("Index", Object::Array(index));
    dict.set("Prev", prev as i64);
    dict.set("W", Object::Array(vec![1.into(), 4.into(), 2.into()]));
    dict.set("Filter", Object::Name(b"FlateDecode".to_vec()));
    dict.set("Length", data.len() as i64);
    out.extend_from_slice(format!("{} 0 obj\n", xref_id.0).as_bytes());
    write_dictionary(&mut out, &dict);
    out.extend_from_slice(b"stream\n");
    out.extend_from_slice(&data);
    out.extend_from_slice(format!("\nendstream\nendobj\nstartxref\n{xref_at}\n%%EOF\n").as_bytes());

    // Now that the length is known: the two ranges around /Contents.
    let ranges = format!(
        "0 {contents_start} {contents_end} {}",
        out.len() - contents_end
    );
    if ranges.len() > BYTE_RANGE_WIDTH {
        return Err(bad("the file is too large for its byte range"));
    }
    out[byte_range_at..byte_range_at + ranges.len()].copy_from_slice(ranges.as_bytes());
    Ok(Prepared {
        bytes: out,
        contents: contents_start..contents_end,
    })
}

/// A PDF text string: PDFDocEncoding's ASCII as is, anything else UTF-16BE
/// with its byte-order mark.
fn text_string(text: &str) -> Object {
    if text.chars().all(|c| (' '..='~').contains(&c)) {
        return Object::string_literal(text);
    }
    let mut bytes = vec![0xFE, 0xFF];
    for unit in text.encode_utf16() {
        bytes.extend_from_slice(&unit.to_be_bytes());
    }
    Object::String(bytes, StringFormat::Hexadecimal)
}

/// The offset the file's last `startxref` names.
fn last_startxref(pdf: &[u8]) -> Option<usize> {
    let tail = &pdf[pdf.len().saturating_sub(1024)..];
    let at = tail.windows(9).rposition(|w| w == b"startxref")?;
    let text = std::str::from_utf8(&tail[at + 9..]).ok()?;
    text.split_whitespace().next()?.parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;
    use lopdf::dictionary;

    /// A one-page PDF as the packet writer writes it (object streams, a
    /// cross-reference stream), with a link on its page.
    fn one_page() -> Vec<u8> {
        let mut doc = lopdf::Document::with_version("1.7");
        let pages_id = doc.new_object_id();
        let link = doc.add_object(dictionary! {
            "Type" => "Annot", "Subtype" => "Link", "Rect" => vec![0.into(), 0.into(), 10.into(), 10.into()], "F" => 4,
        });
        let page = doc.add_object(dictionary! {
            "Type" => "Page", "Parent" => pages_id, "MediaBox" => vec![0.into(), 0.into(), 595.into(), 842.into()],
            "Annots" => vec![link.into()],
        });
        doc.objects.insert(
            pages_id,
            Object::Dictionary(
                dictionary! { "Type" => "Pages", "Kids" => vec![page.into()], "Count" => 1 },
            ),
        );
        let catalog = doc.add_object(dictionary! { "Type" => "Catalog", "Pages" => pages_id });
        doc.trailer.set("Root", catalog);
        super::super::file::write(&doc, 6, &[]).unwrap()
    }

    fn info() -> SignatureInfo<'static> {
        SignatureInfo {
            signed_at: chrono::DateTime::from_timestamp(1_795_651_200, 0).unwrap(),
            name: "Zoë Auditor",
            reason: "test",
        }
    }

    #[test]
    fn the_byte_range_is_the_whole_file_but_the_signature() {
        let original = one_page();
        let prepared = prepare(&original, &info()).unwrap();
        let [before, after] = prepared.signed_bytes();
        let (start, end) = (prepared.contents.start, prepared.contents.end);
        let total = prepared.bytes.len();
        assert!(
            prepared.bytes.starts_with(&original),
            "the original bytes stay first"
        );
        assert_eq!((before.len(), after.len()), (start, total - end));
        assert_eq!(
            (prepared.bytes[start], prepared.bytes[end - 1]),
            (b'<', b'>')
        );
        let text = String::from_utf8_lossy(&prepared.bytes[original.len()..]).into_owned();
        let range = format!("/ByteRange [0 {start} {end} {}", total - end);
        assert!(text.contains(&range), "{range} not in {}", &text[..200]);
        // The time in /M, the name in UTF-16 (it is not ASCII).
        let tail = String::from_utf8_lossy(after).into_owned();
        let when = info().signed_at.format("/M (D:%Y%m%d%H%M%SZ)").to_string();
        assert!(tail.contains(&when), "{when} not in {}", &tail[..300]);
        assert!(tail.contains("/Name <FEFF005A006F00EB"), "{}", &tail[..300]);

        // The update reads back: the catalog's form lists the field, the
        // page keeps its link and gains the widget, /V is the signature.
        let doc = lopdf::Document::load_mem(&prepared.bytes).unwrap();
        let root = doc.trailer.get(b"Root").unwrap().as_reference().unwrap();
        let catalog = doc.get_dictionary(root).unwrap();
        let form = catalog.get(b"AcroForm").unwrap().as_dict().unwrap();
        let field = form.get(b"Fields").unwrap().as_array().unwrap()[0]
            .as_reference()
            .unwrap();
        let page = doc
            .get_dictionary(*doc.get_pages().get(&1).unwrap())
            .unwrap();
        let annots = page.get(b"Annots").unwrap().as_array().unwrap();
        assert_eq!(annots.len(), 2);
        assert_eq!(annots[1].as_reference().unwrap(), field);
        let widget = doc.get_dictionary(field).unwrap();
        let sig = doc
            .get_dictionary(widget.get(b"V").unwrap().as_reference().unwrap())
            .unwrap();
        assert_eq!(
            sig.get(b"SubFilter").unwrap().as_name().unwrap(),
            b"ETSI.CAdES.detached"
        );

        // The signature goes into the hex string; one too large is refused.
        let signed = prepared.fill(&[0xAB, 0xCD]).unwrap();
        assert_eq!(&signed[start..start + 6], b"<ABCD0");
        let again = prepare(&original, &info()).unwrap();
        assert!(again.fill(&vec![1; MAX_SIGNATURE_BYTES + 1]).is_err());
    }

    #[test]
    fn a_pdf_with_a_form_already_is_refused() {
        let signed = prepare(&one_page(), &info()).unwrap().fill(&[1]).unwrap();
        let err = prepare(&signed, &info()).err().unwrap();
        assert!(err.to_string().contains("already has a form"), "{err}");
    }
}
