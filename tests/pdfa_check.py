#!/usr/bin/env python3
"""Checks a PDF against the PDF/A-2b (ISO 19005-2, level B) requirements a
script can read from qpdf, one named check per requirement, so a failure
names the rule it breaks.

    python3 tests/pdfa_check.py FILE.pdf [--tagged]

Prints "ok NAME" or "FAIL NAME: why" per check and exits 1 if any failed.
It stands in for veraPDF, which is not packaged for Debian: it reads the
file's objects (qpdf --json), its XMP and its ICC profile, but not the font
programs' glyph widths or the content streams' colour and transparency use,
which only a full validator checks. --tagged also requires a structure
tree (Tagged PDF).
"""

import datetime
import json
import re
import subprocess
import sys
import xml.etree.ElementTree as ET

RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
NS = {
    "rdf": RDF,
    "dc": "http://purl.org/dc/elements/1.1/",
    "xmp": "http://ns.adobe.com/xap/1.0/",
    "pdf": "http://ns.adobe.com/pdf/1.3/",
    "pdfaid": "http://www.aiim.org/pdfa/ns/id/",
}

# Actions PDF/A-2 forbids (6.6.1) and annotation types it forbids (6.3.1).
FORBIDDEN_ACTIONS = {"/Launch", "/Sound", "/Movie", "/ResetForm", "/ImportData",
                     "/Hide", "/SetOCGState", "/Rendition", "/Trans", "/GoTo3DView",
                     "/JavaScript"}
FORBIDDEN_ANNOTS = {"/3D", "/Sound", "/Screen", "/Movie"}
# Annotation flags: Invisible 1, Hidden 2, Print 4, NoView 32, ToggleNoView 256.
PRINT, HIDING = 4, 1 | 2 | 32 | 256


def qpdf(*args, binary=False):
    out = subprocess.run(["qpdf", *args], capture_output=True, check=False)
    # qpdf exits 3 for warnings; the checks below judge what it read.
    if out.returncode not in (0, 3):
        raise SystemExit(f"qpdf {' '.join(args)} failed: {out.stderr.decode()}")
    return out.stdout if binary else out.stdout.decode()


class Pdf:
    def __init__(self, path):
        self.path = path
        data = json.loads(qpdf("--json", "--json-stream-data=none", path))
        self.objects = data["qpdf"][1]
        self.trailer = self.objects["trailer"]["value"]

    def obj(self, ref):
        """The value of a reference ("12 0 R"), a stream's dict, or `ref` itself."""
        if isinstance(ref, str) and re.fullmatch(r"\d+ \d+ R", ref):
            entry = self.objects.get(f"obj:{ref}", {})
            if "stream" in entry:
                return entry["stream"]["dict"]
            return entry.get("value")
        return ref

    def is_stream(self, ref):
        return "stream" in self.objects.get(f"obj:{ref}", {})

    def stream_data(self, ref, raw=False):
        number = ref.split()[0]
        mode = "--raw-stream-data" if raw else "--filtered-stream-data"
        return qpdf(f"--show-object={number}", mode, self.path, binary=True)

    def catalog(self):
        return self.obj(self.trailer["/Root"])

    def values(self):
        """Every dictionary in the file, direct or indirect, and stream dicts."""
        def walk(v):
            if isinstance(v, dict):
                yield v
                for x in v.values():
                    yield from walk(x)
            elif isinstance(v, list):
                for x in v:
                    yield from walk(x)
        for entry in self.objects.values():
            yield from walk(entry.get("value"))
            if "stream" in entry:
                yield from walk(entry["stream"]["dict"])


def text(v):
    """A qpdf JSON string ("u:..." or "b:hex") as Python text."""
    if not isinstance(v, str):
        return None
    if v.startswith("u:"):
        return v[2:]
    if v.startswith("b:"):
        raw = bytes.fromhex(v[2:])
        if raw.startswith(b"\xfe\xff"):
            return raw[2:].decode("utf-16-be")
        return raw.decode("latin-1")
    return v


def pdf_date(s):
    m = re.fullmatch(r"D:(\d{4})(\d\d)?(\d\d)?(\d\d)?(\d\d)?(\d\d)?"
                     r"(?:([Z+-])(?:(\d\d)'?(\d\d)?'?)?)?", s or "")
    if not m:
        return None
    y, mo, d, h, mi, sec, sign, oh, om = m.groups()
    offset = datetime.timedelta(hours=int(oh or 0), minutes=int(om or 0))
    if sign == "-":
        offset = -offset
    return datetime.datetime(int(y), int(mo or 1), int(d or 1), int(h or 0),
                             int(mi or 0), int(sec or 0),
                             tzinfo=datetime.timezone(offset))


