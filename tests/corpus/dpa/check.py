#!/usr/bin/env python3
"""Check the DPA corpus labels: every quote must occur in its document.

Usage: python3 tests/corpus/dpa/check.py        (exit status 0 when all checks pass)

For each directory holding an expected.toml:
  * dpa.txt / dpa.md: the quote must be a verbatim substring of the raw file;
  * dpa.html: the quote must occur in the visible text (script/style removed, tags stripped,
    entities unescaped, whitespace incl. &nbsp; collapsed to single spaces);
  * dpa.pdf (preferred over dpa.txt when both exist): the quote must occur on the labelled
    page of `pdftotext -layout`-free output, whitespace collapsed (lines wrap in a PDF).
It also checks the label vocabulary (kinds, term keys, value types, enum values), that
`conflict = true` comes in pairs with different values, that no kind is both expected and
listed in not_found, and quotes/quotes.toml (each expected quote occurs in its text).
Requires Python 3.11+ (tomllib) and pdftotext (poppler-utils).
"""
import html
import os
import re
import subprocess
import sys
import tomllib

HERE = os.path.dirname(os.path.abspath(__file__))
# `check.py DIR` checks the documents under DIR (e.g. a local copy of the
# real-DPA sets); without it, this corpus and its quotes file.
ROOT = os.path.abspath(sys.argv[1]) if len(sys.argv) > 1 else HERE

KINDS = {
    "security-measures", "subprocessors", "deletion-return", "audit-rights", "breach-notification",
    "transfers", "residency", "ownership", "ai-training", "liability", "government-access", "baa",
}
INT, BOOL, STR, LIST = "int", "bool", "str", "list"
# term -> (kinds it belongs to, type, allowed enum values or None)
TERMS = {
    "hours": ({"breach-notification", "baa"}, INT, None),
    "days": ({"baa"}, INT, None),
    "where-feasible": ({"breach-notification"}, BOOL, None),
    "clock": ({"breach-notification"}, STR, {"awareness", "discovery", "confirmation"}),
    "confirmed-only": ({"breach-notification"}, BOOL, None),
    "list-url": ({"subprocessors"}, STR, None),
    "notice-days": ({"subprocessors"}, INT, None),
    "notice-channel": ({"subprocessors"}, STR, {"email", "webpage", "subscription-only"}),
    "objection-days": ({"subprocessors"}, INT, None),
    "remedy": ({"subprocessors"}, STR, {"terminate", "terminate-refund", "vendor-discretion", "none"}),
    "list-in": ({"subprocessors"}, STR, {"annex", "on-request"}),
    "reasonable-grounds": ({"subprocessors"}, BOOL, None),
    "regions": ({"transfers", "residency"}, LIST, None),
    "mechanism": ({"transfers", "residency"}, STR,
                  {"scc-2021", "scc-2010", "uk-addendum", "dpf", "bcr", "adequacy", "consent", "none"}),
    "region-commitment": ({"transfers", "residency"}, STR, {"yes", "no"}),
    "deletion-days": ({"deletion-return"}, INT, None),
    "no-deadline": ({"deletion-return"}, BOOL, None),
    "backup-days": ({"deletion-return"}, INT, None),
    "certificate": ({"deletion-return"}, STR, {"yes", "no", "on-request"}),
    "export-window-days": ({"deletion-return"}, INT, None),
    "on-request-only": ({"deletion-return"}, BOOL, None),
    "audit": ({"audit-rights"}, STR, {"onsite", "reports-only", "none"}),
    "audit-limits": ({"audit-rights"}, STR, None),
    "vendor-use": ({"ownership", "ai-training"}, STR,
                   {"none", "service-only", "product-improvement", "deidentified-use", "training"}),
    "ai-training": ({"ownership", "ai-training"}, STR, {"no", "opt-in", "opt-out", "yes"}),
    "cap": ({"liability"}, STR, {"inside-general-cap", "separate-cap", "uncapped", "not-stated"}),
    "cap-months": ({"liability"}, INT, None),
    "cap-amount": ({"liability"}, STR, None),
    "gov": ({"government-access"}, STR, {"notify-before", "notify-after-disclosure", "challenge", "none"}),
    "annex": ({"security-measures"}, STR, {"yes", "industry-standard-only", "external-page"}),
}
MAX_QUOTE = 200  # characters; quotes are meant to be short

