//! What a picture says besides its pixels: a phone photo's EXIF holds where
//! it was taken (often a home). Removed as a picture is stored, without
//! decoding a pixel: the file's own structure is walked (JPEG segments, PNG
//! chunks, WebP chunks) and the metadata parts are left out. A JPEG keeps
//! its orientation (a small EXIF of that one tag), so photos stay upright.
//! A file whose structure cannot be walked to its end is refused. GIFs are
//! kept as they are (they carry no camera metadata).

/// The picture without its metadata; `None` when its structure is broken.
pub fn strip(content_type: &str, bytes: &[u8]) -> Option<Vec<u8>> {
    match content_type {
        "image/jpeg" => strip_jpeg(bytes),
        "image/png" => strip_png(bytes),
        "image/webp" => strip_webp(bytes),
        _ => Some(bytes.to_vec()),
    }
}

/// Byte orders, for [`u16_at`] and [`u32_at`]: JPEG and PNG are
/// big-endian, WebP little-endian, EXIF says which it is.
const BIG: bool = true;
const LITTLE: bool = false;

fn u16_at(bytes: &[u8], at: usize, big: bool) -> Option<u16> {
    let b: [u8; 2] = bytes.get(at..at.checked_add(2)?)?.try_into().ok()?;
    Some(if big { u16::from_be_bytes(b) } else { u16::from_le_bytes(b) })
}

/// A 32-bit length or offset, as an index.
fn u32_at(bytes: &[u8], at: usize, big: bool) -> Option<usize> {
    let b: [u8; 4] = bytes.get(at..at.checked_add(4)?)?.try_into().ok()?;
    usize::try_from(if big { u32::from_be_bytes(b) } else { u32::from_le_bytes(b) }).ok()
}

const SOI: u8 = 0xd8;
const EOI: u8 = 0xd9;
const SOS: u8 = 0xda;
const APP0: u8 = 0xe0;
const APP1: u8 = 0xe1;
const APP2: u8 = 0xe2;
const APP14: u8 = 0xee;
const COM: u8 = 0xfe;

/// Keeps JFIF (APP0), ICC colour profiles (APP2) and Adobe's colour
/// transform (APP14); leaves out EXIF and XMP (APP1), the other APPn
/// (IPTC, maker data, multi-picture indexes), comments, and anything after
/// the end of the image (phones append previews, which have EXIF of their
/// own).
fn strip_jpeg(bytes: &[u8]) -> Option<Vec<u8>> {
    if bytes.get(..2)? != [0xff, SOI] {
        return None;
    }
    let mut out = vec![0xff, SOI];
    let mut at = 2;
    loop {
        let marker = *bytes.get(at + 1)?;
        if bytes[at] != 0xff {
            return None;
        }
        if marker == 0xff {
            at += 1; // fill byte
            continue;
        }
        if marker == EOI {
            out.extend_from_slice(&[0xff, EOI]);
            return Some(out);
        }
        if (0xd0..=0xd7).contains(&marker) || marker == 0x01 {
            out.extend_from_slice(&bytes[at..at + 2]);
            at += 2;
            continue;
        }
        let length = usize::from(u16_at(bytes, at + 2, BIG)?);
        let end = at + 2 + length;
        let segment = bytes.get(at..end).filter(|_| length >= 2)?;
        let payload = &segment[4..];
        match marker {
            APP1 if payload.starts_with(b"Exif\0\0") => {
                if let Some(orientation) = exif_orientation(&payload[6..]).filter(|&o| o != 1) {
                    out.extend_from_slice(&orientation_only_exif(orientation));
                }
            }
            APP2 if payload.starts_with(b"ICC_PROFILE\0") => out.extend_from_slice(segment),
            APP0 | APP14 => out.extend_from_slice(segment),
            APP1..=0xef | COM => {}
            _ => out.extend_from_slice(segment),
        }
        at = end;
        if marker == SOS {
            at = copy_scan(bytes, at, &mut out)?;
        }
    }
}

