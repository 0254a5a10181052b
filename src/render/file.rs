//! The PDF file (render stage, last step): serialises the finished object
//! graph, either with every dictionary packed into compressed object
//! streams and a cross-reference stream (PDF 1.5+), or as plain objects with
//! a classic cross-reference table (PDF/A-1, which is PDF 1.4). Objects are
//! written in id order, so the bytes depend only on the document.

use lopdf::{Dictionary, Document, Object, ObjectId, StringFormat};

use super::flate;

/// Dictionaries per object stream (as lopdf and most writers do, so a
/// reader never inflates more than a small stream to reach one object).
const PER_OBJECT_STREAM: usize = 100;

/// Writes `doc` as a PDF file.
pub fn write(doc: &Document, object_streams: bool) -> Vec<u8> {
    let mut out = Vec::with_capacity(64 * 1024);
    out.extend_from_slice(b"%PDF-");
    out.extend_from_slice(doc.version.as_bytes());
    // A comment with bytes above 127 marks the file as binary (7.5.2).
    out.extend_from_slice(b"\n%\xE2\xE3\xCF\xD3\n");
    if object_streams {
        write_packed(doc, &mut out);
    } else {
        write_plain(doc, &mut out);
    }
    out
}

/// Where each object number is found.
#[derive(Clone, Copy)]
enum Entry {
    Free,
    /// At this byte offset, with this generation.
    Direct(usize, u16),
    /// In object stream `stream`, at `index`.
    Packed {
        stream: u32,
        index: usize,
    },
}

/// One more than the highest object number in use (lopdf's `max_id` may
/// lag behind an object inserted by hand).
fn first_unused(doc: &Document) -> u32 {
    let highest = doc.objects.keys().map(|id| id.0).max().unwrap_or(0);
    highest.max(doc.max_id) + 1
}

/// Every object as an indirect object, then an xref table and trailer.
fn write_plain(doc: &Document, out: &mut Vec<u8>) {
    let size = first_unused(doc);
    let mut entries = vec![Entry::Free; size as usize];
    // Object 0 heads the free list (7.5.4); lopdf never numbers one 0.
    for (&id, object) in doc.objects.iter().filter(|(id, _)| id.0 != 0) {
        entries[id.0 as usize] = Entry::Direct(out.len(), id.1);
        indirect(out, id, object);
    }
    let start = out.len();
    out.extend_from_slice(format!("xref\n0 {size}\n").as_bytes());
    for entry in &entries {
        let line = match entry {
            Entry::Direct(offset, generation) => format!("{offset:010} {generation:05} n\r\n"),
            _ => "0000000000 65535 f\r\n".to_string(),
        };
        out.extend_from_slice(line.as_bytes());
    }
    let mut trailer = trailer(doc);
    trailer.set("Size", i64::from(size));
    out.extend_from_slice(b"trailer\n");
    object(out, &Object::Dictionary(trailer));
    out.extend_from_slice(format!("\nstartxref\n{start}\n%%EOF\n").as_bytes());
}

/// Streams as indirect objects; every other object packed into object
/// streams; a compressed cross-reference stream that also is the trailer.
fn write_packed(doc: &Document, out: &mut Vec<u8>) {
    // Only generation-0 objects other than streams may be packed (7.5.7).
    let in_use = doc.objects.iter().filter(|(id, _)| id.0 != 0);
    let (packed, direct): (Vec<_>, Vec<_>) =
        in_use.partition(|(id, object)| id.1 == 0 && object.as_stream().is_err());
    let chunks = packed.len().div_ceil(PER_OBJECT_STREAM);
    // Object streams and the xref stream take the next free numbers.
    let first_new = first_unused(doc);
    let xref_id = first_new + chunks as u32;
    let size = xref_id + 1;
    let mut entries = vec![Entry::Free; size as usize];

    for (&id, object) in direct {
        entries[id.0 as usize] = Entry::Direct(out.len(), id.1);
        indirect(out, id, object);
    }
    for (n, chunk) in packed.chunks(PER_OBJECT_STREAM).enumerate() {
        let stream_id = first_new + n as u32;
        let mut header = Vec::new();
        let mut body = Vec::new();
        for (index, (id, object)) in chunk.iter().enumerate() {
            entries[id.0 as usize] = Entry::Packed {
                stream: stream_id,
                index,
            };
            header.extend_from_slice(format!("{} {} ", id.0, body.len()).as_bytes());
            self::object(&mut body, object);
            body.push(b'\n');
        }
        let mut dict = Dictionary::new();
        dict.set("Type", Object::Name(b"ObjStm".to_vec()));
        dict.set("N", chunk.len() as i64);
        dict.set("First", header.len() as i64);
        header.extend_from_slice(&body);
        entries[stream_id as usize] = Entry::Direct(out.len(), 0);
        stream_object(out, (stream_id, 0), dict, &header);
    }

    // Cross-reference stream (7.5.8): type, 4-byte offset or stream number,
    // 2-byte generation or index.
    let start = out.len();
    entries[xref_id as usize] = Entry::Direct(start, 0);
    let mut rows = Vec::with_capacity(entries.len() * 7);
    for entry in &entries {
        let (kind, field, index) = match *entry {
            Entry::Free => (0u8, 0u32, 0xFFFFu16),
            Entry::Direct(offset, generation) => (1, offset as u32, generation),
            Entry::Packed { stream, index } => (2, stream, index as u16),
        };
        rows.push(kind);
        rows.extend_from_slice(&field.to_be_bytes());
        rows.extend_from_slice(&index.to_be_bytes());
    }
    let mut dict = trailer(doc);
    dict.set("Type", Object::Name(b"XRef".to_vec()));
    dict.set("Size", i64::from(size));
    dict.set("W", Object::Array(vec![1.into(), 4.into(), 2.into()]));
    stream_object(out, (xref_id, 0), dict, &rows);
    out.extend_from_slice(format!("startxref\n{start}\n%%EOF\n").as_bytes());
}

