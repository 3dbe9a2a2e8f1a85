//! Metadata a page declares about itself: `<head>` meta tags (OpenGraph, Dublin Core, article:*),
//! JSON-LD, `<title>`, `<html lang>`, canonical URL, and a few in-body markers (single `<h1>`,
//! `time[datetime]`, `itemprop=author`, bylines). Datelines written in the text are not read
//! here: the fact stage reads the text.

use super::dom::CommonAttrs;
use crate::model::DeclaredMeta;
use scraper::{ElementRef, Html, Node};
use serde_json::Value;

/// Longest author string accepted from a byline element.
const MAX_AUTHOR_CHARS: usize = 80;
/// JSON-LD values visited per page (hostile pages can nest deeply).
const MAX_JSON_VALUES: usize = 20_000;

/// Everything gathered in one pass over the page.
#[derive(Debug, Default)]
struct Gathered {
    /// `(key, content)`: key is the lower-cased `property`, `name`, `itemprop` or `http-equiv`.
    metas: Vec<(String, String)>,
    title: Option<String>,
    html_lang: Option<String>,
    canonical: Option<String>,
    base: Option<String>,
    h1: Vec<String>,
    time_datetime: Option<String>,
    time_pubdate: Option<String>,
    itemprop_author: Option<String>,
    rel_author: Option<String>,
    byline: Option<String>,
    json_ld: Vec<Value>,
}

/// The page's declared metadata, and the base URL for resolving relative links.
pub fn read(html: &Html, url_hint: Option<&str>) -> (DeclaredMeta, Option<url::Url>) {
    let g = gather(html);
    let ld = JsonLd::from_values(&g.json_ld);
    let meta = |keys: &[&str]| -> Option<String> {
        keys.iter().find_map(|k| {
            g.metas
                .iter()
                .find(|(key, v)| key == k && !v.trim().is_empty())
                .map(|(_, v)| clean(v))
        })
    };

    let site_name = meta(&["og:site_name", "application-name"])
        .or_else(|| ld.publisher.clone())
        .filter(|s| !s.is_empty());

    let url = g
        .canonical
        .clone()
        .or_else(|| meta(&["og:url"]))
        .or_else(|| ld.url.clone())
        .filter(|u| url::Url::parse(u).is_ok())
        .or_else(|| url_hint.map(str::to_string));

    let title = meta(&["og:title", "twitter:title"])
        .or_else(|| ld.headline.clone())
        .or_else(|| meta(&["dc.title", "title", "parsely-title", "sailthru.title"]))
        .map(|t| strip_site_name(&t, site_name.as_deref(), false))
        .or_else(|| match g.h1.as_slice() {
            [only] => Some(only.clone()),
            _ => None,
        })
        .or_else(|| {
            g.title
                .as_deref()
                .map(|t| title_from_title_element(t, site_name.as_deref(), &g.h1))
        })
        .filter(|t| !t.is_empty());

    let published = ld
        .date_published
        .clone()
        .or_else(|| {
            meta(&[
                "article:published_time",
                "og:published_time",
                "published_time",
                "datepublished",
                "dc.date.issued",
                "dcterms.issued",
                "dc.date",
                "dcterms.date",
                "dc.date.created",
                "dcterms.created",
                "date",
                "pubdate",
                "publishdate",
                "publish-date",
                "publish_date",
                "sailthru.date",
                "parsely-pub-date",
                "article.published",
                "original-publish-date",
                "citation_publication_date",
                "date.available",
            ])
        })
        .or_else(|| g.time_pubdate.clone())
        .or_else(|| {
            meta(&[
                "datecreated",
                "article:modified_time",
                "og:updated_time",
                "datemodified",
                "last-modified",
            ])
        })
        .or_else(|| ld.date_modified.clone())
        .or_else(|| g.time_datetime.clone())
        .or_else(|| url.as_deref().and_then(date_in_url))
        .filter(|d| d.chars().any(|c| c.is_ascii_digit()));

    let author = meta(&[
        "author",
        "article:author",
        "dc.creator",
        "dcterms.creator",
        "sailthru.author",
        "parsely-author",
        "byl",
        "twitter:creator",
    ])
    .map(|a| clean_author(&a))
    .filter(|a| is_plausible_author(a))
    .or_else(|| {
        ld.author
            .clone()
            .map(|a| clean_author(&a))
            .filter(|a| is_plausible_author(a))
    })
    .or_else(|| {
        [&g.itemprop_author, &g.rel_author, &g.byline]
            .into_iter()
            .flatten()
            .map(|a| clean_author(a))
            .find(|a| is_plausible_author(a))
    });

    let language = g
        .html_lang
        .clone()
        .or_else(|| meta(&["content-language", "dc.language", "language"]))
        .or_else(|| meta(&["og:locale"]))
        .map(|l| {
            l.split([',', ';'])
                .next()
                .unwrap_or_default()
                .trim()
                .to_ascii_lowercase()
                .replace('_', "-")
        })
        .filter(|l| !l.is_empty() && l.len() <= 35);

    let base = resolve_base(g.base.as_deref(), url.as_deref());
    (
        DeclaredMeta {
            title,
            published,
            author,
            language,
            url,
            site_name,
        },
        base,
    )
}

