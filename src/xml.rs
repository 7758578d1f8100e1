//! A small XML tree for workout files (GPX, TCX, KML), read in time and
//! memory linear in the file's size whatever the file holds.
//!
//! Files come from anyone who may upload, so the reader is bounded: no DTD
//! (hence no entity expansion), at most [`Limits`] elements, attributes per
//! element and in all, and nesting depth. A file over a limit is refused at
//! once, before its cost grows. Element and attribute names are kept without
//! their namespace prefix (GPX 1.0 and 1.1, TCX and KML extensions all use
//! their own), interned, so that a file of many points costs a few bytes
//! per element. Text is borrowed from the input where it can be.
//!
//! Input in UTF-8 (with or without a byte-order mark), UTF-16 with a mark,
//! or any encoding its declaration names is accepted; undeclared bytes that
//! are not UTF-8 are read as Windows-1252, as browsers read them.

use std::borrow::Cow;
use std::collections::HashMap;
use std::fmt;
use std::hash::{BuildHasherDefault, Hasher};

use quick_xml::XmlVersion;
use quick_xml::events::{BytesStart, Event};

#[derive(Debug, Clone, Copy)]
pub struct Limits {
    pub max_depth: usize,
    pub max_elements: usize,
    pub max_attributes_per_element: usize,
    pub max_attributes: usize,
}

/// Far above what any device writes: 64 levels (GPX uses 6, KML about 10),
/// 2 million elements (a 100,000-point track with extensions is under
/// 1 million), 32 attributes on one element (namespace declarations
/// included), 4 million attributes in all.
pub const WORKOUT_FILE: Limits =
    Limits { max_depth: 64, max_elements: 2_000_000, max_attributes_per_element: 32, max_attributes: 4_000_000 };

#[derive(Debug, Clone, PartialEq)]
pub enum XmlError {
    /// Not well-formed, or not in a readable encoding.
    Malformed,
    /// A DTD: refused, entities are never expanded.
    Doctype,
    /// Over one of the [`Limits`]; names which.
    TooLarge(&'static str),
}

impl fmt::Display for XmlError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            XmlError::Malformed => f.write_str("the file is not well-formed XML"),
            XmlError::Doctype => f.write_str("XML files with a document type definition are not accepted"),
            XmlError::TooLarge(what) => write!(f, "the file has too many {what}"),
        }
    }
}

const NONE: u32 = u32::MAX;

struct Element<'a> {
    name: u32,
    attributes: (u32, u32),
    first_child: u32,
    last_child: u32,
    next_sibling: u32,
    text: Cow<'a, str>,
}

pub struct Document<'a> {
    names: Vec<String>,
    elements: Vec<Element<'a>>,
    attributes: Vec<(u32, String)>,
}

/// Text in a usable encoding (see the module documentation).
pub fn decode(bytes: &[u8]) -> Result<Cow<'_, str>, XmlError> {
    if let Some((encoding, bom_length)) = encoding_rs::Encoding::for_bom(bytes) {
        let (text, had_errors) = encoding.decode_without_bom_handling(&bytes[bom_length..]);
        return if had_errors { Err(XmlError::Malformed) } else { Ok(text) };
    }
    match declared_encoding(bytes) {
        Some(encoding) if encoding != encoding_rs::UTF_8 => {
            let (text, _, had_errors) = encoding.decode(bytes);
            if had_errors { Err(XmlError::Malformed) } else { Ok(text) }
        }
        _ => match std::str::from_utf8(bytes) {
            Ok(text) => Ok(Cow::Borrowed(text)),
            Err(_) => Ok(encoding_rs::WINDOWS_1252.decode_without_bom_handling(bytes).0),
        },
    }
}