def xmp_date(s):
    try:
        return datetime.datetime.fromisoformat((s or "").replace("Z", "+00:00"))
    except ValueError:
        return None


CHECKS = []


def check(name):
    def register(f):
        CHECKS.append((name, f))
        return f
    return register


@check("6.1.2 header: %PDF-1.4 or later, then a comment of four bytes >= 128")
def _(pdf, ctx):
    with open(pdf.path, "rb") as f:
        head = f.read(64).split(b"\n")
    assert re.fullmatch(rb"%PDF-1\.[4-7]", head[0].rstrip(b"\r")), head[0]
    assert head[1].startswith(b"%") and len(head[1]) >= 5 and all(
        b >= 128 for b in head[1][1:5]), head[1]


@check("6.1.3 trailer /ID: two strings")
def _(pdf, ctx):
    ids = pdf.trailer.get("/ID")
    assert isinstance(ids, list) and len(ids) == 2, ids


@check("6.1.3 not encrypted: no /Encrypt")
def _(pdf, ctx):
    assert "/Encrypt" not in pdf.trailer


@check("6.1.7 streams: no /F external file, no LZWDecode")
def _(pdf, ctx):
    for entry in pdf.objects.values():
        if "stream" in entry:
            d = entry["stream"]["dict"]
            assert "/F" not in d and "/FFilter" not in d, d
            filters = d.get("/Filter", [])
            filters = filters if isinstance(filters, list) else [filters]
            assert "/LZWDecode" not in filters, d


@check("6.6.2 Info: no PDF/X keys and no empty value")
def _(pdf, ctx):
    info = pdf.obj(pdf.trailer.get("/Info")) or {}
    for key in ("/GTS_PDFXVersion", "/GTS_PDFXConformance", "/Identifier"):
        assert key not in info, f"{key} in Info"
    for key, value in info.items():
        assert text(value) not in ("", None) or not isinstance(value, str), \
            f"{key} is empty"


@check("6.6.2 XMP: uncompressed /Type /Metadata /Subtype /XML stream in the catalog")
def _(pdf, ctx):
    ref = pdf.catalog().get("/Metadata")
    assert ref and pdf.is_stream(ref), "no /Metadata stream"
    d = pdf.obj(ref)
    assert d.get("/Type") == "/Metadata" and d.get("/Subtype") == "/XML", d
    assert "/Filter" not in d, "compressed"
    raw = pdf.stream_data(ref, raw=True)
    assert raw.lstrip().startswith(b"<?xpacket begin="), raw[:40]
    ctx["xmp"] = ET.fromstring(re.sub(rb"<\?xpacket[^>]*\?>", b"", raw))


def xmp_value(xmp, path):
    node = xmp.find(f".//rdf:Description/{path}", NS)
    if node is None:
        # A property may be written as an attribute of rdf:Description.
        prefix, local = path.split("/")[0].split(":")
        for desc in xmp.iterfind(".//rdf:Description", NS):
            v = desc.get(f"{{{NS[prefix]}}}{local}")
            if v is not None:
                return v
        return None
    return (node.text or "").strip()


@check("6.6.4 XMP: pdfaid:part 2, pdfaid:conformance B")
def _(pdf, ctx):
    xmp = ctx["xmp"]
    assert xmp_value(xmp, "pdfaid:part") == "2", xmp_value(xmp, "pdfaid:part")
    assert xmp_value(xmp, "pdfaid:conformance") == "B"


@check("6.6.2.3 XMP mirrors Info: Title, Author, Subject, Creator, Producer, Keywords, dates")
def _(pdf, ctx):
    xmp = ctx["xmp"]
    info = pdf.obj(pdf.trailer.get("/Info")) or {}
    pairs = {
        "/Title": "dc:title/rdf:Alt/rdf:li",
        "/Author": "dc:creator/rdf:Seq/rdf:li",
        "/Subject": "dc:description/rdf:Alt/rdf:li",
        "/Creator": "xmp:CreatorTool",
        "/Producer": "pdf:Producer",
        "/Keywords": "pdf:Keywords",
    }
    for key, path in pairs.items():
        if key in info:
            assert xmp_value(xmp, path) == text(info[key]), \
                f"{key} {text(info[key])!r} vs XMP {xmp_value(xmp, path)!r}"
    authors = xmp.findall(".//dc:creator/rdf:Seq/rdf:li", NS)
    assert "/Author" not in info or len(authors) == 1, "dc:creator has one entry"
    for key, path in (("/CreationDate", "xmp:CreateDate"), ("/ModDate", "xmp:ModifyDate")):
        if key in info:
            a, b = pdf_date(text(info[key])), xmp_date(xmp_value(xmp, path))
            assert a and b and a == b, f"{key} {text(info[key])} vs XMP {xmp_value(xmp, path)}"
    assert "/Trapped" not in info or xmp_value(xmp, "pdf:Trapped"), "/Trapped not in XMP"


