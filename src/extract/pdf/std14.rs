//! Metrics of the 14 standard fonts, for unembedded fonts that carry no `/Widths`.

use super::tables::std14_widths::STD14;

/// Glyph widths (by glyph name) of one standard font.
pub type Metrics = &'static [(&'static str, u16)];

/// The standard font a `/BaseFont` name stands for, matched the way viewers do: subset prefix
/// dropped, common aliases (Arial, Times New Roman, Courier New) mapped to their metric twins.
/// Any other name falls back to the family it looks like (serif, mono, sans).
pub fn metrics_for(base_font: &str) -> Metrics {
    let name = base_font.to_ascii_lowercase();
    let bold = name.contains("bold") || name.contains("black") || name.contains("heavy");
    let italic = name.contains("italic") || name.contains("oblique");
    let family = if name.contains("symbol") {
        "Symbol"
    } else if name.contains("dingbat") {
        "ZapfDingbats"
    } else if name.contains("courier") || name.contains("mono") {
        "Courier"
    } else if name.contains("times") || name.contains("serif") && !name.contains("sans") {
        "Times"
    } else {
        "Helvetica"
    };
    let full = match (family, bold, italic) {
        ("Times", false, false) => "Times-Roman",
        ("Times", true, false) => "Times-Bold",
        ("Times", false, true) => "Times-Italic",
        ("Times", true, true) => "Times-BoldItalic",
        ("Helvetica", false, false) => "Helvetica",
        ("Helvetica", true, false) => "Helvetica-Bold",
        ("Helvetica", false, true) => "Helvetica-Oblique",
        ("Helvetica", true, true) => "Helvetica-BoldOblique",
        ("Courier", false, false) => "Courier",
        ("Courier", true, false) => "Courier-Bold",
        ("Courier", false, true) => "Courier-Oblique",
        ("Courier", true, true) => "Courier-BoldOblique",
        (other, _, _) => other,
    };
    STD14
        .iter()
        .find(|(n, _)| *n == full)
        .map(|(_, m)| *m)
        .unwrap_or_default()
}

/// Width (1/1000 em) of `glyph` in `metrics`.
pub fn width(metrics: Metrics, glyph: &str) -> Option<f32> {
    metrics
        .binary_search_by(|(n, _)| (*n).cmp(glyph))
        .ok()
        .and_then(|i| metrics.get(i))
        .map(|(_, w)| f32::from(*w))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn standard_widths_are_found_by_name_and_alias() {
        assert_eq!(width(metrics_for("Helvetica"), "a"), Some(556.0));
        assert_eq!(width(metrics_for("Times-Roman"), "space"), Some(250.0));
        assert_eq!(width(metrics_for("ABCDEF+Arial,Bold"), "a"), Some(556.0));
        assert_eq!(width(metrics_for("Courier"), "W"), Some(600.0));
    }
}