/// Copies entropy-coded data (from `at`) up to the next marker, which it
/// returns the position of: `FF 00` is a stuffed byte, `FF D0`..`FF D7`
/// restart markers, both part of the scan.
fn copy_scan(bytes: &[u8], at: usize, out: &mut Vec<u8>) -> Option<usize> {
    let mut end = at;
    loop {
        let next = *bytes.get(end + 1)?;
        if bytes[end] == 0xff && next != 0 && !(0xd0..=0xd7).contains(&next) {
            out.extend_from_slice(&bytes[at..end]);
            return Some(end);
        }
        end += 1;
    }
}

/// The orientation tag (0x0112) of an EXIF block's first IFD, 1 to 8.
fn exif_orientation(tiff: &[u8]) -> Option<u16> {
    let big = match tiff.get(..4)? {
        b"MM\0*" => true,
        b"II*\0" => false,
        _ => return None,
    };
    let ifd = u32_at(tiff, 4, big)?;
    let entries = usize::from(u16_at(tiff, ifd, big)?);
    (0..entries).find_map(|n| {
        let entry = ifd.checked_add(2 + 12 * n)?;
        let is_orientation = u16_at(tiff, entry, big)? == 0x0112 && u16_at(tiff, entry + 2, big)? == 3;
        is_orientation.then(|| u16_at(tiff, entry + 8, big)).flatten().filter(|o| (1..=8).contains(o))
    })
}

/// An APP1 segment with an EXIF block of the orientation alone.
fn orientation_only_exif(orientation: u16) -> Vec<u8> {
    let mut segment = vec![0xff, APP1, 0, 34];
    segment.extend_from_slice(b"Exif\0\0MM\0*\0\0\0\x08\0\x01");
    segment.extend_from_slice(&[0x01, 0x12, 0, 3, 0, 0, 0, 1]);
    segment.extend_from_slice(&orientation.to_be_bytes());
    segment.extend_from_slice(&[0, 0, 0, 0, 0, 0]);
    segment
}

const PNG_SIGNATURE: &[u8] = b"\x89PNG\r\n\x1a\n";

/// Leaves out EXIF (`eXIf`) and text chunks (`tEXt`, `zTXt`, `iTXt`: XMP
/// and free-form notes) and anything after `IEND`.
fn strip_png(bytes: &[u8]) -> Option<Vec<u8>> {
    let mut out = bytes.get(..8).filter(|s| *s == PNG_SIGNATURE)?.to_vec();
    let mut at = 8;
    loop {
        let length = u32_at(bytes, at, BIG)?;
        let end = at.checked_add(12)?.checked_add(length)?;
        let chunk = bytes.get(at..end)?;
        let kind = &chunk[4..8];
        if !matches!(kind, b"eXIf" | b"tEXt" | b"zTXt" | b"iTXt") {
            out.extend_from_slice(chunk);
        }
        if kind == b"IEND" {
            return Some(out);
        }
        at = end;
    }
}

