//! Builds small PDFs for the PDF extractor tests with lopdf.

use lopdf::{Dictionary, Document, Object, ObjectId, Stream, dictionary};

pub struct PdfBuilder {
    pub doc: Document,
    pages_id: ObjectId,
    kids: Vec<Object>,
}

impl Default for PdfBuilder {
    fn default() -> Self {
        Self::new()
    }
}

impl PdfBuilder {
    pub fn new() -> Self {
        let mut doc = Document::with_version("1.7");
        let pages_id = doc.new_object_id();
        PdfBuilder {
            doc,
            pages_id,
            kids: Vec::new(),
        }
    }

    /// An unembedded standard font (no /Widths: the standard-14 metrics apply).
    pub fn standard_font(&mut self, base: &str) -> ObjectId {
        self.doc.add_object(dictionary! {
            "Type" => "Font",
            "Subtype" => "Type1",
            "BaseFont" => Object::Name(base.as_bytes().to_vec()),
            "Encoding" => "WinAnsiEncoding",
        })
    }

    pub fn add_font(&mut self, dict: Dictionary) -> ObjectId {
        self.doc.add_object(dict)
    }

    pub fn add_stream(&mut self, dict: Dictionary, content: &[u8]) -> ObjectId {
        self.doc.add_object(Stream::new(dict, content.to_vec()))
    }

    fn resources(fonts: &[(&str, ObjectId)], xobjects: &[(&str, ObjectId)]) -> Dictionary {
        let mut font_dict = Dictionary::new();
        for (name, id) in fonts {
            font_dict.set(name.as_bytes().to_vec(), Object::Reference(*id));
        }
        let mut xobject_dict = Dictionary::new();
        for (name, id) in xobjects {
            xobject_dict.set(name.as_bytes().to_vec(), Object::Reference(*id));
        }
        dictionary! { "Font" => font_dict, "XObject" => xobject_dict }
    }

    /// A Form XObject with its own resources.
    pub fn add_form(
        &mut self,
        content: &str,
        fonts: &[(&str, ObjectId)],
        matrix: Option<[f32; 6]>,
    ) -> ObjectId {
        let mut dict = dictionary! {
            "Type" => "XObject",
            "Subtype" => "Form",
            "BBox" => vec![0.into(), 0.into(), 595.into(), 842.into()],
            "Resources" => Self::resources(fonts, &[]),
        };
        if let Some(m) = matrix {
            dict.set(
                "Matrix",
                m.iter().map(|v| Object::Real(*v)).collect::<Vec<_>>(),
            );
        }
        self.add_stream(dict, content.as_bytes())
    }

    /// A 1x1 grey image.
    pub fn add_image(&mut self) -> ObjectId {
        self.add_stream(
            dictionary! {
                "Type" => "XObject",
                "Subtype" => "Image",
                "Width" => 1,
                "Height" => 1,
                "ColorSpace" => "DeviceGray",
                "BitsPerComponent" => 8,
            },
            &[128],
        )
    }

    pub fn add_page(
        &mut self,
        content: &str,
        fonts: &[(&str, ObjectId)],
        xobjects: &[(&str, ObjectId)],
    ) -> ObjectId {
        self.add_page_with(content, fonts, xobjects, Vec::new())
    }

    pub fn add_page_with(
        &mut self,
        content: &str,
        fonts: &[(&str, ObjectId)],
        xobjects: &[(&str, ObjectId)],
        annots: Vec<Object>,
    ) -> ObjectId {
        let content_id = self.add_stream(Dictionary::new(), content.as_bytes());
        let mut page = dictionary! {
            "Type" => "Page",
            "Parent" => self.pages_id,
            "MediaBox" => vec![0.into(), 0.into(), 595.into(), 842.into()],
            "Contents" => content_id,
            "Resources" => Self::resources(fonts, xobjects),
        };
        if !annots.is_empty() {
            page.set("Annots", annots);
        }
        let id = self.doc.add_object(page);
        self.kids.push(Object::Reference(id));
        id
    }

    pub fn set_info(&mut self, info: Dictionary) {
        let id = self.doc.add_object(info);
        self.doc.trailer.set("Info", id);
    }

    /// The document encrypted (RC4 128-bit) with the given passwords.
    pub fn finish_encrypted(self, user_password: &str, owner_password: &str) -> Vec<u8> {
        let mut doc = self.into_document();
        doc.trailer.set(
            "ID",
            vec![
                Object::string_literal(b"0123456789abcdef".to_vec()),
                Object::string_literal(b"0123456789abcdef".to_vec()),
            ],
        );
        let version = lopdf::EncryptionVersion::V2 {
            document: &doc,
            owner_password,
            user_password,
            key_length: 128,
            permissions: lopdf::Permissions::all(),
        };
        let state = lopdf::EncryptionState::try_from(version).expect("encryption state");
        doc.encrypt(&state).expect("encrypts");
        let mut out = Vec::new();
        doc.save_to(&mut out).expect("in-memory save");
        out
    }

    pub fn finish(self) -> Vec<u8> {
        let mut doc = self.into_document();
        let mut out = Vec::new();
        doc.save_to(&mut out).expect("in-memory save");
        out
    }

    fn into_document(mut self) -> Document {
        let count = self.kids.len() as i64;
        self.doc.objects.insert(
            self.pages_id,
            Object::Dictionary(dictionary! {
                "Type" => "Pages",
                "Kids" => self.kids,
                "Count" => count,
            }),
        );
        let catalog = self.doc.add_object(dictionary! {
            "Type" => "Catalog",
            "Pages" => self.pages_id,
        });
        self.doc.trailer.set("Root", catalog);
        self.doc
    }
}

/// Content that writes each `(x, y, size, text)` with the font `/F1` in its own BT..ET.
pub fn text_lines(lines: &[(f32, f32, f32, &str)]) -> String {
    let mut s = String::new();
    for (x, y, size, text) in lines {
        s.push_str(&format!("BT /F1 {size} Tf {x} {y} Td ({text}) Tj ET\n"));
    }
    s
}