@check("6.2.3 output intent: one /GTS_PDFA1 intent with an embedded RGB ICC profile")
def _(pdf, ctx):
    intents = pdf.catalog().get("/OutputIntents")
    assert isinstance(intents, list) and intents, "no /OutputIntents"
    intents = [pdf.obj(i) for i in intents]
    pdfa = [i for i in intents if i.get("/S") == "/GTS_PDFA1"]
    assert len(pdfa) == 1, intents
    profiles = {i.get("/DestOutputProfile") for i in intents if "/DestOutputProfile" in i}
    assert len(profiles) == 1, "every intent's profile must be the same"
    ref = pdfa[0].get("/DestOutputProfile")
    assert ref and pdf.is_stream(ref), "no embedded DestOutputProfile"
    assert pdf.obj(ref).get("/N") == 3, pdf.obj(ref)
    ctx["icc"] = pdf.stream_data(ref)


@check("6.2.3 ICC profile: well formed, RGB, display or output class, version <= 4")
def _(pdf, ctx):
    icc = ctx["icc"]
    assert int.from_bytes(icc[0:4], "big") == len(icc), "declared size"
    assert icc[36:40] == b"acsp", "signature"
    assert icc[16:20] == b"RGB ", icc[16:20]
    assert icc[12:16] in (b"mntr", b"prtr"), icc[12:16]
    assert icc[8] <= 4, f"version {icc[8]}"
    try:
        from io import BytesIO
        from PIL import ImageCms
    except ImportError:
        print("  (Pillow absent: the profile was not opened with littleCMS)")
        return
    profile = ImageCms.ImageCmsProfile(BytesIO(icc))
    ImageCms.getProfileDescription(profile)  # littleCMS parsed it


@check("6.2.11 fonts: every font program embedded; Type2 CIDFonts have /CIDToGIDMap")
def _(pdf, ctx):
    fonts = [d for d in pdf.values() if d.get("/Type") == "/Font"]
    assert fonts, "no fonts"
    for f in fonts:
        sub = f.get("/Subtype")
        if sub in ("/Type3", "/Type0"):
            continue  # glyphs in the file / the descendant is checked
        desc = pdf.obj(f.get("/FontDescriptor"))
        assert desc, f"{f.get('/BaseFont')}: no /FontDescriptor"
        assert any(k in desc for k in ("/FontFile", "/FontFile2", "/FontFile3")), \
            f"{f.get('/BaseFont')} is not embedded"
        if sub == "/CIDFontType2":
            assert "/CIDToGIDMap" in f, f"{f.get('/BaseFont')}: no /CIDToGIDMap"


@check("6.6.1 actions: no JavaScript, Launch or other forbidden action; no /AA")
def _(pdf, ctx):
    catalog = pdf.catalog()
    assert "/AA" not in catalog and "/OpenAction" not in catalog or \
        pdf.obj(catalog.get("/OpenAction", {})).get("/S") not in FORBIDDEN_ACTIONS
    names = pdf.obj(catalog.get("/Names")) or {}
    assert "/JavaScript" not in names and "/EmbeddedFiles" not in names, names
    for d in pdf.values():
        assert d.get("/S") not in FORBIDDEN_ACTIONS, d
        assert "/JS" not in d, d
        if d.get("/Type") in ("/Page", "/Annot"):
            assert "/AA" not in d, d


@check("6.1.10/6.2.4 no external content: no /GoToR or URI-less remote streams, no /OPI, no PostScript")
def _(pdf, ctx):
    for d in pdf.values():
        assert d.get("/S") not in ("/GoToR", "/GoToE", "/SubmitForm"), d
        assert "/OPI" not in d, d
        assert d.get("/Subtype") != "/PS" and "/PS" not in d, d


@check("6.3 annotations: allowed types, Print flag set, none hidden")
def _(pdf, ctx):
    annots = [d for d in pdf.values() if d.get("/Type") == "/Annot" or
              d.get("/Subtype") in ("/Link", "/Widget", "/Text", "/Popup")]
    for a in annots:
        assert a.get("/Subtype") not in FORBIDDEN_ANNOTS, a
        flags = a.get("/F", 0)
        assert flags & PRINT and not flags & HIDING, f"/F {flags}: {a}"
        if a.get("/Subtype") not in ("/Link", "/Popup"):
            assert "/AP" in a, f"no appearance: {a}"
    ctx["annots"] = annots


