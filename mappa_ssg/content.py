"""Read ``content/`` into the site model, collecting every problem on the way.

Order: site.yaml, then each area folder (area.yaml), then each year folder (report.yaml and its
Markdown sections, read in reports.py). Nothing is written here.
"""
from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import TYPE_CHECKING

from . import schema
from .editions import load_editions
from .images import accept_image
from .markdown import resolve_inside
from .model import ACCESSIBILITY_STATUSES, Accessibility, Area, Image, Link, Site
from .problems import Position, Problems, did_you_mean
from .reports import ReportReader
from .sitefiles import BASE_URL_MESSAGE, is_base_url
from .sources import MAX_TEXT_BYTES as _MAX_TEXT_BYTES, Unreadable, read_bytes, subfolders
from .versions import read_area_languages
from .yamlsource import Node, load_yaml

if TYPE_CHECKING:
    from .incremental import ModelCache

_SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
_LANGUAGE = re.compile(r"^[A-Za-z]{2,3}(?:-[A-Za-z0-9]{1,8})*$")
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


class Loader(ReportReader):
    """Reads site.yaml and the areas here; each area's reports are read by :class:`ReportReader`."""

    def __init__(self, project: Path, problems: Problems, cache: "ModelCache | None" = None, jobs: int | None = None):
        self.project = project
        self.jobs = jobs
        # Warnings about likely mistakes (lint.py): shown only once there is no error left.
        self.later = Problems()
        self.content = project / "content"
        self.problems = problems
        self.cache = cache

    # -- helpers -------------------------------------------------------------------------
    def rel(self, path: Path) -> str:
        return path.relative_to(self.project).as_posix()

    def read_text(self, path: Path) -> str | None:
        rel = self.rel(path)
        try:  # inside content/, an ordinary file, not too large: see sources.py
            data = read_bytes(path, self.content, _MAX_TEXT_BYTES)
        except Unreadable as exc:
            self.problems.add(Position(rel), str(exc))
            return None
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError as exc:
            line = data[: exc.start].count(b"\n") + 1
            col = exc.start - (data.rfind(b"\n", 0, exc.start) + 1) + 1
            self.problems.add(Position(rel, line, col), "is not UTF-8 text: save the file as UTF-8")
            return None
        return text.removeprefix("\ufeff").replace("\r\n", "\n")

    def read_yaml(self, path: Path) -> Node | None:
        return self.read_yaml_and_text(path)[0]

    def read_yaml_and_text(self, path: Path) -> tuple[Node | None, str | None]:
        """The YAML file's tree, and its text for the checks that read lines (REVIEW: notes)."""
        if not path.exists() and not path.is_symlink():  # a broken link or a loop is reported by read_text
            self.problems.add(Position(self.rel(path.parent)), f"{path.name} is missing")
            return None, None
        text = self.read_text(path)
        return (None, None) if text is None else (load_yaml(self.rel(path), text, self.problems), text)

    def language(self, node: Node | None) -> str | None:
        """A language tag like en-GB or cy: it becomes the pages' lang attribute, read by screen readers."""
        value = schema.text(node, self.problems, "language")
        if value and not _LANGUAGE.match(value):
            self.problems.add(node.where, f'language "{value[:40]}" is not a language code like en-GB or cy')
            return None
        return value

    def email(self, node: Node | None, what: str) -> str:
        value = schema.text(node, self.problems, what, required=False) or ""
        if value and not _EMAIL.match(value):
            self.problems.add(node.where, f'{what} "{value[:60]}" is not an email address')
            return ""
        return value

    # -- site ----------------------------------------------------------------------------
    def load(self) -> Site | None:
        editions = load_editions(self.project, self.problems)
        if not self.content.is_dir():
            self.problems.add(Position("content"), "the content folder is missing")
            return None
        site_node = self.read_yaml(self.content / "site.yaml")
        fields = site_node and schema.mapping(site_node, self.problems, "site", required=("title", "base_url", "publisher"),
                                optional=("language", "contact_email", "checks", "accessibility"), where=Position("content/site.yaml")) or {}
        language = self.language(fields.get("language")) or "en-GB"
        base_url = schema.text(fields.get("base_url"), self.problems, "base_url") or ""
        if base_url and not is_base_url(base_url):
            self.problems.add(fields["base_url"].where, BASE_URL_MESSAGE)
            base_url = ""
        # Read before the areas, so a problem here is reported even when an area has errors too.
        title = schema.text(fields.get("title"), self.problems, "title") or ""
        publisher = schema.text(fields.get("publisher"), self.problems, "publisher") or ""
        contact_email = self.email(fields.get("contact_email"), "contact_email")
        areas: list[Area] = []
        folders: list[tuple[Area, Path]] = []
        for folder in subfolders(self.content, self.content, self.problems, self.rel):
            if folder.name == "templates":
                continue
            area = self.load_area(folder, language)
            if area is None:
                if not _SLUG.match(folder.name):
                    continue
                # Keep checking the area's reports, so every problem shows in one run.
                area = Area(slug=folder.name, name=folder.name, short_name=folder.name, language=language)
            areas.append(area)
            for year_dir in subfolders(folder, self.content, self.problems, self.rel):
                folders.append((area, year_dir))
        loaded = [r for r in self.load_reports(folders, editions) if r is not None]
        reports = [r for r in loaded if not r.is_draft]
        draft_reports = [r for r in loaded if r.is_draft]
        if self.problems.errors:
            return None
        self.problems.extend(self.later.items)
        return Site(
            title=title,
            base_url=base_url if base_url.endswith("/") else base_url + "/",
            publisher=publisher,
            language=language,
            contact_email=contact_email,
            areas=tuple(areas),
            reports=tuple(reports),
            root=self.project,
            accessibility=self.accessibility(fields.get("accessibility")),
            drafts=tuple(draft_reports),
        )

    def accessibility(self, node: Node | None) -> Accessibility:
        """The optional ``accessibility`` block of site.yaml, for the accessibility statement."""
        if node is None:
            return Accessibility()
        fields = schema.mapping(node, self.problems, "accessibility", optional=("status", "reviewed", "known_issues", "contact_phone")) or {}
        status = schema.text(fields.get("status"), self.problems, "accessibility.status") or "partial"
        if status not in ACCESSIBILITY_STATUSES:
            self.problems.add(fields["status"].where, f'accessibility.status should be one of {", ".join(ACCESSIBILITY_STATUSES)}, not "{status}"{did_you_mean(status, ACCESSIBILITY_STATUSES)}')
        reviewed = schema.text(fields.get("reviewed"), self.problems, "accessibility.reviewed") or ""
        if reviewed:
            try:
                reviewed = dt.date.fromisoformat(reviewed).isoformat()
            except ValueError:
                self.problems.add(fields["reviewed"].where, f'accessibility.reviewed should be a date like 2025-03-31, not "{reviewed}"')
        issues = [schema.text(n, self.problems, "accessibility.known_issues entry", max_length=500)
                  for n in schema.sequence(fields.get("known_issues"), self.problems, "accessibility.known_issues") or ()]
        return Accessibility(status=status, reviewed=reviewed, known_issues=tuple(i for i in issues if i),
                             contact_phone=schema.text(fields.get("contact_phone"), self.problems, "accessibility.contact_phone") or "")

    # -- area ----------------------------------------------------------------------------
    def load_area(self, folder: Path, language: str) -> Area | None:
        rel = self.rel(folder)
        if not _SLUG.match(folder.name):
            self.problems.add(Position(rel), f'folder name "{folder.name}" should be lower case letters, digits and hyphens (it becomes the web address)')
            return None
        node = self.read_yaml(folder / "area.yaml")
        if node is None:  # unreadable: already reported
            return None
        fields = schema.mapping(node, self.problems, "area", required=("name",),
                                optional=("short_name", "language", "languages", "names", "links", "logo", "logo_alt"), where=Position(f"{rel}/area.yaml"))
        if fields is None:
            return None
        name = schema.text(fields.get("name"), self.problems, "name", max_length=120)
        links = tuple(filter(None, (self.link(n) for n in schema.sequence(fields.get("links"), self.problems, "links") or ())))
        logo = None
        if "logo" in fields:
            logo = self.logo(folder, fields)
        elif "logo_alt" in fields:
            self.problems.add(fields["logo_alt"].where, "logo_alt is given but there is no logo")
        main_language, languages, names = read_area_languages(self, fields, language)
        if name is None:
            return None
        return Area(
            slug=folder.name,
            name=name,
            short_name=schema.text(fields.get("short_name"), self.problems, "short_name", required=False) or name,
            language=main_language,
            links=links,
            logo=logo,
            languages=languages,
            names=names,
        )

    def logo(self, folder: Path, fields: dict[str, Node]) -> Image | None:
        src = schema.text(fields["logo"], self.problems, "logo")
        alt = schema.text(fields.get("logo_alt"), self.problems, "logo_alt") if "logo_alt" in fields else None
        if "logo_alt" not in fields:
            self.problems.add(fields["logo"].where, "logo needs logo_alt: a short description of the logo for people who cannot see it")
        if not src:
            return None
        source = resolve_inside(folder, src, self.content)
        if source is None:
            self.problems.add(fields["logo"].where, f'logo "{src}" points outside the content folder')
            return None
        if source.suffix.lower() not in (".png", ".jpg", ".jpeg", ".svg"):
            self.problems.add(fields["logo"].where, "logo should be a .png, .jpg or .svg file")
            return None
        checked = accept_image(source, src, fields["logo"].where, self.content, self.problems, "logo")  # a real image; SVG cleaned
        if checked is None:
            return None
        return Image(source, "logo" + source.suffix.lower(), alt or "", checked.svg, fields["logo"].where) if alt else None

    def link(self, node: Node) -> Link | None:
        fields = schema.mapping(node, self.problems, "link", required=("name",), optional=("phone", "email", "web", "note"))
        if fields is None:
            return None
        values = {k: schema.text(fields.get(k), self.problems, k, required=k == "name") or "" for k in ("name", "phone", "email", "web", "note")}
        if values["web"] and not re.match(r"^(https?://)?[\w.-]+\.[a-z]{2,}(/\S*)?$", values["web"], re.I):
            self.problems.add(fields["web"].where, f'web "{values["web"]}" is not a web address (like www.example.org.uk)')
            values["web"] = ""
        if values["email"] and not _EMAIL.match(values["email"]):
            self.problems.add(fields["email"].where, f'email "{values["email"]}" is not an email address')
        return Link(**values) if values["name"] else None


def load_site(project: Path, problems: Problems, cache: "ModelCache | None" = None, jobs: int | None = None) -> Site | None:
    """Load and validate the whole site; None if any error was found (all are in ``problems``).

    With a ``cache`` (builds, not ``check``), reports whose inputs are unchanged are not read again.
    Reports are read on ``jobs`` processes (default: one per CPU) when there are many.
    """
    return Loader(project, problems, cache, jobs).load()