/// The trailer's entries that are kept (Root, Info, ID).
fn trailer(doc: &Document) -> Dictionary {
    let mut dict = Dictionary::new();
    for key in [b"Root".as_slice(), b"Info", b"ID"] {
        if let Ok(value) = doc.trailer.get(key) {
            dict.set(key, value.clone());
        }
    }
    dict
}

/// A new stream object, deflated at the per-build level when that is smaller.
fn stream_object(out: &mut Vec<u8>, id: ObjectId, mut dict: Dictionary, content: &[u8]) {
    let deflated = flate::deflate_if_smaller(content, flate::EVERY_BUILD);
    if deflated.is_some() {
        dict.set("Filter", Object::Name(b"FlateDecode".to_vec()));
    }
    let content = deflated.as_deref().unwrap_or(content);
    begin_indirect(out, id);
    stream(out, &dict, content);
    out.extend_from_slice(b"\nendobj\n");
}

fn begin_indirect(out: &mut Vec<u8>, id: ObjectId) {
    out.extend_from_slice(format!("{} {} obj\n", id.0, id.1).as_bytes());
}

fn indirect(out: &mut Vec<u8>, id: ObjectId, value: &Object) {
    begin_indirect(out, id);
    object(out, value);
    out.extend_from_slice(b"\nendobj\n");
}

/// A stream: its dictionary with the true `/Length`, then the bytes.
fn stream(out: &mut Vec<u8>, dict: &Dictionary, content: &[u8]) {
    let mut dict = dict.clone();
    dict.set("Length", content.len() as i64);
    dictionary(out, &dict);
    out.extend_from_slice(b"stream\n");
    out.extend_from_slice(content);
    out.extend_from_slice(b"\nendstream");
}

/// One object in PDF syntax (7.3).
fn object(out: &mut Vec<u8>, value: &Object) {
    match value {
        Object::Null => out.extend_from_slice(b"null"),
        Object::Boolean(b) => out.extend_from_slice(if *b { b"true" } else { b"false" }),
        Object::Integer(i) => out.extend_from_slice(i.to_string().as_bytes()),
        Object::Real(r) => real(out, *r),
        Object::Name(name) => self::name(out, name),
        Object::String(bytes, StringFormat::Literal) => literal(out, bytes),
        Object::String(bytes, StringFormat::Hexadecimal) => hex(out, bytes),
        Object::Array(items) => {
            out.push(b'[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push(b' ');
                }
                object(out, item);
            }
            out.push(b']');
        }
        Object::Dictionary(dict) => dictionary(out, dict),
        Object::Stream(s) => stream(out, &s.dict, &s.content),
        Object::Reference(id) => out.extend_from_slice(format!("{} {} R", id.0, id.1).as_bytes()),
    }
}

fn dictionary(out: &mut Vec<u8>, dict: &Dictionary) {
    out.extend_from_slice(b"<<");
    for (key, value) in dict.iter() {
        name(out, key);
        // A name, string, array or dictionary starts with its own delimiter.
        if !matches!(
            value,
            Object::Name(_) | Object::String(..) | Object::Array(_) | Object::Dictionary(_)
        ) {
            out.push(b' ');
        }
        object(out, value);
    }
    out.extend_from_slice(b">>");
}

/// A real in plain decimal notation (PDF has no exponents), the shortest
/// that reads back as the same `f32`. PDF has no NaN or infinity either:
/// those are written as 0 (the template check keeps them out of pages).
fn real(out: &mut Vec<u8>, value: f32) {
    let value = if value == 0.0 || !value.is_finite() {
        0.0
    } else {
        value
    };
    let text = format!("{value}");
    out.extend_from_slice(text.strip_suffix(".0").unwrap_or(&text).as_bytes());
}

