"""Images and logos from content: only real images, and SVG made safe before it is published.

An image is accepted when its bytes are a PNG, JPEG, GIF or WebP image, or SVG, and its name
ends in the matching extension (a ``.png`` that is really HTML is refused, and so is
``![x](extra.html)``).

SVG is XML that a browser runs as a document when its address is opened, and that WeasyPrint
follows when it draws the PDF, so an SVG is rebuilt from an allow-list instead of copied:

- only drawing elements (shapes, text, gradients, ...) and their presentation attributes are
  kept; ``script``, ``foreignObject``, animation and anything unknown (editor metadata) go;
- every ``on...`` event attribute goes;
- a reference (``href``, ``xlink:href``, ``url(...)`` in attributes and in ``<style>``) is kept
  only when it points inside the same file (``#id``); ``<image>`` is dropped, as it always
  loads another file;
- a document type declaration (and so any entity) refuses the file: that is how "billion
  laughs" and reads of local files through external entities start.

Removing something an author may have meant is a warning (``--strict`` makes it an error), so
they learn why the logo lost it; harmless editor metadata is dropped silently.
"""
from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from pathlib import Path
from xml.parsers import expat
from xml.sax.saxutils import escape, quoteattr

from .model import Image
from .problems import Position, Problems
from .sources import MAX_IMAGE_BYTES, Unreadable, read_bytes

SVG_NS = "http://www.w3.org/2000/svg"
XLINK_NS = "http://www.w3.org/1999/xlink"
XML_NS = "http://www.w3.org/XML/1998/namespace"

# Extension -> the kind its bytes must be.
KINDS = {".png": "png", ".jpg": "jpeg", ".jpeg": "jpeg", ".gif": "gif", ".webp": "webp", ".svg": "svg"}
EXTENSIONS = ", ".join(sorted(KINDS))

_ELEMENTS = frozenset("""
svg g defs title desc symbol use switch
path rect circle ellipse line polyline polygon
text tspan textPath
linearGradient radialGradient stop pattern clipPath mask marker
filter feBlend feColorMatrix feComponentTransfer feComposite feFlood feGaussianBlur feMerge
feMergeNode feOffset feFuncR feFuncG feFuncB feFuncA feMorphology feDropShadow
style
""".split())
_ATTRIBUTES = frozenset("""
id class style lang transform viewBox preserveAspectRatio width height x y x1 y1 x2 y2 cx cy r rx ry
d points pathLength fill fill-opacity fill-rule stroke stroke-width stroke-opacity stroke-linecap
stroke-linejoin stroke-dasharray stroke-dashoffset stroke-miterlimit opacity color display
visibility overflow clip-path clip-rule mask filter marker-start marker-mid marker-end
font-family font-size font-weight font-style font-variant letter-spacing word-spacing
text-anchor dominant-baseline alignment-baseline baseline-shift text-decoration writing-mode
dx dy rotate textLength lengthAdjust startOffset
offset stop-color stop-opacity gradientUnits gradientTransform spreadMethod fx fy fr
patternUnits patternContentUnits patternTransform clipPathUnits maskUnits maskContentUnits
markerWidth markerHeight markerUnits refX refY orient
filterUnits primitiveUnits in in2 result stdDeviation mode type values operator k1 k2 k3 k4
flood-color flood-opacity radius tableValues slope intercept amplitude exponent
href version role aria-label aria-hidden focusable shape-rendering text-rendering
image-rendering color-interpolation-filters vector-effect paint-order mix-blend-mode isolation
""".split())
# Dangerous on purpose, not just unknown: removing these is worth telling the author about.
_WARN_ELEMENTS = frozenset({"script", "foreignObject", "image", "iframe", "embed", "object", "a",
                            "animate", "set", "animateTransform", "animateMotion", "handler", "feImage"})
_MAX_DEPTH = 200  # drawings from design programs nest a dozen levels
_URL = re.compile(r"url\(\s*(['\"]?)(.*?)\1\s*\)", re.I | re.S)
_IMPORT = re.compile(r"@import|expression\s*\(", re.I)


@dataclass
class CheckedImage:
    """What :func:`check_image` found: the kind, the bytes to publish for SVG, what was removed."""

    kind: str
    svg: bytes | None = None  # the cleaned SVG (None for other kinds: they are copied)
    removed: list[str] = field(default_factory=list)


