//! Users' pictures: checked as FitTrackee checks them (the extension, the
//! size, and that the bytes start as such an image does), stripped of their
//! metadata (a photo's location, `metadata`), stored in the database. The
//! pixels are never decoded.

mod metadata;

use std::fmt;

use crate::store::{self, Db, users};

/// FitTrackee's picture formats (1.3 added WebP): extension and content type.
const FORMATS: [(&str, &str); 5] =
    [("gif", "image/gif"), ("jpeg", "image/jpeg"), ("jpg", "image/jpeg"), ("png", "image/png"), ("webp", "image/webp")];

#[derive(Debug)]
pub enum PictureError {
    NoSelectedFile,
    ExtensionNotAllowed,
    TooLarge {
        size: u64,
        limit: u64,
    },
    /// The bytes are not the image the extension names.
    Invalid,
    Store(store::Error),
}

impl fmt::Display for PictureError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            PictureError::NoSelectedFile => f.write_str("no selected file"),
            PictureError::ExtensionNotAllowed => f.write_str("file extension not allowed"),
            PictureError::TooLarge { size, limit } => write!(
                f,
                "Error during picture upload, file size ({}) exceeds {}.",
                crate::numbers::readable_size(*size),
                crate::numbers::readable_size(*limit)
            ),
            PictureError::Invalid => f.write_str("invalid file"),
            PictureError::Store(e) => e.fmt(f),
        }
    }
}

impl From<store::Error> for PictureError {
    fn from(e: store::Error) -> Self {
        PictureError::Store(e)
    }
}

/// The content type of a picture file, once its name, size and first bytes
/// agree.
pub fn check(file_name: &str, content: &[u8], max_size: u64) -> Result<&'static str, PictureError> {
    if file_name.trim().is_empty() {
        return Err(PictureError::NoSelectedFile);
    }
    let extension = crate::files::extension(file_name).unwrap_or_default();
    let (_, content_type) =
        FORMATS.iter().find(|(ext, _)| *ext == extension).ok_or(PictureError::ExtensionNotAllowed)?;
    if content.len() as u64 > max_size {
        return Err(PictureError::TooLarge { size: content.len() as u64, limit: max_size });
    }
    let starts_right = match *content_type {
        "image/gif" => content.starts_with(b"GIF87a") || content.starts_with(b"GIF89a"),
        "image/png" => content.starts_with(b"\x89PNG\r\n\x1a\n"),
        "image/webp" => content.starts_with(b"RIFF") && content.get(8..12) == Some(b"WEBP"),
        _ => content.starts_with(b"\xff\xd8\xff"),
    };
    if !starts_right {
        return Err(PictureError::Invalid);
    }
    Ok(content_type)
}

pub fn replace(
    db: &mut Db<'_>,
    user_id: i64,
    file_name: &str,
    content: &[u8],
    max_size: u64,
    now: i64,
) -> Result<(), PictureError> {
    let content_type = check(file_name, content, max_size)?;
    let stripped = metadata::strip(content_type, content).ok_or(PictureError::Invalid)?;
    db.write(|tx| users::set_picture(tx, user_id, content_type, &stripped, now))?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pictures_are_checked_by_name_size_and_first_bytes() {
        assert_eq!(check("me.PNG", b"\x89PNG\r\n\x1a\n....", 100).unwrap(), "image/png");
        assert_eq!(check("me.jpg", b"\xff\xd8\xff\xe0", 100).unwrap(), "image/jpeg");
        assert_eq!(check("me.gif", b"GIF89a..", 100).unwrap(), "image/gif");
        assert_eq!(check("me.webp", b"RIFF\x10\0\0\0WEBPVP8 ", 100).unwrap(), "image/webp");
        assert!(matches!(check("me.webp", b"RIFF\x10\0\0\0WAVEfmt ", 100), Err(PictureError::Invalid)));
        assert!(matches!(check("me.jpg", b"\x89PNG\r\n\x1a\n", 100), Err(PictureError::Invalid)));
        assert!(matches!(check("me.svg", b"<svg/>", 100), Err(PictureError::ExtensionNotAllowed)));
        assert!(matches!(check("me.png", b"<script>", 100), Err(PictureError::Invalid)));
        assert!(matches!(check("me.png", &[0x89; 200], 100), Err(PictureError::TooLarge { .. })));
        assert!(matches!(check("", b"", 100), Err(PictureError::NoSelectedFile)));
    }
}