errors = []


def err(where, msg):
    errors.append(f"{where}: {msg}")


def collapse(text):
    return re.sub(r"\s+", " ", text.replace("\u00a0", " ")).strip()


def html_visible_text(raw):
    raw = re.sub(r"<(script|style)\b[^>]*>.*?</\1\s*>", " ", raw, flags=re.S | re.I)
    raw = re.sub(r"<!--.*?-->", " ", raw, flags=re.S)
    raw = re.sub(r"<[^>]+>", " ", raw)
    return collapse(html.unescape(raw))


def pdf_pages(path):
    out = subprocess.run(["pdftotext", "-enc", "UTF-8", path, "-"], check=True,
                         capture_output=True, text=True).stdout
    pages = out.split("\f")
    if pages and not pages[-1].strip():
        pages = pages[:-1]
    return [collapse(p) for p in pages]


def check_value(where, term, value):
    kinds, typ, enum = TERMS[term]
    if typ == INT and not (isinstance(value, int) and not isinstance(value, bool)):
        err(where, f"{term} needs an integer, got {value!r}")
    elif typ == BOOL and value is not True:
        err(where, f"{term} is a flag; value must be true, got {value!r}")
    elif typ == STR and not isinstance(value, str):
        err(where, f"{term} needs a string, got {value!r}")
    elif typ == LIST and not (isinstance(value, list) and value and all(isinstance(v, str) for v in value)):
        err(where, f"{term} needs a non-empty list of strings, got {value!r}")
    if enum is not None and isinstance(value, str) and value not in enum:
        err(where, f"{term}={value!r} is not one of {sorted(enum)}")


def check_expect(where, e, allowed_keys):
    extra = set(e) - allowed_keys
    if extra:
        err(where, f"unknown keys {sorted(extra)}")
    kind, term = e.get("kind"), e.get("term")
    if kind not in KINDS:
        err(where, f"unknown kind {kind!r}")
        return False
    if term not in TERMS:
        err(where, f"unknown term {term!r}")
        return False
    if kind not in TERMS[term][0]:
        err(where, f"term {term!r} does not belong to kind {kind!r}")
    if "value" not in e:
        err(where, "missing value")
    else:
        check_value(where, term, e["value"])
    q = e.get("quote")
    if not isinstance(q, str) or not q.strip():
        err(where, "missing quote")
        return False
    if len(q) > MAX_QUOTE:
        err(where, f"quote is {len(q)} characters; keep it under {MAX_QUOTE}")
    return True