/// Leaves out the `EXIF` and `XMP ` chunks (and says so in `VP8X`'s flags),
/// keeping the others; the RIFF size is written again.
fn strip_webp(bytes: &[u8]) -> Option<Vec<u8>> {
    if bytes.get(..4)? != b"RIFF" || bytes.get(8..12)? != b"WEBP" {
        return None;
    }
    let declared = u32_at(bytes, 4, LITTLE)?;
    let body = bytes.get(12..declared.checked_add(8)?)?;
    let mut chunks = Vec::new();
    let mut at = 0;
    while at < body.len() {
        let size = u32_at(body, at + 4, LITTLE)?;
        let end = at.checked_add(8)?.checked_add(size)?.checked_add(size % 2)?;
        let chunk = body.get(at..end.min(body.len())).filter(|c| c.len() >= 8 + size)?;
        match &chunk[..4] {
            b"EXIF" | b"XMP " => {}
            b"VP8X" if size >= 1 => {
                let mut vp8x = chunk.to_vec();
                vp8x[8] &= !(0x08 | 0x04); // the EXIF and XMP flags
                chunks.extend_from_slice(&vp8x);
            }
            _ => chunks.extend_from_slice(chunk),
        }
        at = end;
    }
    let mut out = b"RIFF".to_vec();
    out.extend_from_slice(&u32::try_from(chunks.len() + 4).ok()?.to_le_bytes());
    out.extend_from_slice(b"WEBP");
    out.extend_from_slice(&chunks);
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn segment(marker: u8, payload: &[u8]) -> Vec<u8> {
        let mut s = vec![0xff, marker];
        s.extend_from_slice(&u16::try_from(payload.len() + 2).unwrap().to_be_bytes());
        s.extend_from_slice(payload);
        s
    }

    /// Little-endian EXIF: the orientation (6: turned right), then a "GPS" tag.
    fn exif(orientation: u8) -> Vec<u8> {
        let mut e = b"Exif\0\0II*\0\x08\0\0\0\x02\0".to_vec();
        e.extend_from_slice(&[0x12, 0x01, 3, 0, 1, 0, 0, 0, orientation, 0, 0, 0]);
        e.extend_from_slice(&[0x25, 0x88, 4, 0, 1, 0, 0, 0, 0x26, 0, 0, 0]);
        e.extend_from_slice(b"\0\0\0\0GPS 43.2965N 5.3698E");
        e
    }

    const SCAN: &[u8] = b"\x12\xff\x00\x34\xff\xd0\x56";

    fn photo() -> Vec<u8> {
        let mut jpeg = vec![0xff, SOI];
        jpeg.extend(segment(APP0, b"JFIF\0\x01\x01\0\0\x01\0\x01\0\0"));
        jpeg.extend(segment(APP1, &exif(6)));
        jpeg.extend(segment(APP1, b"http://ns.adobe.com/xap/1.0/\0<x:xmpmeta>GPS</x:xmpmeta>"));
        jpeg.extend(segment(COM, b"taken at home"));
        jpeg.extend(segment(APP2, b"ICC_PROFILE\0\x01\x01profile"));
        jpeg.extend(segment(0xdb, b"\0\x01"));
        jpeg.extend(segment(SOS, b"\x01\x01"));
        jpeg.extend_from_slice(SCAN);
        jpeg.extend_from_slice(&[0xff, EOI]);
        jpeg.extend_from_slice(b"\xff\xd8 a preview with its own Exif GPS");
        jpeg
    }

    #[test]
    fn a_photo_keeps_its_pixels_colours_and_orientation_and_loses_the_rest() {
        let mut expected = vec![0xff, SOI];
        expected.extend(segment(APP0, b"JFIF\0\x01\x01\0\0\x01\0\x01\0\0"));
        expected.extend(orientation_only_exif(6));
        expected.extend(segment(APP2, b"ICC_PROFILE\0\x01\x01profile"));
        expected.extend(segment(0xdb, b"\0\x01"));
        expected.extend(segment(SOS, b"\x01\x01"));
        expected.extend_from_slice(SCAN);
        expected.extend_from_slice(&[0xff, EOI]);
        assert_eq!(strip("image/jpeg", &photo()), Some(expected.clone()));
        assert_eq!(exif_orientation(&orientation_only_exif(6)[10..]), Some(6), "the new EXIF reads back");
        assert_eq!(strip("image/jpeg", &expected), Some(expected), "stripping twice changes nothing");
        let upright = [vec![0xff, SOI], segment(APP1, &exif(1)), vec![0xff, EOI]].concat();
        assert_eq!(strip("image/jpeg", &upright), Some(vec![0xff, SOI, 0xff, EOI]), "orientation 1 needs no EXIF");
    }

    fn png_chunk(kind: &[u8; 4], data: &[u8]) -> Vec<u8> {
        let mut c = u32::try_from(data.len()).unwrap().to_be_bytes().to_vec();
        c.extend_from_slice(kind);
        c.extend_from_slice(data);
        c.extend_from_slice(&[1, 2, 3, 4]); // the CRC is carried, not checked
        c
    }

    #[test]
    fn a_png_loses_exif_and_text_chunks() {
        let [ihdr, idat, iend] = [png_chunk(b"IHDR", &[0; 13]), png_chunk(b"IDAT", b"pixels"), png_chunk(b"IEND", b"")];
        let meta = [png_chunk(b"eXIf", b"GPS"), png_chunk(b"tEXt", b"Comment\0home"), png_chunk(b"iTXt", b"XMP")];
        let png = [PNG_SIGNATURE.to_vec(), ihdr.clone(), meta.concat(), idat.clone(), iend.clone(), b"junk".to_vec()];
        let clean = [PNG_SIGNATURE.to_vec(), ihdr.clone(), idat, iend].concat();
        assert_eq!(strip("image/png", &png.concat()), Some(clean));
        assert_eq!(strip("image/png", &[PNG_SIGNATURE.to_vec(), ihdr].concat()), None, "no IEND: truncated");
    }

    fn riff_chunk(kind: &[u8; 4], data: &[u8]) -> Vec<u8> {
        let mut c = kind.to_vec();
        c.extend_from_slice(&u32::try_from(data.len()).unwrap().to_le_bytes());
        c.extend_from_slice(data);
        if data.len() % 2 == 1 {
            c.push(0);
        }
        c
    }

    fn webp(chunks: &[Vec<u8>]) -> Vec<u8> {
        let body = chunks.concat();
        [b"RIFF".to_vec(), u32::try_from(body.len() + 4).unwrap().to_le_bytes().to_vec(), b"WEBP".to_vec(), body]
            .concat()
    }

    #[test]
    fn a_webp_loses_exif_and_xmp_and_says_so() {
        let vp8x = |flags: u8| riff_chunk(b"VP8X", &[flags, 0, 0, 0, 0, 0, 0, 0, 0, 0]);
        let image = riff_chunk(b"VP8 ", b"pixels!");
        let with = webp(&[vp8x(0x2c), image.clone(), riff_chunk(b"EXIF", b"GPS"), riff_chunk(b"XMP ", b"<x/>")]);
        assert_eq!(strip("image/webp", &with), Some(webp(&[vp8x(0x20), image])), "ICC flag kept");
        assert_eq!(strip("image/webp", b"RIFF\xff\xff\xff\xffWEBP"), None, "a size beyond the file");
    }

    #[test]
    fn broken_structures_are_refused() {
        assert_eq!(strip("image/jpeg", b"\xff\xd8\xff\xe0\0\x10JFIF"), None, "a segment cut short");
        assert_eq!(strip("image/jpeg", &photo()[..photo().len() - 40]), None, "no end of image");
        assert_eq!(strip("image/jpeg", b"\xff\xd8\x00\xff\xd9"), None, "not a marker");
        assert_eq!(strip("image/gif", b"GIF89a anything"), Some(b"GIF89a anything".to_vec()));
    }

    proptest! {
        #[test]
        fn mangled_pictures_never_panic_and_what_is_kept_is_stable(
            cut in 0usize..200,
            flips in proptest::collection::vec((0usize..200, any::<u8>()), 0..4),
            kind in 0usize..3,
        ) {
            let vp8x = riff_chunk(b"VP8X", &[0x2c, 0, 0, 0, 0, 0, 0, 0, 0, 0]);
            let png_meta = png_chunk(b"eXIf", b"GPS");
            let (content_type, mut bytes) = match kind {
                0 => ("image/jpeg", photo()),
                1 => ("image/png", [PNG_SIGNATURE.to_vec(), png_meta, png_chunk(b"IEND", b"")].concat()),
                _ => ("image/webp", webp(&[vp8x, riff_chunk(b"EXIF", b"GPS")])),
            };
            for (at, value) in flips {
                let len = bytes.len();
                bytes[at % len] = value;
            }
            bytes.truncate(bytes.len().saturating_sub(cut % 8 * (cut / 8 % 2)));
            if let Some(kept) = strip(content_type, &bytes) {
                prop_assert_eq!(strip(content_type, &kept), Some(kept.clone()));
            }
        }

        #[test]
        fn noise_never_panics(bytes in proptest::collection::vec(any::<u8>(), 0..300)) {
            for content_type in ["image/jpeg", "image/png", "image/webp"] {
                let _ = strip(content_type, &bytes);
                let _ = strip(content_type, &[&b"\xff\xd8"[..], &bytes].concat());
            }
        }
    }
}