@check("6.2.10 graphics state: no transfer functions, halftones or rendering-intent tricks")
def _(pdf, ctx):
    for d in pdf.values():
        if d.get("/Type") == "/ExtGState" or "/SMask" in d or "/BM" in d:
            assert "/TR" not in d and d.get("/TR2", "/Default") == "/Default", d
            assert "/HTP" not in d, d
        ri = d.get("/RI")
        assert ri in (None, "/RelativeColorimetric", "/AbsoluteColorimetric",
                      "/Perceptual", "/Saturation"), d


@check("catalog: /Lang set")
def _(pdf, ctx):
    assert text(pdf.catalog().get("/Lang")), "no /Lang"


@check("catalog: /PageMode is a name, /UseOutlines when there is an outline")
def _(pdf, ctx):
    catalog = pdf.catalog()
    mode = catalog.get("/PageMode")
    assert mode is None or (isinstance(mode, str) and mode.startswith("/")), mode
    if "/Outlines" in catalog:
        assert mode == "/UseOutlines", mode


@check("qpdf --check: no syntax or stream encoding errors")
def _(pdf, ctx):
    out = subprocess.run(["qpdf", "--check", pdf.path], capture_output=True, text=True)
    assert out.returncode == 0, out.stdout + out.stderr


STANDARD_ROLES = {
    "Document", "Part", "Art", "Sect", "Div", "BlockQuote", "Caption", "TOC",
    "TOCI", "Index", "NonStruct", "Private", "P", "H", "H1", "H2", "H3", "H4",
    "H5", "H6", "L", "LI", "Lbl", "LBody", "Table", "TR", "TH", "TD", "THead",
    "TBody", "TFoot", "Span", "Quote", "Note", "Reference", "BibEntry", "Code",
    "Link", "Annot", "Ruby", "Warichu", "Figure", "Formula", "Form",
}


def tagged(pdf, ctx):
    """Tagged PDF: marked, a structure tree of standard roles, and every
    marked-content sequence on every page found again through the parent
    tree, and balanced."""
    catalog = pdf.catalog()
    mark = pdf.obj(catalog.get("/MarkInfo")) or {}
    assert mark.get("/Marked") is True, "/MarkInfo /Marked true"
    root = pdf.obj(catalog.get("/StructTreeRoot"))
    assert root and root.get("/Type") == "/StructTreeRoot", "no /StructTreeRoot"
    nums = pdf.obj(root.get("/ParentTree", {})).get("/Nums", [])
    parent_tree = {nums[i]: pdf.obj(nums[i + 1]) for i in range(0, len(nums), 2)}
    for entry in pdf.objects.values():
        v = entry.get("value")
        if isinstance(v, dict) and v.get("/Type") == "/StructElem":
            assert v.get("/S", "/")[1:] in STANDARD_ROLES, f"role {v.get('/S')}"
    pages = [pdf.obj(ref) for ref in pdf.obj(catalog["/Pages"])["/Kids"]]
    for number, page in enumerate(pages, 1):
        contents = page.get("/Contents")
        refs = contents if isinstance(contents, list) else [contents]
        data = b"".join(pdf.stream_data(r) for r in refs)
        # One operator per line, as vetter writes them: the operator ends it.
        ops = re.findall(rb"(?m)(?:^|\s)(BDC|BMC|EMC)[ \t\r]*$", data)
        assert ops.count(b"EMC") == ops.count(b"BDC") + ops.count(b"BMC"), \
            f"page {number}: unbalanced marked content"
        mcids = [int(m) for m in
                 re.findall(rb"(?m)/MCID (\d+)\s*>>\s*BDC[ \t\r]*$", data)]
        assert len(mcids) == len(set(mcids)), f"page {number}: an MCID used twice"
        if not mcids:
            continue
        key = page.get("/StructParents")
        assert key in parent_tree, f"page {number}: no /StructParents in the parent tree"
        slots = parent_tree[key]
        for m in mcids:
            assert m < len(slots) and pdf.obj(slots[m]).get("/Type") == "/StructElem", \
                f"page {number}: MCID {m} leads to no structure element"


def main():
    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    if len(args) != 1:
        raise SystemExit(__doc__)
    pdf = Pdf(args[0])
    checks = list(CHECKS)
    if "--tagged" in sys.argv:
        checks.append(("Tagged PDF: /MarkInfo /Marked true and a structure tree", tagged))
    failed = 0
    ctx = {}
    for name, f in checks:
        try:
            f(pdf, ctx)
            print(f"ok {name}")
        except (AssertionError, KeyError, TypeError, ValueError, ET.ParseError) as e:
            failed += 1
            print(f"FAIL {name}: {type(e).__name__} {e}")
    print(f"{len(checks) - failed} passed, {failed} failed")
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
