//! Writes a finished lopdf document as a PDF file: the small objects packed
//! into compressed object streams, the rest written directly, and a
//! cross-reference stream. lopdf can do this itself, but its writer clones
//! every object and serializes each one twice; for a tagged packet (thousands
//! of structure elements) that was half of an export. This writer reads the
//! document once and writes each object once.

use crate::error::{Error, Result};
use lopdf::{Dictionary, Object, ObjectId, StringFormat};
use std::io::Write;

/// How many small objects share one object stream.
const OBJECTS_PER_STREAM: usize = 200;

/// Small objects the document does not hold, each made when it is written
/// and dropped after: their ids are reserved in the document (`max_id`
/// counts them) but absent from its objects. A large packet's structure
/// tree has a hundred thousand elements; held as lopdf dictionaries they
/// took more memory than the rest of the PDF.
pub trait Deferred {
    /// Their ids (generation 0), none of them an object of the document.
    fn ids(&self) -> std::ops::Range<u32>;
    /// Object `id`: a dictionary or array, never a stream.
    fn object(&self, id: u32) -> Object;
}

/// Where a packed object comes from.
enum Packed<'a> {
    Held(&'a Object),
    Deferred(u32),
}

/// The document as PDF bytes; `level` is zlib's level for the object and
/// cross-reference streams. Objects are written in id order, `deferred`
/// ones among the document's own, so the same document gives the same
/// bytes whether an object is held or deferred.
pub fn write(doc: &lopdf::Document, level: u32, deferred: &[&dyn Deferred]) -> Result<Vec<u8>> {
    let mut out = Vec::with_capacity(256 * 1024);
    out.extend_from_slice(format!("%PDF-{}\n", doc.version).as_bytes());
    // A comment of four bytes >= 128 marks the file as binary (PDF/A asks).
    out.extend_from_slice(b"%\xE2\xE3\xCF\xD3\n");

    let mut entries: Vec<Entry> = Vec::new();
    let mut packed: Vec<(ObjectId, Packed)> = Vec::new();
    for (&id, object) in &doc.objects {
        let direct = matches!(object, Object::Stream(_)) || id.1 != 0;
        if direct {
            set(&mut entries, id.0, Entry::Direct(out.len()));
            write_indirect(&mut out, id, object);
        } else {
            packed.push((id, Packed::Held(object)));
        }
    }
    for (n, d) in deferred.iter().enumerate() {
        debug_assert!(d.ids().all(|id| !doc.objects.contains_key(&(id, 0))));
        packed.extend(d.ids().map(|id| ((id, 0), Packed::Deferred(n as u32))));
    }
    if !deferred.is_empty() {
        packed.sort_by_key(|(id, _)| *id);
    }
    let mut next_id = doc.max_id + 1;
    for chunk in packed.chunks(OBJECTS_PER_STREAM) {
        let stream_id = next_id;
        next_id += 1;
        let mut offsets = String::new();
        let mut body = Vec::new();
        for (index, (id, object)) in chunk.iter().enumerate() {
            offsets.push_str(&format!("{} {} ", id.0, body.len()));
            match object {
                Packed::Held(object) => write_object(&mut body, object),
                Packed::Deferred(n) => write_object(&mut body, &deferred[*n as usize].object(id.0)),
            }
            body.push(b'\n');
            set(&mut entries, id.0, Entry::Packed(stream_id, index));
        }
        let mut content = offsets.clone().into_bytes();
        content.extend_from_slice(&body);
        let data = deflate(&content, level)?;
        set(&mut entries, stream_id, Entry::Direct(out.len()));
        out.extend_from_slice(
            format!(
                "{stream_id} 0 obj\n<</Type/ObjStm/N {}/First {}/Filter/FlateDecode/Length {}>>stream\n",
                chunk.len(),
                offsets.len(),
                data.len()
            )
            .as_bytes(),
        );
        out.extend_from_slice(&data);
        out.extend_from_slice(b"\nendstream\nendobj\n");
    }

    // The cross-reference stream: 1 byte of type, 4 of offset or object
    // stream number, 2 of generation or index.
    let xref_id = next_id;
    let xref_at = out.len();
    set(&mut entries, xref_id, Entry::Direct(xref_at));
    let mut table = Vec::with_capacity(entries.len() * 7);
    for entry in &entries {
        let (kind, field, index) = match *entry {
            Entry::Free => (0u8, 0u32, 0u16),
            Entry::Direct(offset) => (1, offset as u32, 0),
            Entry::Packed(stream, index) => (2, stream, index as u16),
        };
        table.push(kind);
        table.extend_from_slice(&field.to_be_bytes());
        table.extend_from_slice(&index.to_be_bytes());
    }
    if u32::try_from(out.len()).is_err() {
        return Err(Error::internal("the PDF is larger than 4 GiB"));
    }
    let data = deflate(&table, level)?;
    let mut dict = Dictionary::new();
    for (key, value) in doc.trailer.iter() {
        if !matches!(
            key.as_slice(),
            b"Size" | b"Prev" | b"XRefStm" | b"Length" | b"Filter"
        ) {
            dict.set(key.clone(), value.clone());
        }
    }
    dict.set("Type", Object::Name(b"XRef".to_vec()));
    dict.set("Size", entries.len() as i64);
    dict.set(
        "W",
        Object::Array(vec![
            Object::Integer(1),
            Object::Integer(4),
            Object::Integer(2),
        ]),
    );
    dict.set("Filter", Object::Name(b"FlateDecode".to_vec()));
    dict.set("Length", data.len() as i64);
    out.extend_from_slice(format!("{xref_id} 0 obj\n").as_bytes());
    write_dictionary(&mut out, &dict);
    out.extend_from_slice(b"stream\n");
    out.extend_from_slice(&data);
    out.extend_from_slice(format!("\nendstream\nendobj\nstartxref\n{xref_at}\n%%EOF\n").as_bytes());
    Ok(out)
}

