#!/usr/bin/env python3
"""The Python stack a user would pick instead of docfacts, doing the same jobs per document:
main text of HTML pages (trafilatura), text of PDFs (pdfminer.six), language (lingua), dates
(dateparser's search_dates), e-mails and URLs (regexes), phone numbers (phonenumbers).
Writes one JSON per document in the facts schema (minimal fields) so the gold scorer can score it.

    pystack.py LIST OUT [--workers N]

LIST: one `<doc id>\t<path>` per line. OUT/<doc id>.json is written for each document.
Prints one summary line: documents, failures, bytes, wall seconds.
"""

import argparse
import gzip
import json
import multiprocessing
import os
import re
import sys
import time

EMAIL = re.compile(r"\b[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}\b")
URL = re.compile(r"\b(?:https?://|www\.)[^\s<>\"'()\[\]]+[^\s<>\"'()\[\].,;:!?]")
# The languages docfacts classifies into, so both stacks choose among the same set.
LANGS = ["FRENCH", "ENGLISH", "GERMAN", "SPANISH", "ITALIAN", "DUTCH", "PORTUGUESE"]
PHONE_REGION = {"fr": "FR", "en": "GB", "de": "DE", "es": "ES", "it": "IT", "nl": "NL", "pt": "PT"}

_detector = None
_parsers = {}


def detector():
    global _detector
    if _detector is None:
        from lingua import Language, LanguageDetectorBuilder

        _detector = LanguageDetectorBuilder.from_languages(
            *[getattr(Language, name) for name in LANGS]).build()
    return _detector


def text_of(path):
    """(kind, text) of one input file."""
    name = path.lower()
    if name.endswith(".pdf"):
        from pdfminer.high_level import extract_text

        return "pdf_text", extract_text(path)
    with open(path, "rb") as f:
        data = f.read()
    if name.endswith(".gz"):
        data = gzip.decompress(data)
        name = name[:-3]
    if name.endswith((".html", ".htm")):
        import trafilatura

        return "html", trafilatura.extract(data, include_comments=False) or ""
    return "text", data.decode("utf-8", "replace")


def language(text):
    found = detector().detect_language_of(text) if text.strip() else None
    return found.iso_code_639_1.name.lower() if found else None


def date_value(matched, when, lang):
    """ISO value at the precision the matched text gives (dateparser's period)."""
    from dateparser.date import DateDataParser

    parser = _parsers.get(lang)
    if parser is None:
        parser = _parsers[lang] = DateDataParser(
            languages=[lang] if lang else None, settings={"RETURN_TIME_AS_PERIOD": True})
    period = "day"
    try:
        period = parser.get_date_data(matched).period or "day"
    except Exception:  # noqa: BLE001 - keep the day reading
        pass
    if period == "year":
        return when.strftime("%Y"), "year"
    if period == "month":
        return when.strftime("%Y-%m"), "month"
    if period == "time":
        return when.strftime("%Y-%m-%dT%H:%M"), "minute"
    return when.strftime("%Y-%m-%d"), "day"


def dates(text, lang):
    from dateparser.search import search_dates

    try:
        found = search_dates(text, languages=[lang] if lang else None) or []
    except Exception:  # noqa: BLE001 - dateparser raises on odd inputs; a user would skip
        found = []
    out = {}
    for matched, when in found:
        value, granularity = date_value(matched, when, lang)
        out.setdefault(value, (granularity, matched))
    return [{"value": v, "granularity": g, "about": "other", "interval": False,
             "evidence": [{"text": m}], "rule": "dateparser.search_dates", "confidence": 0.5}
            for v, (g, m) in out.items()]


def phones(text, lang):
    import phonenumbers

    region = PHONE_REGION.get(lang or "", "FR")
    out = {}
    for match in phonenumbers.PhoneNumberMatcher(text, region):
        e164 = phonenumbers.format_number(match.number, phonenumbers.PhoneNumberFormat.E164)
        country = phonenumbers.region_code_for_number(match.number)
        out.setdefault(e164, (match.raw_string, country))
    return [{"value": v, "raw": raw, "country": c, "evidence": [{"text": raw}],
             "rule": "phonenumbers", "confidence": 0.5} for v, (raw, c) in out.items()]


def simple(regex, text, lower=False):
    out = {}
    for m in regex.finditer(text):
        value = m.group(0).lower() if lower else m.group(0)
        out.setdefault(value, m.group(0))
    return [{"value": v, "evidence": [{"text": t}], "rule": "regex", "confidence": 0.5}
            for v, t in out.items()]


def process(job):
    doc_id, path, out_dir = job
    try:
        kind, text = text_of(path)
        lang = language(text)
        doc = {
            "schema_version": "1.0",
            "doc_id": doc_id,
            "source": {"file": os.path.basename(doc_id), "kind": kind},
            "producer": {"kind": "pipeline", "name": "python-stack"},
            "document": {"title": None, "document_type": None, "issuing_organisation": None,
                         "place": None, "publication_date": None, "language": lang},
            "facts": {
                "dates": dates(text, lang),
                "quantities": [], "objectives": [], "contacts": [], "people": [],
                "organisations": [],
                "urls": simple(URL, text),
                "emails": simple(EMAIL, text, lower=True),
                "phones": phones(text, lang),
            },
        }
        ok = True
    except Exception as err:  # noqa: BLE001 - one bad document must not stop the batch
        doc = {"doc_id": doc_id, "error": f"{type(err).__name__}: {err}"}
        ok = False
    target = os.path.join(out_dir, doc_id + ".json")
    os.makedirs(os.path.dirname(target), exist_ok=True)
    with open(target, "w", encoding="utf-8") as f:
        json.dump(doc, f, ensure_ascii=False)
    return ok


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("list")
    ap.add_argument("out")
    ap.add_argument("--workers", type=int, default=os.cpu_count() or 1)
    args = ap.parse_args()
    jobs = []
    total_bytes = 0
    with open(args.list, encoding="utf-8") as f:
        for line in f:
            doc_id, path = line.rstrip("\n").split("\t", 1)
            jobs.append((doc_id, path, args.out))
            total_bytes += os.path.getsize(path)
    started = time.monotonic()
    if args.workers > 1:
        with multiprocessing.Pool(args.workers) as pool:
            results = list(pool.imap_unordered(process, jobs, chunksize=1))
    else:
        results = [process(job) for job in jobs]
    wall = time.monotonic() - started
    print(f"pystack: {len(jobs)} documents, {results.count(False)} failed, "
          f"{total_bytes} bytes, {wall:.3f} s wall, {args.workers} workers")
    return 0


if __name__ == "__main__":
    sys.exit(main())