/// The `encoding` of an XML declaration at the start (after blanks).
fn declared_encoding(bytes: &[u8]) -> Option<&'static encoding_rs::Encoding> {
    let start = bytes.iter().position(|b| !b.is_ascii_whitespace())?;
    let head = &bytes[start..bytes.len().min(start + 200)];
    let end = head.windows(2).position(|w| w == b"?>")?;
    let declaration = std::str::from_utf8(&head[..end]).ok()?.strip_prefix("<?xml")?;
    let value = declaration.split("encoding").nth(1)?.trim_start().strip_prefix('=')?.trim_start();
    let quote = value.chars().next().filter(|q| *q == '"' || *q == '\'')?;
    let label = value[1..].split(quote).next()?;
    encoding_rs::Encoding::for_label(label.as_bytes())
}

/// Parses `text` into a tree, within `limits`.
pub fn parse<'a>(text: &'a str, limits: Limits) -> Result<Document<'a>, XmlError> {
    let text = text.trim_start_matches(|c: char| c == '\u{feff}' || c.is_whitespace());
    let mut builder = Builder::new(limits);
    let mut reader = quick_xml::Reader::from_str(text);
    loop {
        match reader.read_event().map_err(|_| XmlError::Malformed)? {
            Event::Start(start) => builder.open(&start)?,
            Event::Empty(start) => {
                builder.open(&start)?;
                builder.close();
            }
            Event::End(_) => builder.close(),
            Event::Text(t) => builder.text(t.xml10_content()),
            Event::CData(c) => builder.text(c.xml10_content()),
            Event::GeneralRef(reference) => {
                let resolved = match reference.resolve_char_ref().map_err(|_| XmlError::Malformed)? {
                    Some(c) => c.to_string(),
                    None => predefined_entity(&reference.xml10_content()).ok_or(XmlError::Malformed)?.to_string(),
                };
                builder.text(Cow::Owned(resolved));
            }
            Event::DocType(_) => return Err(XmlError::Doctype),
            Event::Eof => return builder.finish(),
            Event::Comment(_) | Event::Decl(_) | Event::PI(_) => {}
        }
    }
}

fn predefined_entity(name: &str) -> Option<char> {
    Some(match name {
        "amp" => '&',
        "lt" => '<',
        "gt" => '>',
        "quot" => '"',
        "apos" => '\'',
        _ => return None,
    })
}

fn local(name: &str) -> &str {
    name.rsplit_once(':').map_or(name, |(_, local)| local)
}

/// FNV-1a: names are a few bytes, and hashing one is most of the cost of an
/// element (SipHash, the default, is made to resist keys chosen against
/// it; here the number of distinct names is what the limits bound).
#[derive(Default)]
struct Fnv(u64);

impl Hasher for Fnv {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        let mut hash = if self.0 == 0 { 0xcbf2_9ce4_8422_2325 } else { self.0 };
        for byte in bytes {
            hash = (hash ^ u64::from(*byte)).wrapping_mul(0x100_0000_01b3);
        }
        self.0 = hash;
    }
}

struct Builder<'a> {
    limits: Limits,
    document: Document<'a>,
    interned: HashMap<String, u32, BuildHasherDefault<Fnv>>,
    open: Vec<u32>,
    closed_root: bool,
}

impl<'a> Builder<'a> {
    fn new(limits: Limits) -> Self {
        let document = Document { names: Vec::new(), elements: Vec::new(), attributes: Vec::new() };
        Builder { limits, document, interned: HashMap::default(), open: Vec::new(), closed_root: false }
    }

    fn intern(&mut self, name: &str) -> u32 {
        let name = local(name);
        if let Some(&id) = self.interned.get(name) {
            return id;
        }
        let id = self.document.names.len() as u32;
        self.document.names.push(name.to_string());
        self.interned.insert(name.to_string(), id);
        id
    }

