#!/usr/bin/env python3
"""Builds a small OpenType font with CFF outlines (an .otf, 'OTTO') from the
glyphs of a TrueType font, for the test of `--font` with a CFF face.

    make_cff_font.py SOURCE.ttf OUT.otf CHARACTERS

No CFF font that draws anything DejaVu Sans lacks ships in a small Debian
package, so the test makes one: each character's outline is read from SOURCE
(Droid Sans Fallback, Apache-2.0) and written as a Type 2 charstring. Needs
fontTools (Debian's python3-fonttools, for /usr/bin/python3).
"""

import sys

from fontTools.fontBuilder import FontBuilder
from fontTools.pens.t2CharStringPen import T2CharStringPen
from fontTools.ttLib import TTFont


def main(source, out, characters):
    font = TTFont(source)
    cmap = font.getBestCmap()
    glyphs = font.getGlyphSet()
    hmtx = font["hmtx"]
    missing = [c for c in characters if ord(c) not in cmap]
    if missing:
        sys.exit(f"{source} has no glyph for {missing}")
    order = [".notdef"]
    for c in characters:
        if cmap[ord(c)] not in order:
            order.append(cmap[ord(c)])
    charstrings = {}
    for name in order:
        pen = T2CharStringPen(glyphs[name].width, glyphs)
        glyphs[name].draw(pen)
        charstrings[name] = pen.getCharString()
    head, hhea = font["head"], font["hhea"]
    builder = FontBuilder(head.unitsPerEm, isTTF=False)
    builder.setupGlyphOrder(order)
    builder.setupCharacterMap({ord(c): cmap[ord(c)] for c in characters})
    ps_name = "VetterTestCFF-Regular"
    builder.setupCFF(ps_name, {"FullName": "Vetter Test CFF"}, charstrings, {})
    builder.setupHorizontalMetrics({name: hmtx[name] for name in order})
    builder.setupHorizontalHeader(ascent=hhea.ascent, descent=hhea.descent)
    builder.setupNameTable(
        {"familyName": "Vetter Test CFF", "styleName": "Regular", "psName": ps_name}
    )
    builder.setupOS2(
        sTypoAscender=hhea.ascent,
        sTypoDescender=hhea.descent,
        usWinAscent=hhea.ascent,
        usWinDescent=-hhea.descent,
    )
    builder.setupPost()
    builder.save(out)


if __name__ == "__main__":
    if len(sys.argv) != 4:
        sys.exit(__doc__)
    main(sys.argv[1], sys.argv[2], sys.argv[3])
