"""Narrative Markdown: one configured parser, front matter, and the rules that keep it safe.

Raw HTML is off (shown as text), markdown-it's link validation refuses ``javascript:`` and
similar URLs, headings are moved down one level under the section's own heading, and images
must be files inside the report's content folder with a description.
"""
from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from urllib.parse import unquote, urlparse

from markdown_it import MarkdownIt
from markdown_it.token import Token

from .headings import Heading
from .images import accept_image
from .model import Image
from .problems import Position, Problems
from .yamlsource import Node, load_yaml

_FRONT = "---"


def _parser() -> MarkdownIt:
    md = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False})
    md.enable(["table", "strikethrough"])
    return md


_MD = _parser()


@dataclass
class RenderedMarkdown:
    html: str
    images: list[Image] = field(default_factory=list)
    has_list: bool = False
    is_empty: bool = False
    # The author's headings, in the levels they wrote: headings.py checks them from this one parse.
    headings: list[Heading] = field(default_factory=list)


def split_front_matter(path: str, text: str, problems: Problems) -> tuple[Node | None, str, int]:
    """Return (front matter node or None, body, line number where the body starts)."""
    if text.split("\n", 1)[0].strip() != _FRONT:  # most files: no settings, no need to split every line
        return None, text, 1
    lines = text.split("\n")
    for index in range(1, len(lines)):
        if lines[index].strip() == _FRONT:
            # Pad with one blank line so YAML line numbers match the file's.
            yaml_text = "\n" + "\n".join(lines[1:index])
            node = load_yaml(path, yaml_text, problems)
            return node, "\n".join(lines[index + 1 :]), index + 2
    problems.add(Position(path, 1, 1), 'settings block opened with "---" is never closed with "---"')
    return None, text, 1


# markdown-it-py rescans the rest of a paragraph for each unmatched "[", "*", "<"... (a 1 MB file
# of "[" took 35 s). A block costs about (its markup characters) x (its length), so a file whose
# blocks add up to more than this budget is refused unparsed: the worst file under it parses in
# a few tenths of a second (`pathological_check_s` in make bench), and the heaviest real
# narrative seen (the benchmark archive, the example reports) stays 250 times below it.
MARKUP_BUDGET = 5_000_000
_MARKUP = "[*_<`|~"
_FENCES = ("```", "~~~")


def too_complex(body: str) -> tuple[int, int] | None:
    """(0-based line of the heaviest block, the file's cost) when over the budget, else None.

    Blocks are runs of lines between blank lines (no inline element spans a blank line); fenced
    code, never parsed for markup, is left out. Linear time: ``str.count`` over each block.
    """
    if sum(body.count(c) for c in _MARKUP) * len(body) <= MARKUP_BUDGET:
        return None  # the whole file as one block is within the budget, so every split of it is
    lines = body.split("\n")
    total, heaviest, where, start, fence = 0, 0, 0, 0, None
    for index, line in enumerate([*lines, ""]):
        stripped = line.lstrip()
        if fence is not None:
            fence = None if stripped.startswith(fence) else fence
            start = index + 1
        elif stripped.startswith(_FENCES) and index == start:
            fence, start = stripped[:3], index + 1
        elif not stripped:
            block = "\n".join(lines[start:index])
            cost = sum(block.count(c) for c in _MARKUP) * len(block)
            total += cost
            if cost > heaviest:
                heaviest, where = cost, start
            start = index + 1
    return (where, total) if total > MARKUP_BUDGET else None


def render_markdown(path: str, body: str, first_line: int, folder: Path, content_root: Path, problems: Problems) -> RenderedMarkdown:
    """Render a section body; ``folder`` is the Markdown file's folder (images resolve there)."""
    heavy = too_complex(body)
    if heavy is not None:  # refused before parsing: see MARKUP_BUDGET
        problems.add(Position(path, first_line + heavy[0], 1),
                     "too many of the characters [ * _ < ` | ~ to check in time (this paragraph has the most): "
                     "is this really the text of the section? Remove the stray characters, or split the file")
        return RenderedMarkdown(html="", is_empty=False)
    tokens = _MD.parse(body)
    result = RenderedMarkdown(html="")
    for index, token in enumerate(tokens):
        if token.type == "heading_open":
            written = int(token.tag[1])
            text = tokens[index + 1].content if index + 1 < len(tokens) else ""
            result.headings.append(Heading(written, first_line + (token.map[0] if token.map else 0), bool(text.strip())))
            # The section title is <h2>; the author's headings sit below it.
            token.tag = f"h{min(6, max(3, written + 1))}"
        elif token.type == "heading_close":
            token.tag = tokens[index - 2].tag  # heading_open, inline, heading_close
        elif token.type in ("bullet_list_open", "ordered_list_open"):
            result.has_list = True
        elif token.type == "inline" and token.children:
            line = first_line + (token.map[0] if token.map else 0)
            for child in token.children:
                if child.type == "image":
                    _image(child, Position(path, line, 1), folder, content_root, problems, result)
                elif child.type == "link_open":
                    child.attrSet("rel", "noopener")
    result.is_empty = not any(t.type == "inline" and t.content.strip() for t in tokens)
    result.html = _MD.renderer.render(tokens, _MD.options, {})
    return result


def _image(token: Token, where: Position, folder: Path, content_root: Path, problems: Problems, result: RenderedMarkdown) -> None:
    src = str(token.attrGet("src") or "")
    alt = "".join(c.content for c in token.children or []).strip()
    if not alt:
        problems.add(where, f'image "{src}" has no description: write ![what the image shows]({src})')
    parsed = urlparse(src)
    if parsed.scheme or parsed.netloc:
        problems.add(where, f'image "{src}" is not a file in the report folder: pages may not load anything from other sites')
        return
    source = resolve_inside(folder, unquote(parsed.path), content_root)
    if source is None:
        problems.add(where, f'image "{src}" points outside the content folder')
        return
    checked = accept_image(source, src, where, content_root, problems)  # a real image; SVG cleaned
    if checked is None:
        return
    name = source.name
    token.attrSet("src", name)
    result.images.append(Image(source, name, alt, checked.svg, where))


def resolve_inside(folder: Path, relative: str, root: Path) -> Path | None:
    """``folder/relative`` if it stays inside ``root`` (after resolving links), else None."""
    if not relative or PurePosixPath(relative).is_absolute() or "\\" in relative or "\x00" in relative:
        return None
    try:
        candidate = (folder / relative).resolve()
    except (RuntimeError, OSError):  # a link loop: left for the reader to report (sources.py)
        candidate = Path(os.path.normpath(folder / relative))
    try:
        candidate.relative_to(root.resolve())
    except ValueError:
        return None
    return candidate