/// A name: delimiters, `#` and bytes outside `!`..`~` as `#xx` (7.3.5).
fn name(out: &mut Vec<u8>, bytes: &[u8]) {
    out.push(b'/');
    for &byte in bytes {
        if b"()<>[]{}/%#".contains(&byte) || !(b'!'..=b'~').contains(&byte) {
            out.extend_from_slice(format!("#{byte:02X}").as_bytes());
        } else {
            out.push(byte);
        }
    }
}

/// A literal string with `\`, parentheses and line ends escaped (7.3.4.2).
fn literal(out: &mut Vec<u8>, bytes: &[u8]) {
    out.push(b'(');
    for &byte in bytes {
        match byte {
            b'\\' | b'(' | b')' => out.extend_from_slice(&[b'\\', byte]),
            b'\r' => out.extend_from_slice(b"\\r"),
            b'\n' => out.extend_from_slice(b"\\n"),
            _ => out.push(byte),
        }
    }
    out.push(b')');
}

/// A hex string: `<` the bytes in upper-case hex `>` (7.3.4.3).
pub(super) fn hex(out: &mut Vec<u8>, bytes: &[u8]) {
    out.push(b'<');
    hex_digits(out, bytes);
    out.push(b'>');
}

/// Two upper-case hex digits per byte (glyph codes, CMap entries).
pub(super) fn hex_digits(out: &mut Vec<u8>, bytes: &[u8]) {
    const DIGITS: &[u8; 16] = b"0123456789ABCDEF";
    for &byte in bytes {
        out.push(DIGITS[usize::from(byte >> 4)]);
        out.push(DIGITS[usize::from(byte & 0xF)]);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use lopdf::Stream;

    fn written(value: &Object) -> String {
        let mut out = Vec::new();
        object(&mut out, value);
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn objects_are_spelled_as_pdf_wants() {
        assert_eq!(written(&Object::Real(595.2756)), "595.2756");
        assert_eq!(written(&Object::Real(-0.0)), "0");
        assert_eq!(written(&Object::Real(12.0)), "12");
        assert_eq!(written(&Object::Real(f32::NAN)), "0");
        assert_eq!(written(&Object::Real(f32::INFINITY)), "0");
        assert_eq!(written(&Object::Name(b"A B#".to_vec())), "/A#20B#23");
        assert_eq!(
            written(&Object::String(b"a(b)\\".to_vec(), StringFormat::Literal)),
            "(a\\(b\\)\\\\)"
        );
        let mut dict = Dictionary::new();
        dict.set("Type", Object::Name(b"Page".to_vec()));
        dict.set("Count", 2);
        dict.set("Kids", Object::Array(vec![Object::Reference((3, 0))]));
        assert_eq!(
            written(&Object::Dictionary(dict)),
            "<</Type/Page/Count 2/Kids[3 0 R]>>"
        );
    }

    /// A small document: a catalog, pages and one stream.
    fn document() -> Document {
        let mut doc = Document::with_version("1.7");
        let content = doc.add_object(Stream::new(Dictionary::new(), b"0 0 m".to_vec()));
        let mut page = Dictionary::new();
        page.set("Type", Object::Name(b"Page".to_vec()));
        page.set("Contents", Object::Reference(content));
        let page = doc.add_object(page);
        let mut catalog = Dictionary::new();
        catalog.set("Type", Object::Name(b"Catalog".to_vec()));
        catalog.set("Page", Object::Reference(page));
        let catalog = doc.add_object(catalog);
        doc.trailer.set("Root", Object::Reference(catalog));
        doc
    }

    #[test]
    fn objects_of_a_later_generation_or_past_max_id_are_kept() {
        for packed in [false, true] {
            let mut doc = document();
            doc.objects.insert((40, 0), Object::Integer(7));
            doc.objects.insert((41, 2), Object::Integer(9));
            let back = Document::load_mem(&write(&doc, packed)).unwrap();
            assert_eq!(back.get_object((40, 0)).unwrap(), &Object::Integer(7));
            assert_eq!(back.get_object((41, 2)).unwrap(), &Object::Integer(9));
        }
    }

    #[test]
    fn both_layouts_read_back_with_every_object() {
        for packed in [false, true] {
            let bytes = write(&document(), packed);
            let back = Document::load_mem(&bytes).unwrap();
            let catalog = back.catalog().unwrap();
            let page = catalog.get(b"Page").unwrap().as_reference().unwrap();
            let page = back.get_dictionary(page).unwrap();
            let content = page.get(b"Contents").unwrap().as_reference().unwrap();
            let stream = back.get_object(content).unwrap().as_stream().unwrap();
            assert_eq!(stream.content, b"0 0 m", "packed: {packed}");
            let text = String::from_utf8_lossy(&bytes);
            assert_eq!(text.contains("/ObjStm"), packed);
            assert_eq!(text.contains("\nxref\n"), !packed);
        }
    }
}
