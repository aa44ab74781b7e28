#!/usr/bin/env python3
"""Build dpa.pdf from dpa.txt for the vetter DPA test corpus.

Each form feed (\\f) in dpa.txt starts a new PDF page, so the page on which
each expected term lands is fixed by the text file, not by the layout engine.
Every page's text is short enough to fit on one A4 page; the script fails if
any source page overflows onto a second PDF page.

Requires reportlab (pip install reportlab). Usage: python3 make_pdf.py
"""
import os
from xml.sax.saxutils import escape

from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import getSampleStyleSheet
from reportlab.lib.units import mm
from reportlab.platypus import PageBreak, Paragraph, SimpleDocTemplate, Spacer

HERE = os.path.dirname(os.path.abspath(__file__))


def main():
    with open(os.path.join(HERE, "dpa.txt"), encoding="utf-8") as f:
        pages = f.read().split("\f")

    styles = getSampleStyleSheet()
    body = styles["BodyText"]
    body.fontName = "Helvetica"
    body.fontSize = 10
    body.leading = 13

    story = []
    for n, page in enumerate(pages):
        if n:
            story.append(PageBreak())
        for block in page.strip().split("\n\n"):
            block = " ".join(block.split("\n"))
            story.append(Paragraph(escape(block), body))
            story.append(Spacer(1, 2 * mm))

    out = os.path.join(HERE, "dpa.pdf")
    footer_state = {}

    def footer(canvas, doc):
        canvas.setFont("Helvetica", 8)
        canvas.drawString(20 * mm, 10 * mm, "Orbitline DPA v3.0 - page %d" % doc.page)
        footer_state["pages"] = doc.page

    doc = SimpleDocTemplate(
        out, pagesize=A4, leftMargin=20 * mm, rightMargin=20 * mm,
        topMargin=20 * mm, bottomMargin=20 * mm,
        title="Orbitline Logistics DPA (synthetic test document)",
        author="vetter test corpus", invariant=1,
    )
    doc.build(story, onFirstPage=footer, onLaterPages=footer)
    if footer_state["pages"] != len(pages):
        raise SystemExit("expected %d pages, got %d: a page overflowed"
                         % (len(pages), footer_state["pages"]))
    print("wrote %s (%d pages)" % (out, len(pages)))


if __name__ == "__main__":
    main()