#[derive(Clone, Copy)]
enum Entry {
    Free,
    Direct(usize),
    /// In object stream N, at index I.
    Packed(u32, usize),
}

fn set(entries: &mut Vec<Entry>, id: u32, entry: Entry) {
    let id = id as usize;
    if entries.len() <= id {
        entries.resize(id + 1, Entry::Free);
    }
    entries[id] = entry;
}

pub(super) fn deflate(data: &[u8], level: u32) -> Result<Vec<u8>> {
    let mut encoder = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::new(level));
    encoder
        .write_all(data)
        .and_then(|_| encoder.finish())
        .map_err(|e| Error::internal(format!("cannot deflate a PDF stream: {e}")))
}

pub(super) fn write_indirect(out: &mut Vec<u8>, id: ObjectId, object: &Object) {
    out.extend_from_slice(format!("{} {} obj\n", id.0, id.1).as_bytes());
    write_object(out, object);
    out.extend_from_slice(b"\nendobj\n");
}

/// One object in PDF syntax. Tokens are always separated by a space or a
/// delimiter, so no two run together.
fn write_object(out: &mut Vec<u8>, object: &Object) {
    match object {
        Object::Null => out.extend_from_slice(b"null"),
        Object::Boolean(b) => out.extend_from_slice(if *b { b"true" } else { b"false" }),
        Object::Integer(i) => out.extend_from_slice(i.to_string().as_bytes()),
        // Display never uses an exponent, which PDF does not allow.
        Object::Real(r) => out.extend_from_slice(format!("{r}").as_bytes()),
        Object::Name(name) => write_name(out, name),
        Object::String(text, StringFormat::Literal) => {
            out.push(b'(');
            for &byte in text {
                match byte {
                    b'(' | b')' | b'\\' => out.extend_from_slice(&[b'\\', byte]),
                    b'\r' => out.extend_from_slice(b"\\r"),
                    _ => out.push(byte),
                }
            }
            out.push(b')');
        }
        Object::String(text, StringFormat::Hexadecimal) => {
            const HEX: &[u8; 16] = b"0123456789ABCDEF";
            out.push(b'<');
            for &byte in text {
                out.extend_from_slice(&[HEX[usize::from(byte >> 4)], HEX[usize::from(byte & 15)]]);
            }
            out.push(b'>');
        }
        Object::Array(items) => {
            out.push(b'[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push(b' ');
                }
                write_object(out, item);
            }
            out.push(b']');
        }
        Object::Dictionary(dict) => write_dictionary(out, dict),
        Object::Stream(stream) => {
            let mut dict = stream.dict.clone();
            dict.set("Length", stream.content.len() as i64);
            write_dictionary(out, &dict);
            out.extend_from_slice(b"stream\n");
            out.extend_from_slice(&stream.content);
            out.extend_from_slice(b"\nendstream");
        }
        Object::Reference(id) => out.extend_from_slice(format!("{} {} R", id.0, id.1).as_bytes()),
    }
}

