//! The XMP metadata packet (render stage, post-pass) for the archive
//! (PDF/A) and print (PDF/X-4) profiles. Every value is an exact copy of
//! the Info dictionary entry it mirrors, because PDF/A validators compare
//! the two (PDFBox Preflight rule 7.2).

use std::fmt::Write as _;

use crate::model::Date;

/// What the file claims to conform to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Claim {
    /// PDF/A, part 1 or 2, level B.
    PdfA(u8),
    /// PDF/X-4.
    PdfX4,
}

/// The document information both the Info dictionary and XMP carry.
#[derive(Debug, Clone)]
pub struct DocInfo {
    /// Title.
    pub title: String,
    /// Author.
    pub author: String,
    /// Subject.
    pub subject: String,
    /// Keywords, joined as one string.
    pub keywords: String,
    /// Creator (the application that made the content).
    pub creator: String,
    /// Producer (the PDF writer).
    pub producer: String,
    /// Creation and modification date.
    pub date: Date,
}

impl DocInfo {
    /// The date as a PDF date string (`D:20231231000000Z`).
    pub fn pdf_date(&self) -> String {
        let Date { year, month, day } = self.date;
        format!("D:{year:04}{month:02}{day:02}000000Z")
    }

    /// The same date in XMP (ISO 8601) form.
    pub fn xmp_date(&self) -> String {
        let Date { year, month, day } = self.date;
        format!("{year:04}-{month:02}-{day:02}T00:00:00Z")
    }
}

/// The packet: Dublin Core, XMP basic, PDF, media management and the
/// conformance claim. `id` becomes the document and instance UUID.
pub fn packet(info: &DocInfo, claim: Claim, id: &[u8; 16]) -> String {
    let date = info.xmp_date();
    let uuid = uuid(id);
    let mut x = String::new();
    x.push_str("<?xpacket begin=\"\u{feff}\" id=\"W5M0MpCehiHzreSzNTczkc9d\"?>\n");
    x.push_str("<x:xmpmeta xmlns:x=\"adobe:ns:meta/\">\n");
    x.push_str("<rdf:RDF xmlns:rdf=\"http://www.w3.org/1999/02/22-rdf-syntax-ns#\">\n");
    let _ = writeln!(
        x,
        "<rdf:Description rdf:about=\"\" xmlns:dc=\"http://purl.org/dc/elements/1.1/\">\
         <dc:format>application/pdf</dc:format>\
         <dc:title><rdf:Alt><rdf:li xml:lang=\"x-default\">{}</rdf:li></rdf:Alt></dc:title>\
         <dc:creator><rdf:Seq><rdf:li>{}</rdf:li></rdf:Seq></dc:creator>\
         <dc:description><rdf:Alt><rdf:li xml:lang=\"x-default\">{}</rdf:li></rdf:Alt></dc:description>\
         </rdf:Description>",
        escape(&info.title),
        escape(&info.author),
        escape(&info.subject)
    );
    let _ = writeln!(
        x,
        "<rdf:Description rdf:about=\"\" xmlns:xmp=\"http://ns.adobe.com/xap/1.0/\">\
         <xmp:CreatorTool>{}</xmp:CreatorTool><xmp:CreateDate>{date}</xmp:CreateDate>\
         <xmp:ModifyDate>{date}</xmp:ModifyDate><xmp:MetadataDate>{date}</xmp:MetadataDate>\
         </rdf:Description>",
        escape(&info.creator)
    );
    let trapped = if claim == Claim::PdfX4 {
        "<pdf:Trapped>False</pdf:Trapped>"
    } else {
        ""
    };
    let _ = writeln!(
        x,
        "<rdf:Description rdf:about=\"\" xmlns:pdf=\"http://ns.adobe.com/pdf/1.3/\">\
         <pdf:Producer>{}</pdf:Producer><pdf:Keywords>{}</pdf:Keywords>{trapped}\
         </rdf:Description>",
        escape(&info.producer),
        escape(&info.keywords)
    );
    let _ = writeln!(
        x,
        "<rdf:Description rdf:about=\"\" xmlns:xmpMM=\"http://ns.adobe.com/xap/1.0/mm/\">\
         <xmpMM:DocumentID>uuid:{uuid}</xmpMM:DocumentID><xmpMM:InstanceID>uuid:{uuid}</xmpMM:InstanceID>\
         <xmpMM:VersionID>1</xmpMM:VersionID><xmpMM:RenditionClass>default</xmpMM:RenditionClass>\
         </rdf:Description>"
    );
    let _ = match claim {
        Claim::PdfA(part) => writeln!(
            x,
            "<rdf:Description rdf:about=\"\" xmlns:pdfaid=\"http://www.aiim.org/pdfa/ns/id/\">\
             <pdfaid:part>{part}</pdfaid:part><pdfaid:conformance>B</pdfaid:conformance>\
             </rdf:Description>"
        ),
        Claim::PdfX4 => writeln!(
            x,
            "<rdf:Description rdf:about=\"\" xmlns:pdfxid=\"http://www.npes.org/pdfx/ns/id/\">\
             <pdfxid:GTS_PDFXVersion>PDF/X-4</pdfxid:GTS_PDFXVersion>\
             </rdf:Description>"
        ),
    };
    x.push_str("</rdf:RDF>\n</x:xmpmeta>\n<?xpacket end=\"w\"?>");
    x
}