def check_document(d):
    path = os.path.join(ROOT, d)
    rel = os.path.relpath(path, os.path.dirname(ROOT))
    with open(os.path.join(path, "expected.toml"), "rb") as f:
        data = tomllib.load(f)
    files = set(os.listdir(path))
    if "dpa.pdf" in files:
        fmt, pages = "pdf", pdf_pages(os.path.join(path, "dpa.pdf"))
    elif "dpa.html" in files:
        fmt, text = "html", html_visible_text(open(os.path.join(path, "dpa.html"), encoding="utf-8").read())
    elif "dpa.md" in files:
        fmt, text = "md", open(os.path.join(path, "dpa.md"), encoding="utf-8").read()
    elif "dpa.txt" in files:
        fmt, text = "txt", open(os.path.join(path, "dpa.txt"), encoding="utf-8").read()
    else:
        err(rel, "no dpa.txt/dpa.md/dpa.html/dpa.pdf")
        return 0

    not_found = data.get("not_found", [])
    for k in not_found:
        if k not in KINDS:
            err(rel, f"not_found has unknown kind {k!r}")
    # The real-DPA sets also say which kinds the document addresses (every
    # kind in exactly one of the two lists) and where the text came from.
    if "addressed" in data:
        addressed = data["addressed"]
        for k in addressed:
            if k not in KINDS:
                err(rel, f"addressed has unknown kind {k!r}")
        both = set(addressed) & set(not_found)
        if both:
            err(rel, f"kinds both addressed and not_found: {sorted(both)}")
        missing = KINDS - {"baa"} - set(addressed) - set(not_found)
        if missing:
            err(rel, f"kinds in neither addressed nor not_found: {sorted(missing)}")
    if ROOT != HERE:
        src = data.get("source", {})
        for field in ("company", "repo", "commit", "path", "licence"):
            if not isinstance(src.get(field), str) or not src.get(field):
                err(rel, f"[source] needs {field}")
    expects = data.get("expect", [])
    keys = {"kind", "term", "value", "quote", "section", "page", "conflict"}
    seen = {}
    for i, e in enumerate(expects, 1):
        where = f"{rel} expect #{i} ({e.get('kind')}/{e.get('term')})"
        if not check_expect(where, e, keys):
            continue
        if e["kind"] in not_found:
            err(where, "kind is also listed in not_found")
        if "addressed" in data and e["kind"] not in data["addressed"]:
            err(where, "kind has a term but is not listed in addressed")
        if not isinstance(e.get("conflict", False), bool):
            err(where, "conflict must be true or false")
        q = e["quote"]
        if fmt == "pdf":
            page = e.get("page")
            if not isinstance(page, int) or not 1 <= page <= len(pages):
                err(where, f"page must be 1..{len(pages)}, got {page!r}")
                continue
            if collapse(q) not in pages[page - 1]:
                other = [n for n, p in enumerate(pages, 1) if collapse(q) in p]
                err(where, f"quote not on page {page}" + (f" (found on {other})" if other else " (not in PDF)")
                    + f": {q!r}")
        else:
            if "page" in e:
                err(where, "page is only for PDF documents")
            hay = text if fmt in ("txt", "md") else text
            needle = q if fmt in ("txt", "md") else collapse(q)
            if needle not in hay:
                err(where, f"quote not found verbatim: {q!r}")
        seen.setdefault((e["kind"], e["term"]), []).append(e)

    for (kind, term), group in seen.items():
        flagged = [g for g in group if g.get("conflict")]
        if flagged:
            values = {repr(g["value"]) for g in flagged}
            if len(flagged) < 2 or len(values) < 2:
                err(rel, f"{kind}/{term}: conflict = true needs at least two entries with different values")
    # a PDF built from a text file: each text page must land on the same PDF page
    if fmt == "pdf" and "dpa.txt" in files:
        src = open(os.path.join(path, "dpa.txt"), encoding="utf-8").read().split("\f")
        if len(src) != len(pages):
            err(rel, f"dpa.txt has {len(src)} pages, dpa.pdf has {len(pages)}")
        for n, (s, p) in enumerate(zip(src, pages), 1):
            if collapse(s) not in p:
                err(rel, f"page {n} of dpa.pdf does not reproduce page {n} of dpa.txt")
    return len(expects)


def check_quotes():
    path = os.path.join(ROOT, "quotes", "quotes.toml")
    if not os.path.exists(path):
        return 0
    with open(path, "rb") as f:
        data = tomllib.load(f)
    n = 0
    for i, qe in enumerate(data.get("quote", []), 1):
        where = f"quotes.toml quote #{i}"
        for key in ("source", "url", "seen", "text"):
            if not isinstance(qe.get(key), str) or not qe[key].strip():
                err(where, f"missing {key}")
        text = qe.get("text", "")
        if len(re.findall(r"[.!?:](\s|$)", text)) > 2:
            err(where, "quote text should be one or two sentences")
        for j, e in enumerate(qe.get("expect", []), 1):
            w = f"{where} expect #{j}"
            if check_expect(w, e, {"kind", "term", "value", "quote", "conflict"}) and e["quote"] not in text:
                err(w, f"quote not in text: {e['quote']!r}")
            n += 1
    return n


def main():
    total = 0
    docs = sorted(d for d in os.listdir(ROOT)
                  if os.path.isfile(os.path.join(ROOT, d, "expected.toml")))
    for d in docs:
        total += check_document(d)
    qn = check_quotes() if ROOT == HERE else 0
    if errors:
        print("\n".join(errors))
        print(f"FAILED: {len(errors)} problem(s)")
        return 1
    print(f"ok: {len(docs)} documents, {total} expected terms, {qn} quote terms")
    return 0


if __name__ == "__main__":
    sys.exit(main())