pub(super) fn write_dictionary(out: &mut Vec<u8>, dict: &Dictionary) {
    out.extend_from_slice(b"<<");
    for (key, value) in dict.iter() {
        write_name(out, key);
        out.push(b' ');
        write_object(out, value);
    }
    out.extend_from_slice(b">>");
}

/// A name, with delimiters, white space and bytes outside ! to ~ written as
/// #XX.
fn write_name(out: &mut Vec<u8>, name: &[u8]) {
    out.push(b'/');
    for &byte in name {
        if b" \t\n\r\x0C()<>[]{}/%#".contains(&byte) || !(33..=126).contains(&byte) {
            out.extend_from_slice(format!("#{byte:02X}").as_bytes());
        } else {
            out.push(byte);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(object: &Object) -> String {
        let mut out = Vec::new();
        write_object(&mut out, object);
        String::from_utf8(out).unwrap()
    }

    /// Small dictionaries made only when written.
    struct Made {
        first: u32,
        count: u32,
    }

    impl Deferred for Made {
        fn ids(&self) -> std::ops::Range<u32> {
            self.first..self.first + self.count
        }
        fn object(&self, id: u32) -> Object {
            let mut d = Dictionary::new();
            d.set("N", i64::from(id));
            Object::Dictionary(d)
        }
    }

    /// Deferring objects changes nothing in the file: the same bytes as
    /// with every object held, their ids among the held ones, over more than
    /// one object stream.
    #[test]
    fn deferred_objects_are_written_as_if_held() {
        let build = |defer: bool| {
            let mut doc = lopdf::Document::with_version("1.7");
            let before = doc.add_object(Object::Integer(1));
            let made = Made {
                first: doc.max_id + 1,
                count: 450,
            };
            for id in made.ids() {
                if defer {
                    doc.max_id += 1;
                } else {
                    assert_eq!(doc.add_object(made.object(id)), (id, 0));
                }
            }
            let after = doc.add_object(Object::Array(vec![before.into()]));
            doc.trailer.set("Root", after);
            let bytes = if defer {
                write(&doc, 3, &[&made]).unwrap()
            } else {
                write(&doc, 3, &[]).unwrap()
            };
            (bytes, doc.objects.len())
        };
        let (held, held_objects) = build(false);
        let (deferred, deferred_objects) = build(true);
        assert_eq!((held_objects, deferred_objects), (452, 2));
        assert!(held == deferred, "deferring changed the file");
    }

    #[test]
    fn objects_are_written_in_pdf_syntax() {
        assert_eq!(text(&Object::Real(0.000_1)), "0.0001");
        assert_eq!(text(&Object::Real(-12.5)), "-12.5");
        assert_eq!(text(&Object::Name(b"A B#".to_vec())), "/A#20B#23");
        assert_eq!(
            text(&Object::string_literal("a(b)\\c\rd")),
            "(a\\(b\\)\\\\c\\rd)"
        );
        assert_eq!(
            text(&Object::String(vec![0, 0xAB], StringFormat::Hexadecimal)),
            "<00AB>"
        );
        let mut dict = Dictionary::new();
        dict.set(
            "K",
            Object::Array(vec![Object::Reference((3, 0)), Object::Integer(7)]),
        );
        dict.set("S", Object::Name(b"TD".to_vec()));
        assert_eq!(text(&Object::Dictionary(dict)), "<</K [3 0 R 7]/S /TD>>");
    }
}