    fn open(&mut self, start: &BytesStart<'_>) -> Result<(), XmlError> {
        if self.closed_root {
            return Err(XmlError::Malformed);
        }
        if self.open.len() >= self.limits.max_depth {
            return Err(XmlError::TooLarge("nested elements"));
        }
        if self.document.elements.len() >= self.limits.max_elements {
            return Err(XmlError::TooLarge("elements"));
        }
        let first_attribute = self.document.attributes.len() as u32;
        for (count, attribute) in start.attributes().enumerate() {
            if count >= self.limits.max_attributes_per_element {
                return Err(XmlError::TooLarge("attributes on one element"));
            }
            if self.document.attributes.len() >= self.limits.max_attributes {
                return Err(XmlError::TooLarge("attributes"));
            }
            let attribute = attribute.map_err(|_| XmlError::Malformed)?;
            let name = self.intern(attribute.key.as_ref());
            let value =
                attribute.normalized_value(XmlVersion::Implicit1_0).map_err(|_| XmlError::Malformed)?.into_owned();
            self.document.attributes.push((name, value));
        }
        let id = self.document.elements.len() as u32;
        let name = self.intern(start.name().as_ref());
        self.document.elements.push(Element {
            name,
            attributes: (first_attribute, self.document.attributes.len() as u32),
            first_child: NONE,
            last_child: NONE,
            next_sibling: NONE,
            text: Cow::Borrowed(""),
        });
        if let Some(&parent) = self.open.last() {
            let previous = std::mem::replace(&mut self.document.elements[parent as usize].last_child, id);
            match previous {
                NONE => self.document.elements[parent as usize].first_child = id,
                previous => self.document.elements[previous as usize].next_sibling = id,
            }
        }
        self.open.push(id);
        Ok(())
    }

    fn close(&mut self) {
        self.open.pop();
        self.closed_root |= self.open.is_empty();
    }

    /// Text inside an element; outside the root it is ignored.
    fn text(&mut self, text: Cow<'a, str>) {
        let Some(&id) = self.open.last() else { return };
        let current = &mut self.document.elements[id as usize].text;
        if current.is_empty() {
            *current = text;
        } else {
            current.to_mut().push_str(&text);
        }
    }

    fn finish(self) -> Result<Document<'a>, XmlError> {
        if !self.open.is_empty() || self.document.elements.is_empty() {
            return Err(XmlError::Malformed);
        }
        Ok(self.document)
    }
}

impl<'a> Document<'a> {
    pub fn root(&self) -> Node<'_, 'a> {
        Node { document: self, id: 0 }
    }
}

/// An element of a [`Document`].
#[derive(Clone, Copy)]
pub struct Node<'d, 'a> {
    document: &'d Document<'a>,
    id: u32,
}

impl<'d, 'a> Node<'d, 'a> {
    fn element(&self) -> &'d Element<'a> {
        &self.document.elements[self.id as usize]
    }

