//! Content-stream interpreter: graphics and text state, Form XObjects, and one positioned
//! [`Glyph`] per shown code.

use super::fonts::{FontCache, FontKey};
use lopdf::content::Content;
use lopdf::{Dictionary, Document, Object, ObjectId};

/// Affine matrix `[a b c d e f]` in PDF's row-vector convention.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Matrix([f32; 6]);

impl Matrix {
    pub const IDENTITY: Matrix = Matrix([1.0, 0.0, 0.0, 1.0, 0.0, 0.0]);

    pub fn from_array(m: [f32; 6]) -> Matrix {
        Matrix(m)
    }

    /// `self × other`: apply `self` first, then `other`.
    pub fn then(&self, other: &Matrix) -> Matrix {
        let [a, b, c, d, e, f] = self.0;
        let [a2, b2, c2, d2, e2, f2] = other.0;
        Matrix([
            a * a2 + b * c2,
            a * b2 + b * d2,
            c * a2 + d * c2,
            c * b2 + d * d2,
            e * a2 + f * c2 + e2,
            e * b2 + f * d2 + f2,
        ])
    }

    pub fn apply(&self, x: f32, y: f32) -> (f32, f32) {
        let [a, b, c, d, e, f] = self.0;
        (x * a + y * c + e, x * b + y * d + f)
    }

    fn translated(tx: f32, ty: f32) -> Matrix {
        Matrix([1.0, 0.0, 0.0, 1.0, tx, ty])
    }

    fn from_operands(ops: &[Object]) -> Option<Matrix> {
        let mut m = [0f32; 6];
        if ops.len() < 6 {
            return None;
        }
        for (slot, op) in m.iter_mut().zip(ops) {
            *slot = number(op)?;
        }
        m.iter().all(|v| v.is_finite()).then_some(Matrix(m))
    }
}

fn number(obj: &Object) -> Option<f32> {
    match obj {
        Object::Integer(i) => Some(*i as f32),
        Object::Real(r) if r.is_finite() => Some(*r),
        _ => None,
    }
}

/// One shown glyph. Coordinates are in the glyph's reading frame: user space (PDF units,
/// y up) turned by a multiple of 90° so that its baseline runs along +x.
#[derive(Debug, Clone)]
pub struct Glyph {
    /// Origin on the baseline.
    pub x: f32,
    pub y: f32,
    /// Where the advance (plus character spacing) ends.
    pub end_x: f32,
    /// Writing direction in quarter turns counter-clockwise (0 = horizontal, 1 = upwards...).
    pub dir: u8,
    /// Font size in user space (vertical).
    pub size: f32,
    /// Byte range of the glyph's text in [`PageGlyphs::text`].
    pub text_start: u32,
    pub text_end: u32,
    pub font: u32,
    /// Render mode 3 or 7 (OCR layers).
    pub invisible: bool,
    /// Drawn inside a Form XObject.
    pub in_form: bool,
}

/// What the interpreter found on one page.
#[derive(Debug, Default)]
pub struct PageGlyphs {
    pub glyphs: Vec<Glyph>,
    /// Text of all glyphs, concatenated.
    pub text: String,
    /// Images drawn (XObject or inline).
    pub images: usize,
    /// The operator limit stopped the page.
    pub operator_limit_hit: bool,
    /// Forms skipped by the depth limit or as a cycle.
    pub forms_skipped: usize,
    /// Content streams that ended in a syntax error (the operations before it are kept).
    pub syntax_errors: usize,
}

impl PageGlyphs {
    pub fn glyph_text(&self, g: &Glyph) -> &str {
        self.text
            .get(g.text_start as usize..g.text_end as usize)
            .unwrap_or_default()
    }
}

#[derive(Debug, Clone)]
struct GraphicsState {
    ctm: Matrix,
    font: Option<usize>,
    font_size: f32,
    char_space: f32,
    word_space: f32,
    h_scale: f32,
    leading: f32,
    rise: f32,
    render_mode: i64,
}

impl Default for GraphicsState {
    fn default() -> Self {
        GraphicsState {
            ctm: Matrix::IDENTITY,
            font: None,
            font_size: 0.0,
            char_space: 0.0,
            word_space: 0.0,
            h_scale: 1.0,
            leading: 0.0,
            rise: 0.0,
            render_mode: 0,
        }
    }
}

/// Limits the interpreter honours.
#[derive(Debug, Clone, Copy)]
pub struct InterpLimits {
    pub max_operators: usize,
    pub max_form_depth: u32,
    pub max_stream_bytes: usize,
}

const MAX_GSTATE_STACK: usize = 1024;

/// Interprets the content of one page.
pub struct Interpreter<'a> {
    doc: &'a Document,
    fonts: &'a mut FontCache,
    limits: InterpLimits,
    out: PageGlyphs,
    operators: usize,
    form_stack: Vec<ObjectId>,
}