fn resolve_base(base: Option<&str>, page_url: Option<&str>) -> Option<url::Url> {
    let page = page_url.and_then(|u| url::Url::parse(u).ok());
    match base {
        Some(b) => url::Url::parse(b)
            .ok()
            .or_else(|| page.as_ref().and_then(|p| p.join(b).ok()))
            .or(page),
        None => page,
    }
}

/// One pass over every node of the page (arena order, no recursion).
fn gather(html: &Html) -> Gathered {
    let mut g = Gathered::default();
    for node in html.tree.nodes() {
        let Node::Element(el) = node.value() else {
            continue;
        };
        let element = || ElementRef::wrap(node);
        match el.name() {
            "html" if g.html_lang.is_none() => {
                g.html_lang = el
                    .attr("lang")
                    .or_else(|| el.attr("xml:lang"))
                    .map(|s| s.trim().to_string())
                    .filter(|s| !s.is_empty());
            }
            "meta" => {
                let key = el
                    .attr("property")
                    .or_else(|| el.attr("name"))
                    .or_else(|| el.attr("itemprop"))
                    .or_else(|| el.attr("http-equiv"));
                if let (Some(key), Some(content)) = (key, el.attr("content")) {
                    g.metas
                        .push((key.trim().to_ascii_lowercase(), content.to_string()));
                }
            }
            "title" if g.title.is_none() && !is_in_svg(node) => {
                g.title = element().map(|e| clean(&e.text().collect::<String>()));
            }
            "link" => {
                let rel = el.attr("rel").unwrap_or_default().to_ascii_lowercase();
                if rel.split_whitespace().any(|r| r == "canonical") && g.canonical.is_none() {
                    g.canonical = el.attr("href").map(|h| h.trim().to_string());
                }
            }
            "base" if g.base.is_none() => {
                g.base = el.attr("href").map(|h| h.trim().to_string());
            }
            "h1" => {
                if let Some(text) = element().map(|e| clean(&e.text().collect::<String>()))
                    && !text.is_empty()
                    && g.h1.len() < 10
                {
                    g.h1.push(text);
                }
            }
            "time" => {
                if let Some(dt) = el.attr("datetime").map(str::trim).filter(|d| !d.is_empty()) {
                    if el.attr("pubdate").is_some()
                        || el
                            .attr("itemprop")
                            .is_some_and(|p| p.eq_ignore_ascii_case("datePublished"))
                    {
                        g.time_pubdate.get_or_insert_with(|| dt.to_string());
                    }
                    g.time_datetime.get_or_insert_with(|| dt.to_string());
                }
            }
            "script" => {
                let is_ld = el
                    .attr("type")
                    .is_some_and(|t| t.trim().eq_ignore_ascii_case("application/ld+json"));
                if is_ld && g.json_ld.len() < 20 {
                    let text: String = element().map(|e| e.text().collect()).unwrap_or_default();
                    if let Ok(value) = serde_json::from_str::<Value>(text.trim()) {
                        g.json_ld.push(value);
                    }
                }
            }
            _ => {}
        }
        let attrs = CommonAttrs::of(el);
        if attrs
            .itemprop
            .is_some_and(|p| p.eq_ignore_ascii_case("author"))
            && g.itemprop_author.is_none()
            && el.name() != "meta"
        {
            g.itemprop_author = element().map(|e| clean(&e.text().collect::<String>()));
        }
        if el.name() == "a"
            && attrs.rel.is_some_and(|r| {
                r.split_whitespace()
                    .any(|r| r.eq_ignore_ascii_case("author"))
            })
            && g.rel_author.is_none()
        {
            g.rel_author = element().map(|e| clean(&e.text().collect::<String>()));
        }
        if g.byline.is_none()
            && attrs
                .class
                .is_some_and(|c| c.split_whitespace().any(is_byline_class))
        {
            g.byline = element().map(|e| clean(&e.text().collect::<String>()));
        }
    }
    g
}