class NotAnImage(Exception):
    """Why a file cannot be used as an image; the message completes 'image "x" ...'."""


def check_image(path: Path, root: Path) -> CheckedImage:
    """Read ``path`` (inside ``root``) safely and check it is the image its name says."""
    expected = KINDS.get(path.suffix.lower())
    if expected is None:
        raise NotAnImage(f"is not an image file: use a {EXTENSIONS} file")
    try:
        data = read_bytes(path, root, MAX_IMAGE_BYTES)
    except Unreadable as exc:
        raise NotAnImage(str(exc)) from None
    kind = sniff(data)
    if kind != expected:
        found = f"its content is {_KIND_NAMES[kind]}" if kind else "its content is not an image"
        raise NotAnImage(f"is named {path.suffix.lower()} but {found}: save it as {_KIND_NAMES[expected]}")
    if kind != "svg":
        return CheckedImage(kind)
    svg, removed = clean_svg(data)
    return CheckedImage(kind, svg, removed)


def accept_image(source: Path, src: str, where: Position, root: Path, problems: Problems, what: str = "image") -> CheckedImage | None:
    """:func:`check_image`, with its refusal or the SVG parts removed reported at ``where``."""
    try:
        checked = check_image(source, root)
    except NotAnImage as exc:
        problems.add(where, f'{what} "{src}" {exc}')
        return None
    if checked.removed:
        problems.warn(where, f'{what} "{src}" is published without {", ".join(checked.removed)}: '
                             "an image may not run scripts or load other files")
    return checked


def distinct_images(images: list[Image], problems: Problems) -> list[Image]:
    """A report's images, each output name once: the same file used twice is published once;
    two files with one name (``a/map.png`` and ``b/map.png``) or a name mappa's charts use are
    reported where the later one is named."""
    first: dict[str, Image] = {}
    for image in images:
        where = image.where or Position("content")
        if _CHART_NAME.fullmatch(image.output_name):
            problems.add(where, f'image "{image.output_name}" has the name of one of the charts mappa draws: rename the file')
        elif image.output_name not in first:
            first[image.output_name] = image
        elif first[image.output_name].source != image.source:
            earlier = first[image.output_name].where
            at = f" (first used at {earlier.path}:{earlier.line}:{earlier.col})" if earlier else ""
            problems.add(where, f'image "{image.output_name}" has the same file name as another image{at}: '
                                "images are published side by side, so rename one of them")
    return list(first.values())


_CHART_NAME = re.compile(r"chart-.*\.svg", re.I)
_KIND_NAMES = {"png": "a PNG image", "jpeg": "a JPEG image", "gif": "a GIF image", "webp": "a WebP image", "svg": "an SVG image"}


def sniff(data: bytes) -> str | None:
    """The image kind the bytes start with (magic numbers; SVG by its root element), or None."""
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if data.startswith(b"\xff\xd8\xff"):
        return "jpeg"
    if data[:6] in (b"GIF87a", b"GIF89a"):
        return "gif"
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "webp"
    head = data[:4096].lstrip(b"\xef\xbb\xbf \t\r\n")
    if head.startswith(b"<") and re.search(rb"<svg[\s>]", head):
        return "svg"
    return None


# -- SVG ------------------------------------------------------------------------------------------
class _Builder:
    """Builds an ElementTree from expat events, refusing any document type declaration."""

    def __init__(self) -> None:
        self.root: ET.Element | None = None
        self.stack: list[ET.Element] = []

    def start(self, name: str, attrs: dict[str, str]) -> None:
        if len(self.stack) >= _MAX_DEPTH:  # cleaning and writing recurse: keep them far from the limit
            raise NotAnImage(f"is an SVG nested more than {_MAX_DEPTH} elements deep: simplify the drawing")
        element = ET.Element(_qualified(name), {_qualified(k): v for k, v in attrs.items()})
        if self.stack:
            self.stack[-1].append(element)
        else:
            self.root = element
        self.stack.append(element)

    def end(self, name: str) -> None:
        self.stack.pop()

    def text(self, data: str) -> None:
        if not self.stack:
            return
        parent = self.stack[-1]
        if len(parent):
            parent[-1].tail = (parent[-1].tail or "") + data
        else:
            parent.text = (parent.text or "") + data


def _qualified(name: str) -> str:
    # expat with namespace_separator=" " gives "uri local"; ElementTree spells it "{uri}local".
    uri, _, local = name.rpartition(" ")
    return f"{{{uri}}}{local}" if uri else local


