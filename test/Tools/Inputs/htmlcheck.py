"""Checks a wse-report page (test/Tools/wse-report.test): the HTML parses
with every non-void element closed in order, every inline <svg> parses as
XML, and prints for FileCheck the headings, the number of rectangles per
SVG class and the layer table's ONNX node column."""
import re
import sys
import xml.etree.ElementTree as ET
from html.parser import HTMLParser

VOID = {"meta", "br", "img", "input", "link", "hr"}
SVG_NS = "{http://www.w3.org/2000/svg}"


class Page(HTMLParser):
    def __init__(self):
        super().__init__()
        self.stack, self.headings, self.cells = [], [], []
        self.row = None
        self.text = None

    def handle_starttag(self, tag, attrs):
        if tag in VOID:
            return
        self.stack.append(tag)
        if tag == "tr":
            self.row = []
        if tag in ("h1", "h2", "td"):
            self.text = ""

    def handle_startendtag(self, tag, attrs):
        pass

    def handle_endtag(self, tag):
        if tag in VOID:
            return
        if not self.stack or self.stack[-1] != tag:
            sys.exit("unbalanced </%s> at %s (open: %s)" %
                     (tag, self.getpos(), self.stack[-3:]))
        self.stack.pop()
        if tag in ("h1", "h2"):
            self.headings.append(self.text)
        if tag == "td" and self.row is not None:
            self.row.append(self.text)
        if tag == "tr" and self.row:
            self.cells.append(self.row)
        if tag in ("h1", "h2", "td"):
            self.text = None

    def handle_data(self, data):
        if self.text is not None:
            self.text += data


text = open(sys.argv[1]).read()
assert text.startswith("<!DOCTYPE html>"), "no doctype"
page = Page()
page.feed(text)
page.close()
if page.stack:
    sys.exit("unclosed elements: %s" % page.stack)
print("html ok")
for h in page.headings:
    print("heading:", h)
for svg in re.findall(r"<svg\b.*?</svg>", text, re.S):
    root = ET.fromstring(svg)
    rects = root.iter(SVG_NS + "rect") if root.tag.startswith(SVG_NS) else \
        root.iter("rect")
    cls = root.get("class")
    if cls:
        print("svg %s: %d rects" % (cls, len(list(rects))))
for row in page.cells:
    if len(row) == 5:  # the training step's phase table
        print("phase %s ops %s" % (row[0], row[1]))
        continue
    print("layer %s %s %s emulated %s" % (row[0], row[1], row[2], row[5]))
