#!/usr/bin/env python3
"""Writes the page shell (index.html) into the site without its comments and indentation.

The repository's index.html keeps its explanations for maintainers; a visitor downloads none of them (about 0.8 KB
gzipped of a page whose size is budgeted, tests/node/site_size.test.mjs). Safe for this file only, as it is written:
HTML comments, JavaScript comments on lines of their own, CSS block comments, leading blanks. No string in its
script spans lines or starts a line with //.
   minify_page.py INPUT OUTPUT
"""
import re
import sys

source = open(sys.argv[1], encoding='utf-8').read()
text = re.sub(r'<!--.*?-->\n?', '', source, flags=re.S)
text = re.sub(r'^[ \t]*//.*\n', '', text, flags=re.M)
text = re.sub(r'[ \t]*/\*.*?\*/', '', text, flags=re.S)
text = re.sub(r'^[ \t]+', '', text, flags=re.M)
with open(sys.argv[2], 'w', encoding='utf-8') as out:
    out.write(text)