def _refuse_doctype(*_args: object) -> None:
    raise NotAnImage("is an SVG with a document type declaration (<!DOCTYPE ...>): remove it (it can pull in other files)")


def parse_svg(data: bytes) -> ET.Element:
    builder = _Builder()
    parser = expat.ParserCreate(namespace_separator=" ")
    parser.StartDoctypeDeclHandler = _refuse_doctype
    parser.EntityDeclHandler = _refuse_doctype
    parser.ExternalEntityRefHandler = _refuse_doctype
    parser.SetParamEntityParsing(expat.XML_PARAM_ENTITY_PARSING_NEVER)
    parser.StartElementHandler = builder.start
    parser.EndElementHandler = builder.end
    parser.CharacterDataHandler = builder.text
    parser.buffer_text = True
    try:
        parser.Parse(data, True)
    except expat.ExpatError as exc:
        raise NotAnImage(f"is not a readable SVG image (line {exc.lineno}: {expat.ErrorString(exc.code)})") from None
    if builder.root is None or builder.root.tag != f"{{{SVG_NS}}}svg":
        raise NotAnImage('is not an SVG image: its first element is not <svg xmlns="http://www.w3.org/2000/svg">')
    return builder.root


def clean_svg(data: bytes) -> tuple[bytes, list[str]]:
    """The SVG rebuilt from the allow-list, and what was removed that the author should know of."""
    root = parse_svg(data)
    removed: list[str] = []
    _clean(root, removed)
    root.set("xmlns", SVG_NS)
    return (_serialise(root) + "\n").encode("utf-8"), sorted(set(removed))


def _serialise(element: ET.Element) -> str:
    # After _clean every element is SVG and every attribute plain or xml:, so this small writer
    # is enough (ElementTree's own would invent ns0: prefixes).
    name = _local(element.tag)[1]
    attributes = "".join(f" {_attribute_name(k)}={quoteattr(v)}" for k, v in element.attrib.items())
    inner = escape(element.text or "") + "".join(_serialise(child) + escape(child.tail or "") for child in element)
    return f"<{name}{attributes}>{inner}</{name}>" if inner else f"<{name}{attributes}/>"


def _attribute_name(name: str) -> str:
    uri, local = _local(name)
    return f"xml:{local}" if uri == XML_NS else local


def _local(tag: str) -> tuple[str, str]:
    if tag.startswith("{"):
        uri, _, local = tag[1:].partition("}")
        return uri, local
    return "", tag


def _clean(element: ET.Element, removed: list[str]) -> None:
    for child in list(element):
        uri, local = _local(child.tag) if isinstance(child.tag, str) else ("", "")
        if uri != SVG_NS or local not in _ELEMENTS:
            if local in _WARN_ELEMENTS:
                removed.append(f"<{local}>")
            _drop(element, child)
            continue
        if local == "style" and not _safe_css(child.text or ""):
            removed.append("<style> that loads other files")
            _drop(element, child)
            continue
        _clean(child, removed)
    for name in list(element.attrib):
        uri, local = _local(name)
        value = element.attrib[name]
        if local.lower().startswith("on"):
            removed.append(f"{local}= (a script)")
            del element.attrib[name]
        elif uri == XLINK_NS and local == "href" or (not uri and local == "href"):
            del element.attrib[name]
            if value.strip().startswith("#"):
                element.set("href", value.strip())  # SVG 2 spelling: no xlink namespace needed
            else:
                removed.append(f'href="{value[:60]}" (another file)')
        elif uri == XML_NS and local in ("space", "lang"):
            continue
        elif uri or local not in _ATTRIBUTES:
            del element.attrib[name]
        elif not _safe_css(value):
            removed.append(f'{local}="{value[:60]}" (another file)')
            del element.attrib[name]


def _safe_css(text: str) -> bool:
    """No @import, and every url(...) points inside the same file."""
    if _IMPORT.search(text):
        return False
    return all(m.group(2).strip().startswith("#") for m in _URL.finditer(text))


def _drop(parent: ET.Element, child: ET.Element) -> None:
    # Keep the text that followed the removed element (it belongs to the parent).
    if child.tail:
        index = list(parent).index(child)
        if index:
            previous = parent[index - 1]
            previous.tail = (previous.tail or "") + child.tail
        else:
            parent.text = (parent.text or "") + child.tail
    parent.remove(child)