impl<'a> Interpreter<'a> {
    pub fn new(doc: &'a Document, fonts: &'a mut FontCache, limits: InterpLimits) -> Self {
        Interpreter {
            doc,
            fonts,
            limits,
            out: PageGlyphs::default(),
            operators: 0,
            form_stack: Vec::new(),
        }
    }

    /// Runs a page's content with its resources; `base` maps the page's default user space.
    pub fn run_page(
        mut self,
        content: &[u8],
        resources: &[&'a Dictionary],
        base: Matrix,
    ) -> PageGlyphs {
        let state = GraphicsState {
            ctm: base,
            ..GraphicsState::default()
        };
        self.run(content, resources, state);
        self.out
    }

    fn lookup<'r>(
        &self,
        resources: &[&'r Dictionary],
        category: &[u8],
        name: &[u8],
    ) -> Option<(FontKey, &'r Object)>
    where
        'a: 'r,
    {
        for res in resources {
            let Some(group) = res
                .get(category)
                .ok()
                .and_then(|o| self.doc.dereference(o).ok())
                .and_then(|(_, o)| o.as_dict().ok())
            else {
                continue;
            };
            if let Ok(entry) = group.get(name) {
                let (id, obj) = self.doc.dereference(entry).ok()?;
                let key = match id {
                    Some(id) => FontKey::Object(id),
                    None => FontKey::Inline(obj as *const Object as usize),
                };
                return Some((key, obj));
            }
        }
        None
    }

    fn run(&mut self, content: &[u8], resources: &[&'a Dictionary], initial: GraphicsState) {
        let mut gs = initial;
        let mut stack: Vec<GraphicsState> = Vec::new();
        let mut tm = Matrix::IDENTITY;
        let mut tlm = Matrix::IDENTITY;
        for op in Content::decode_iter(content) {
            let Ok(op) = op else {
                self.out.syntax_errors += 1;
                break;
            };
            self.operators += 1;
            if self.operators > self.limits.max_operators {
                self.out.operator_limit_hit = true;
                return;
            }
            let ops = op.operands.as_slice();
            let num = |i: usize| ops.get(i).and_then(number);
            match op.operator.as_str() {
                "q" if stack.len() < MAX_GSTATE_STACK => stack.push(gs.clone()),
                "Q" => {
                    if let Some(saved) = stack.pop() {
                        gs = saved;
                    }
                }
                "cm" => {
                    if let Some(m) = Matrix::from_operands(ops) {
                        gs.ctm = m.then(&gs.ctm);
                    }
                }
                "BT" => {
                    tm = Matrix::IDENTITY;
                    tlm = Matrix::IDENTITY;
                }
                "Tf" => {
                    if let (Some(Object::Name(name)), Some(size)) = (ops.first(), num(1)) {
                        gs.font_size = size;
                        gs.font = self.font_index(resources, name);
                    }
                }
                "Tc" => gs.char_space = num(0).unwrap_or(gs.char_space),
                "Tw" => gs.word_space = num(0).unwrap_or(gs.word_space),
                "Tz" => gs.h_scale = num(0).map(|v| v / 100.0).unwrap_or(gs.h_scale),
                "TL" => gs.leading = num(0).unwrap_or(gs.leading),
                "Ts" => gs.rise = num(0).unwrap_or(gs.rise),
                "Tr" => {
                    if let Some(Object::Integer(mode)) = ops.first() {
                        gs.render_mode = *mode;
                    }
                }
                "Td" | "TD" => {
                    if let (Some(tx), Some(ty)) = (num(0), num(1)) {
                        if op.operator == "TD" {
                            gs.leading = -ty;
                        }
                        tlm = Matrix::translated(tx, ty).then(&tlm);
                        tm = tlm;
                    }
                }
                "Tm" => {
                    if let Some(m) = Matrix::from_operands(ops) {
                        tlm = m;
                        tm = m;
                    }
                }
                "T*" => {
                    tlm = Matrix::translated(0.0, -gs.leading).then(&tlm);
                    tm = tlm;
                }
                "Tj" => {
                    if let Some(Object::String(bytes, _)) = ops.first() {
                        self.show(&gs, &mut tm, bytes);
                    }
                }
                "'" | "\"" => {
                    let text_index = if op.operator == "\"" {
                        gs.word_space = num(0).unwrap_or(gs.word_space);
                        gs.char_space = num(1).unwrap_or(gs.char_space);
                        2
                    } else {
                        0
                    };
                    tlm = Matrix::translated(0.0, -gs.leading).then(&tlm);
                    tm = tlm;
                    if let Some(Object::String(bytes, _)) = ops.get(text_index) {
                        self.show(&gs, &mut tm, bytes);
                    }
                }
                "TJ" => {
                    if let Some(Object::Array(items)) = ops.first() {
                        for item in items {
                            match item {
                                Object::String(bytes, _) => self.show(&gs, &mut tm, bytes),
                                other => {
                                    if let Some(adjust) = number(other) {
                                        let tx = -adjust / 1000.0 * gs.font_size * gs.h_scale;
                                        tm = Matrix::translated(tx, 0.0).then(&tm);
                                    }
                                }
                            }
                        }
                    }
                }
                "Do" => {
                    if let Some(Object::Name(name)) = ops.first() {
                        self.draw_xobject(resources, name, &gs);
                    }
                }
                "BI" => self.out.images += 1,
                _ => {}
            }
        }
    }

    fn font_index(&mut self, resources: &[&'a Dictionary], name: &[u8]) -> Option<usize> {
        let (key, obj) = self.lookup(resources, b"Font", name)?;
        let dict = obj.as_dict().ok()?;
        Some(
            self.fonts
                .get_or_parse(key, self.doc, dict, self.limits.max_stream_bytes),
        )
    }

    fn draw_xobject(&mut self, resources: &[&'a Dictionary], name: &[u8], gs: &GraphicsState) {
        let Some((key, obj)) = self.lookup(resources, b"XObject", name) else {
            return;
        };
        let Ok(stream) = obj.as_stream() else {
            return;
        };
        let subtype = stream
            .dict
            .get(b"Subtype")
            .and_then(|o| o.as_name())
            .unwrap_or_default();
        if subtype == b"Image" {
            self.out.images += 1;
            return;
        }
        if subtype != b"Form" {
            return;
        }
        let FontKey::Object(id) = key else {
            return;
        };
        if self.form_stack.contains(&id)
            || self.form_stack.len() >= self.limits.max_form_depth as usize
        {
            self.out.forms_skipped += 1;
            return;
        }
        let Ok(content) = stream.get_plain_content_with_limit(self.limits.max_stream_bytes) else {
            return;
        };
        let matrix = stream
            .dict
            .get(b"Matrix")
            .ok()
            .and_then(|o| o.as_array().ok())
            .and_then(|a| Matrix::from_operands(a))
            .unwrap_or(Matrix::IDENTITY);
        let own_resources = stream
            .dict
            .get(b"Resources")
            .ok()
            .and_then(|o| self.doc.dereference(o).ok())
            .and_then(|(_, o)| o.as_dict().ok());
        let form_resources: Vec<&'a Dictionary> = match own_resources {
            Some(r) => vec![r],
            None => resources.to_vec(),
        };
        let state = GraphicsState {
            ctm: matrix.then(&gs.ctm),
            ..gs.clone()
        };
        self.form_stack.push(id);
        self.run(&content, &form_resources, state);
        self.form_stack.pop();
    }

    fn show(&mut self, gs: &GraphicsState, tm: &mut Matrix, bytes: &[u8]) {
        let Some(font_index) = gs.font else {
            return;
        };
        let Some(font) = self.fonts.fonts.get_mut(font_index) else {
            return;
        };
        let fs = gs.font_size;
        let th = gs.h_scale;
        let invisible = gs.render_mode == 3 || gs.render_mode == 7;
        let in_form = !self.form_stack.is_empty();
        let out = &mut self.out;
        let ctm = gs.ctm;
        font.decode(bytes, |info, is_space| {
            let trm = tm.then(&ctm);
            let [a, b, c, d, _, _] = trm.0;
            let dir = quarter_turns(a, b);
            let (x, y) = to_frame(dir, trm.apply(0.0, gs.rise));
            let advance = info.width * fs * th;
            let spacing = (gs.char_space + if is_space { gs.word_space } else { 0.0 }) * th;
            let (end_x, _) = to_frame(dir, trm.apply(advance + gs.char_space * th, gs.rise));
            let size = (fs * c.hypot(d)).abs();
            let start = out.text.len() as u32;
            out.text.push_str(&info.text);
            out.glyphs.push(Glyph {
                x,
                y,
                end_x,
                dir,
                size,
                text_start: start,
                text_end: out.text.len() as u32,
                font: font_index as u32,
                invisible,
                in_form,
            });
            *tm = Matrix::translated(advance + spacing, 0.0).then(tm);
        });
    }
}

/// Direction of a baseline vector in quarter turns (0..=3), rounded to the nearest.
fn quarter_turns(a: f32, b: f32) -> u8 {
    if a.abs() >= b.abs() {
        if a >= 0.0 { 0 } else { 2 }
    } else if b > 0.0 {
        1
    } else {
        3
    }
}

/// A point in the reading frame of direction `dir`: rotated so that the baseline runs along +x.
fn to_frame(dir: u8, (x, y): (f32, f32)) -> (f32, f32) {
    match dir {
        1 => (y, -x),
        2 => (-x, -y),
        3 => (-y, x),
        _ => (x, y),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn matrices_compose_in_pdf_order() {
        let scale = Matrix([2.0, 0.0, 0.0, 2.0, 0.0, 0.0]);
        let shift = Matrix::translated(10.0, 5.0);
        // Scale then shift: (1,1) -> (2,2) -> (12,7).
        assert_eq!(scale.then(&shift).apply(1.0, 1.0), (12.0, 7.0));
    }
}