/// `byline`, `author`, `author-name`, `…__author`, in any case.
fn is_byline_class(class: &str) -> bool {
    ["byline", "author", "author-name"]
        .iter()
        .any(|name| class.eq_ignore_ascii_case(name))
        || class
            .len()
            .checked_sub("__author".len())
            .and_then(|cut| class.get(cut..))
            .is_some_and(|tail| tail.eq_ignore_ascii_case("__author"))
}

fn is_in_svg(node: ego_tree::NodeRef<'_, Node>) -> bool {
    node.ancestors()
        .take(64)
        .any(|a| a.value().as_element().is_some_and(|e| e.name() == "svg"))
}

/// Whitespace collapsed and trimmed.
fn clean(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Fields read from JSON-LD (`Article`, `NewsArticle`, `BlogPosting`, `WebPage`…, also inside
/// `@graph`).
#[derive(Debug, Default)]
struct JsonLd {
    headline: Option<String>,
    date_published: Option<String>,
    date_modified: Option<String>,
    author: Option<String>,
    publisher: Option<String>,
    url: Option<String>,
}

impl JsonLd {
    fn from_values(values: &[Value]) -> JsonLd {
        let mut out = JsonLd::default();
        let mut stack: Vec<&Value> = values.iter().rev().collect();
        let mut visited = 0usize;
        while let Some(value) = stack.pop() {
            visited += 1;
            if visited > MAX_JSON_VALUES {
                break;
            }
            match value {
                Value::Array(items) => stack.extend(items.iter().rev()),
                Value::Object(map) => {
                    let kind = type_names(map.get("@type"));
                    let is_article = kind.iter().any(|t| {
                        t.ends_with("Article")
                            || matches!(
                                t.as_str(),
                                "BlogPosting"
                                    | "Report"
                                    | "WebPage"
                                    | "ItemPage"
                                    | "NewsArticle"
                                    | "LiveBlogPosting"
                            )
                    });
                    if is_article {
                        let str_of = |key: &str| {
                            map.get(key)
                                .and_then(Value::as_str)
                                .map(clean)
                                .filter(|s| !s.is_empty())
                        };
                        let take = |slot: &mut Option<String>, v: Option<String>| {
                            if slot.is_none() {
                                *slot = v;
                            }
                        };
                        let is_webpage = kind.iter().all(|t| t.ends_with("Page"));
                        if !is_webpage || out.headline.is_none() {
                            take(&mut out.headline, str_of("headline"));
                        }
                        take(&mut out.date_published, str_of("datePublished"));
                        take(&mut out.date_modified, str_of("dateModified"));
                        take(&mut out.author, map.get("author").and_then(person_name));
                        take(
                            &mut out.publisher,
                            map.get("publisher").and_then(person_name),
                        );
                        if !is_webpage {
                            take(&mut out.url, str_of("url"));
                        }
                    }
                    if let Some(graph) = map.get("@graph") {
                        stack.push(graph);
                    }
                }
                _ => {}
            }
        }
        out
    }
}

fn type_names(value: Option<&Value>) -> Vec<String> {
    match value {
        Some(Value::String(s)) => vec![s.clone()],
        Some(Value::Array(items)) => items
            .iter()
            .filter_map(Value::as_str)
            .map(str::to_string)
            .collect(),
        _ => Vec::new(),
    }
}

/// `"name"`, `{"name": …}` or a list of those (names joined by ", ").
fn person_name(value: &Value) -> Option<String> {
    match value {
        Value::String(s) => Some(clean(s)).filter(|s| !s.is_empty()),
        Value::Object(map) => map
            .get("name")
            .and_then(Value::as_str)
            .map(clean)
            .filter(|s| !s.is_empty()),
        Value::Array(items) => {
            let names: Vec<String> = items
                .iter()
                .take(10)
                .filter_map(|v| match v {
                    Value::Array(_) => None,
                    other => person_name(other),
                })
                .collect();
            (!names.is_empty()).then(|| names.join(", "))
        }
        _ => None,
    }
}

const TITLE_SEPARATORS: [&str; 8] = [" | ", " - ", " – ", " — ", " :: ", " · ", " • ", " » "];

/// Removes a known site name at either end of a title ("Titre - Paris.fr").
fn strip_site_name(title: &str, site_name: Option<&str>, _aggressive: bool) -> String {
    let title = clean(title);
    let Some(site) = site_name.map(clean).filter(|s| !s.is_empty()) else {
        return title;
    };
    for sep in TITLE_SEPARATORS {
        let suffix = format!("{sep}{site}");
        if let Some(rest) = title.strip_suffix(&suffix) {
            return rest.trim().to_string();
        }
        let prefix = format!("{site}{sep}");
        if let Some(rest) = title.strip_prefix(&prefix) {
            return rest.trim().to_string();
        }
    }
    title
}

/// The `<title>` minus its site-name part: the h1 when it is one of the parts; else the
/// longest part, when the others are short (site names are).
fn title_from_title_element(title: &str, site_name: Option<&str>, h1: &[String]) -> String {
    let stripped = strip_site_name(title, site_name, true);
    for sep in TITLE_SEPARATORS {
        let parts: Vec<&str> = stripped.split(sep).map(str::trim).collect();
        if parts.len() < 2 {
            continue;
        }
        if let Some(part) = parts.iter().find(|p| h1.iter().any(|h| h == *p)) {
            return part.to_string();
        }
        // Keep everything before the last separator when the last part looks like a site name.
        if let Some((head, last)) = stripped.rsplit_once(sep)
            && last.split_whitespace().count() <= 4
            && head.split_whitespace().count() >= 2
        {
            return title_from_title_element(head, None, h1);
        }
        if let Some((first, rest)) = stripped.split_once(sep)
            && first.split_whitespace().count() <= 3
            && rest.split_whitespace().count() >= 3
        {
            return rest.trim().to_string();
        }
    }
    stripped
}

/// Removes "By", "Par", "Von", "Auteur:"… and trailing dates.
fn clean_author(author: &str) -> String {
    let mut a = clean(author);
    let lower = a.to_lowercase();
    for prefix in [
        "by ",
        "par ",
        "von ",
        "auteur :",
        "auteur:",
        "auteur ",
        "autor:",
        "autor ",
        "author:",
        "written by ",
        "texte :",
        "text:",
    ] {
        if lower.starts_with(prefix) {
            a = a.get(prefix.len()..).unwrap_or_default().trim().to_string();
            break;
        }
    }
    a.trim_matches(|c: char| c == ',' || c == '|' || c.is_whitespace())
        .to_string()
}

fn is_plausible_author(author: &str) -> bool {
    let n = author.chars().count();
    (2..=MAX_AUTHOR_CHARS).contains(&n)
        && !author.contains("://")
        && !author.starts_with('@')
        && author.chars().any(char::is_alphabetic)
}

/// A date in a URL path: `/2019/05/15/`, `/2019-05-15`, `/20190515/`.
fn date_in_url(url: &str) -> Option<String> {
    let path = url::Url::parse(url).ok()?.path().to_string();
    let bytes = path.as_bytes();
    let digits_at = |i: usize, n: usize| -> Option<u32> {
        let s = path.get(i..i + n)?;
        s.bytes()
            .all(|b| b.is_ascii_digit())
            .then(|| s.parse().ok())?
    };
    for i in 0..bytes.len() {
        if i > 0 && bytes.get(i - 1).is_some_and(u8::is_ascii_digit) {
            continue;
        }
        let Some(year) = digits_at(i, 4) else {
            continue;
        };
        if !(1995..=2100).contains(&year) {
            continue;
        }
        let sep = bytes.get(i + 4).copied();
        let (month, day) = match sep {
            Some(b'/' | b'-' | b'_') => {
                let month = digits_at(i + 5, 2);
                let sep2 = bytes.get(i + 7).copied();
                let day = if sep2 == sep {
                    digits_at(i + 8, 2)
                } else {
                    None
                };
                (month, day)
            }
            Some(b) if b.is_ascii_digit() => (digits_at(i + 4, 2), digits_at(i + 6, 2)),
            _ => (None, None),
        };
        if let (Some(m), Some(d)) = (month, day)
            && (1..=12).contains(&m)
            && (1..=31).contains(&d)
        {
            return Some(format!("{year:04}-{m:02}-{d:02}"));
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn head_metadata() {
        let html = Html::parse_document(
            r#"<html lang="fr-FR"><head><title>Mon article - Le Site</title>
            <meta property="og:site_name" content="Le Site">
            <meta property="article:published_time" content="2013-12-18T09:47:00+01:00">
            <meta name="author" content="Par Jeanne Dupont">
            <link rel="canonical" href="https://example.org/a/b.html">
            </head><body><h1>Mon article</h1></body></html>"#,
        );
        let (meta, base) = read(&html, None);
        assert_eq!(meta.title.as_deref(), Some("Mon article"));
        assert_eq!(meta.published.as_deref(), Some("2013-12-18T09:47:00+01:00"));
        assert_eq!(meta.author.as_deref(), Some("Jeanne Dupont"));
        assert_eq!(meta.language.as_deref(), Some("fr-fr"));
        assert_eq!(meta.url.as_deref(), Some("https://example.org/a/b.html"));
        assert_eq!(meta.site_name.as_deref(), Some("Le Site"));
        assert_eq!(
            base.and_then(|b| b.join("c.html").ok())
                .map(|u| u.to_string()),
            Some("https://example.org/a/c.html".to_string())
        );
    }

    #[test]
    fn json_ld_metadata() {
        let html = Html::parse_document(
            r#"<html><head><script type="application/ld+json">
            {"@context":"https://schema.org","@graph":[{"@type":"WebSite","name":"X"},
             {"@type":"NewsArticle","headline":"Un titre","datePublished":"2020-02-03",
              "author":[{"@type":"Person","name":"A. Martin"}],"publisher":{"name":"Journal"}}]}
            </script></head><body><h1>a</h1><h1>b</h1></body></html>"#,
        );
        let (meta, _) = read(&html, None);
        assert_eq!(meta.title.as_deref(), Some("Un titre"));
        assert_eq!(meta.published.as_deref(), Some("2020-02-03"));
        assert_eq!(meta.author.as_deref(), Some("A. Martin"));
        assert_eq!(meta.site_name.as_deref(), Some("Journal"));
    }

    #[test]
    fn title_element_fallback_and_url_date() {
        let html = Html::parse_document(
            r#"<html><head><title>Brèves | Ville de Lyon</title>
            <meta property="og:url" content="https://www.lyon.fr/actu/2019/05/15/breves"></head>
            <body><h1>Brèves</h1><h1>Autre</h1></body></html>"#,
        );
        let (meta, _) = read(&html, None);
        assert_eq!(meta.title.as_deref(), Some("Brèves"));
        assert_eq!(meta.published.as_deref(), Some("2019-05-15"));
    }

    #[test]
    fn url_dates() {
        assert_eq!(
            date_in_url("https://a.fr/2012-04-05-x"),
            Some("2012-04-05".into())
        );
        assert_eq!(
            date_in_url("https://a.fr/x/20120405/y"),
            Some("2012-04-05".into())
        );
        assert_eq!(date_in_url("https://a.fr/id/123456789"), None);
    }
}
