#!/usr/bin/python3
"""Cuts Noto Sans CJK SC (Debian's fonts-noto-cjk) down to the characters the page can show.

  cjk_subset.py FONT.ttc OUT.otf [--bare] [--text-file FILE]... [--text TEXT]

Keeps every CJK character (U+2E80 and above) found in the text files and texts given, plus CJK punctuation
(U+3000-303F) and the full-width forms (U+FF00-FFEF). The page's build gives it the 3,500 common characters
(web/fonts/common-hanzi-3500.txt), every row file of the string table and every built-in scenario, so Chinese
typed by a user is covered for the common characters and every built-in text is covered entirely.
--bare keeps only the characters of the texts (the few the page embeds to draw its language menu).
Run with Debian's python3 (where apt puts fontTools)."""
import sys

from fontTools import subset
from fontTools.ttLib import TTCollection

SIMPLIFIED_CHINESE = 'Noto Sans CJK SC'


def face_index(path):
    """The collection's index of the Simplified Chinese face (2 in Debian's file, looked up rather than assumed)."""
    for i, font in enumerate(TTCollection(path).fonts):
        if font['name'].getDebugName(4) == SIMPLIFIED_CHINESE:
            return i
    raise SystemExit(f'{path}: no "{SIMPLIFIED_CHINESE}" face')


def main(argv):
    if len(argv) < 3:
        raise SystemExit(__doc__)
    font, out, rest = argv[1], argv[2], argv[3:]
    chars = set(chr(c) for c in range(0x3000, 0x3040)) | set(chr(c) for c in range(0xFF00, 0xFFF0))
    if rest[:1] == ['--bare']:
        chars, rest = set(), rest[1:]
    i = 0
    while i < len(rest):
        flag, value = rest[i], rest[i + 1] if i + 1 < len(rest) else None
        if value is None or flag not in ('--text-file', '--text'):
            raise SystemExit(__doc__)
        text = open(value, encoding='utf-8').read() if flag == '--text-file' else value
        chars |= {c for c in text if ord(c) >= 0x2E80}
        i += 2
    options = subset.Options()
    options.font_number = face_index(font)
    options.layout_features = []          # the page shapes nothing: one glyph per character
    options.hinting = False
    options.desubroutinize = True         # simpler CFF for stb_truetype, and it compresses better
    options.name_IDs = ['*']              # keep the names: the licence notice travels with the font
    loaded = subset.load_font(font, options)
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=sorted(ord(c) for c in chars))
    subsetter.subset(loaded)
    subset.save_font(loaded, out, options)
    print(f'{out}: {len(chars)} characters')


if __name__ == '__main__':
    main(sys.argv)