/// A UUID (RFC 9562 version 8: vendor-specific) from the 16-byte document ID.
fn uuid(id: &[u8; 16]) -> String {
    let mut b = *id;
    b[6] = (b[6] & 0x0F) | 0x80;
    b[8] = (b[8] & 0x3F) | 0x80;
    let hex: String = b.iter().map(|v| format!("{v:02x}")).collect();
    format!(
        "{}-{}-{}-{}-{}",
        &hex[..8],
        &hex[8..12],
        &hex[12..16],
        &hex[16..20],
        &hex[20..]
    )
}

fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            _ => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn info() -> DocInfo {
        DocInfo {
            title: "Kosovo — 2024 Factsheet".into(),
            author: "Norwegian People’s Aid".into(),
            subject: "A & B <C>".into(),
            keywords: "Kosovo, 2024".into(),
            creator: "factsheet".into(),
            producer: "factsheet 0.1.0".into(),
            date: Date {
                year: 2023,
                month: 12,
                day: 31,
            },
        }
    }

    #[test]
    fn packet_mirrors_the_info_values_and_claims_the_level() {
        let x = packet(&info(), Claim::PdfA(1), &[0xAB; 16]);
        assert!(x.contains("<rdf:li xml:lang=\"x-default\">Kosovo — 2024 Factsheet</rdf:li>"));
        assert!(x.contains("<rdf:li>Norwegian People’s Aid</rdf:li>"));
        assert!(x.contains("A &amp; B &lt;C&gt;"));
        assert!(x.contains("<pdf:Keywords>Kosovo, 2024</pdf:Keywords>"));
        assert!(x.contains("<xmp:CreateDate>2023-12-31T00:00:00Z</xmp:CreateDate>"));
        assert!(
            x.contains("<pdfaid:part>1</pdfaid:part><pdfaid:conformance>B</pdfaid:conformance>")
        );
        assert!(!x.contains("Trapped"));
        assert_eq!(info().pdf_date(), "D:20231231000000Z");
    }

    #[test]
    fn print_packet_claims_x4_and_untrapped() {
        let x = packet(&info(), Claim::PdfX4, &[0; 16]);
        assert!(x.contains("<pdfxid:GTS_PDFXVersion>PDF/X-4</pdfxid:GTS_PDFXVersion>"));
        assert!(x.contains("<pdf:Trapped>False</pdf:Trapped>"));
        assert!(x.contains("uuid:00000000-0000-8000-8000-000000000000"));
        assert!(!x.contains("pdfaid"));
    }
}
