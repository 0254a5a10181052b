//! Output profiles (render stage): one layout, three kinds of bytes. The
//! screen file is small RGB with working links, the print file is CMYK with
//! bleed, trim and bleed boxes and a PDF/X-4 output intent, the archive file
//! is PDF/A. Only colour, boxes, images and conformance differ; the pages
//! the layout hands over are the same.

use crate::model::ProfileName;
use crate::template::Pt;

/// What the PDF is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Profile {
    /// Attached to e-mails: RGB, small, links work.
    #[default]
    Screen,
    /// For the press: CMYK, 3 mm bleed, PDF/X-4.
    Print {
        /// Crop marks outside the bleed (the page grows by a slug for them).
        crop_marks: bool,
    },
    /// For the archive: PDF/A.
    Archive {
        /// The PDF/A part and level.
        pdfa: PdfA,
    },
}

/// A PDF/A conformance level.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum PdfA {
    /// PDF/A-1b (ISO 19005-1): PDF 1.4, no transparency, CIDSet in subsets.
    A1b,
    /// PDF/A-2b (ISO 19005-2): PDF 1.7, transparency allowed.
    #[default]
    A2b,
}

/// The bleed: backgrounds that touch the trim run this far past it.
pub const BLEED: Pt = 3.0 * 72.0 / 25.4;

/// The slug around the bleed that holds the crop marks.
pub const SLUG: Pt = 7.0 * 72.0 / 25.4;

impl Profile {
    /// The profile's name on the command line and in file names.
    pub fn name(self) -> &'static str {
        match self {
            Profile::Screen => "screen",
            Profile::Print { .. } => "print",
            Profile::Archive { .. } => "archive",
        }
    }

    /// What the file name adds before `.pdf`: nothing for screen, so the
    /// three files of one edition can sit in one folder.
    pub fn file_suffix(self) -> &'static str {
        match self {
            Profile::Screen => "",
            Profile::Print { .. } => "-print",
            Profile::Archive { .. } => "-archive",
        }
    }

    /// Whether colours are written from the template's CMYK values.
    pub fn cmyk(self) -> bool {
        matches!(self, Profile::Print { .. })
    }

    /// How far backgrounds that touch the page edge extend past it.
    pub fn bleed(self) -> Pt {
        if self.cmyk() { BLEED } else { 0.0 }
    }

    /// The margin between the bleed and the media edge (crop marks only).
    pub fn slug(self) -> Pt {
        match self {
            Profile::Print { crop_marks: true } => SLUG,
            _ => 0.0,
        }
    }

    /// Whether link annotations are written (PDF/X forbids them in the
    /// print area; paper cannot be clicked anyway).
    pub fn links(self) -> bool {
        !self.cmyk()
    }

    /// The PDF/A level, for the archive profile.
    pub fn pdfa(self) -> Option<PdfA> {
        match self {
            Profile::Archive { pdfa } => Some(pdfa),
            _ => None,
        }
    }

    /// Images wider than this many pixels per inch at their printed size
    /// are downsampled to it (photos only; logos stay lossless).
    pub fn max_ppi(self) -> Option<f64> {
        match self {
            Profile::Screen => Some(150.0),
            Profile::Print { .. } => Some(300.0),
            Profile::Archive { .. } => None,
        }
    }

    /// The JPEG quality of a downsampled photo.
    pub fn jpeg_quality(self) -> u8 {
        match self {
            Profile::Print { .. } => 90,
            _ => 80,
        }
    }

    /// The PDF header version the profile's standard asks for.
    pub fn version(self) -> &'static str {
        match self {
            // Object streams (smaller files) need 1.5.
            Profile::Screen => "1.5",
            // PDF/X-4 is based on PDF 1.6.
            Profile::Print { .. } => "1.6",
            Profile::Archive { pdfa: PdfA::A1b } => "1.4",
            Profile::Archive { pdfa: PdfA::A2b } => "1.7",
        }
    }

    /// Whether objects may go into compressed object streams (PDF/A-1 is
    /// based on PDF 1.4, which has none).
    pub fn object_streams(self) -> bool {
        self.pdfa() != Some(PdfA::A1b)
    }
}

impl From<ProfileName> for Profile {
    fn from(name: ProfileName) -> Self {
        match name {
            ProfileName::Screen => Profile::Screen,
            ProfileName::Print => Profile::Print { crop_marks: false },
            ProfileName::Archive => Profile::Archive {
                pdfa: PdfA::default(),
            },
        }
    }
}

/// The media size of an A4 (or any) trim size in a profile.
pub fn media_size(profile: Profile, width: Pt, height: Pt) -> (Pt, Pt) {
    let margin = profile.bleed() + profile.slug();
    (width + 2.0 * margin, height + 2.0 * margin)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::template::mm;

    #[test]
    fn bleed_is_three_millimetres() {
        assert!((BLEED - mm(3.0)).abs() < 1e-9);
        assert!((SLUG - mm(7.0)).abs() < 1e-9);
    }

    #[test]
    fn only_print_grows_the_page() {
        let a4 = (mm(210.0), mm(297.0));
        assert_eq!(media_size(Profile::Screen, a4.0, a4.1), a4);
        let archive = Profile::Archive { pdfa: PdfA::A1b };
        assert_eq!(media_size(archive, a4.0, a4.1), a4);
        let (w, _) = media_size(Profile::Print { crop_marks: false }, a4.0, a4.1);
        assert!((w - mm(216.0)).abs() < 1e-9);
        let (w, _) = media_size(Profile::Print { crop_marks: true }, a4.0, a4.1);
        assert!((w - mm(230.0)).abs() < 1e-9);
    }
}