    /// The name without its namespace prefix.
    pub fn name(&self) -> &'d str {
        &self.document.names[self.element().name as usize]
    }

    pub fn attribute(&self, name: &str) -> Option<&'d str> {
        let (from, to) = self.element().attributes;
        self.document.attributes[from as usize..to as usize]
            .iter()
            .find(|(key, _)| self.document.names[*key as usize] == name)
            .map(|(_, value)| value.as_str())
    }

    /// The element's own text, trimmed.
    pub fn text(&self) -> &'d str {
        self.element().text.trim()
    }

    pub fn children(self) -> impl Iterator<Item = Node<'d, 'a>> + 'd {
        let document = self.document;
        let mut next = self.element().first_child;
        std::iter::from_fn(move || {
            let id = next;
            (id != NONE).then(|| {
                next = document.elements[id as usize].next_sibling;
                Node { document, id }
            })
        })
    }

    pub fn children_named(self, name: &'d str) -> impl Iterator<Item = Node<'d, 'a>> + 'd {
        self.children().filter(move |child| child.name() == name)
    }

    pub fn child(self, name: &'d str) -> Option<Node<'d, 'a>> {
        self.children_named(name).next()
    }

    /// The trimmed text of the first child called `name`, when not empty.
    pub fn child_text(self, name: &'d str) -> Option<&'d str> {
        self.child(name).map(|c| c.text()).filter(|t| !t.is_empty())
    }

    /// Every element below this one, in document order (elements are
    /// stored in that order, so this is a slice of them).
    pub fn descendants(self) -> impl Iterator<Item = Node<'d, 'a>> + 'd {
        let document = self.document;
        let end = self.subtree_end();
        (self.id + 1..end).map(move |id| Node { document, id })
    }

    /// The first element after this one's subtree: one past its last
    /// element in document order, the deepest of its last children.
    fn subtree_end(self) -> u32 {
        let mut id = self.id;
        while let last @ 0..=0xffff_fffe = self.document.elements[id as usize].last_child {
            id = last;
        }
        id + 1
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tree(text: &str) -> Result<Document<'_>, XmlError> {
        parse(text, WORKOUT_FILE)
    }

    #[test]
    fn names_attributes_text_and_children() {
        let doc = tree(
            r#"<?xml version="1.0"?><gpx:gpx xmlns:gpx="x" creator="A &amp; B"><trk><name> Ride &lt;1&gt; &#233;&#x41; </name>
               <seg><pt lat="1"/><pt lat="2"><![CDATA[<raw>]]></pt></seg><!-- c --><name>second</name></trk></gpx:gpx>"#,
        )
        .unwrap();
        let root = doc.root();
        assert_eq!(root.name(), "gpx");
        assert_eq!(root.attribute("creator"), Some("A & B"));
        let trk = root.child("trk").unwrap();
        assert_eq!(trk.child_text("name"), Some("Ride <1> éA"));
        let points: Vec<_> = trk.child("seg").unwrap().children_named("pt").collect();
        assert_eq!(points.iter().map(|p| p.attribute("lat").unwrap()).collect::<Vec<_>>(), ["1", "2"]);
        assert_eq!(points[1].text(), "<raw>");
        assert_eq!(trk.children().count(), 3);
        let names: Vec<&str> = root.descendants().map(|d| d.name()).collect();
        assert_eq!(names, ["trk", "name", "seg", "pt", "pt", "name"]);
        assert_eq!(trk.child("seg").unwrap().descendants().count(), 2);
    }

    #[test]
    fn malformed_documents_and_doctypes_are_refused() {
        for bad in
            ["", "text", "<a>", "<a></b>", "<a><b></a>", "<a x='1' x='2'/>", "<a>&nope;</a>", "<a/><b/>", "<a x=1/>"]
        {
            assert!(tree(bad).is_err(), "{bad}");
        }
        let dtd = r#"<?xml version="1.0"?><!DOCTYPE a [<!ENTITY e "eeee">]><a>&e;</a>"#;
        assert_eq!(tree(dtd).err(), Some(XmlError::Doctype));
    }

    #[test]
    fn limits_are_enforced() {
        let small = Limits { max_depth: 3, max_elements: 5, max_attributes_per_element: 2, max_attributes: 3 };
        assert!(parse("<a><b><c/></b></a>", small).is_ok());
        assert_eq!(parse("<a><b><c><d/></c></b></a>", small).err(), Some(XmlError::TooLarge("nested elements")));
        assert_eq!(parse("<a><b/><b/><b/><b/><b/></a>", small).err(), Some(XmlError::TooLarge("elements")));
        assert_eq!(parse("<a x='1' y='2' z='3'/>", small).err(), Some(XmlError::TooLarge("attributes on one element")));
        assert_eq!(
            parse("<a x='1'><b x='1' y='2'/><c x='1'/></a>", small).err(),
            Some(XmlError::TooLarge("attributes"))
        );
    }

    #[test]
    fn encodings_are_decoded() {
        let latin1 = b"<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?><a>caf\xe9</a>";
        assert_eq!(decode(latin1).unwrap(), "<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?><a>café</a>");
        let mut utf16 = vec![0xff, 0xfe];
        utf16.extend("<a>é</a>".encode_utf16().flat_map(u16::to_le_bytes));
        assert_eq!(decode(&utf16).unwrap(), "<a>é</a>");
        assert_eq!(decode(b"\xef\xbb\xbf<a/>").unwrap(), "<a/>");
        assert_eq!(decode(b"<a>caf\xe9</a>").unwrap(), "<a>café</a>", "undeclared, not UTF-8");
        let text = decode(b" \r\n<?xml version='1.0'?>\n<a>x</a>").unwrap();
        assert_eq!(parse(&text, WORKOUT_FILE).unwrap().root().text(), "x", "blanks before the declaration");
    }
}
