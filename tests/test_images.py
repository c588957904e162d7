"""Only real images are published, SVG is cleaned, and the PDF reads nothing outside the site
being built: issue 11, item 3 (and image-name collisions, item 8)."""
import http.server
import struct
import threading
import xml.etree.ElementTree as ET
import zlib
from pathlib import Path

import pytest

from conftest import LLR, edit
from mappa_ssg import build, check
from mappa_ssg.images import clean_svg, sniff

YEAR = f"content/{LLR}/2014-15"
PAGE = f"{YEAR}/local-page.md"
SVG = "{http://www.w3.org/2000/svg}"


def png(width: int = 2, height: int = 1) -> bytes:
    """A real, tiny PNG."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
    rows = b"".join(b"\0" + b"\xff\x00\x00" * width for _ in range(height))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b""))


class Counter(http.server.BaseHTTPRequestHandler):
    requests: list[str] = []

    def do_GET(self):  # noqa: N802 (the standard library's name)
        Counter.requests.append(self.path)
        body = png()
        self.send_response(200)
        self.send_header("Content-Type", "image/png")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


@pytest.fixture
def server():
    """A web server on 127.0.0.1 that counts the requests it gets."""
    Counter.requests = []
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Counter)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_port}"
    httpd.shutdown()
    httpd.server_close()


def hostile_svg(base: str, secret: Path) -> str:
    return f"""<?xml version="1.0"?>
<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" width="40" height="20" onload="alert(1)">
  <script>alert(document.cookie)</script>
  <style>@import url("{base}/style.css"); .a {{ fill: url({base}/fill.png) }} .b {{ fill: #123456 }}</style>
  <defs><linearGradient id="g"><stop offset="0" stop-color="#fff"/></linearGradient></defs>
  <rect id="box" width="40" height="20" fill="url(#g)" onclick="alert(2)" style="fill: url('{base}/x.png')"/>
  <image href="{base}/tracker.png" width="10" height="10"/>
  <image xlink:href="file://{secret}" width="10" height="10"/>
  <use xlink:href="#box"/>
  <use href="{base}/sprite.svg#icon"/>
  <a href="javascript:alert(3)"><text x="1" y="10">hi</text></a>
  <foreignObject><div xmlns="http://www.w3.org/1999/xhtml">SECRET-HTML</div></foreignObject>
  <text x="2" y="18" class="b">Kept text</text>
</svg>
"""


def add_image(project: Path, markdown: str, files: dict[str, bytes | str]) -> None:
    for name, data in files.items():
        target = project / YEAR / name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data if isinstance(data, bytes) else data.encode("utf-8"))
    with open(project / PAGE, "a", encoding="utf-8") as handle:
        handle.write("\n\n" + markdown + "\n")


def line_of(project: Path, rel: str, needle: str) -> int:
    return next(i for i, line in enumerate((project / rel).read_text(encoding="utf-8").splitlines(), 1) if needle in line)


def errors(project: Path) -> list[str]:
    return [str(p) for p in check(project).errors]


def test_sniff_knows_images_by_their_bytes():
    assert sniff(png()) == "png"
    assert sniff(b"\xff\xd8\xff\xe0rest") == "jpeg"
    assert sniff(b"GIF89a....") == "gif"
    assert sniff(b"RIFF\0\0\0\0WEBPVP8 ") == "webp"
    assert sniff(b'\xef\xbb\xbf<?xml version="1.0"?>\n<svg xmlns="http://www.w3.org/2000/svg"/>') == "svg"
    assert sniff(b"<!doctype html><html><script>alert(1)</script>") is None


def test_a_file_that_is_not_an_image_is_refused_with_its_position(project):
    add_image(project, "![The extra page](extra.html)", {"extra.html": "<script>alert(1)</script>"})
    line = line_of(project, PAGE, "extra.html")
    assert errors(project) == [f'{PAGE}:{line}:1: image "extra.html" is not an image file: use a .gif, .jpeg, .jpg, .png, .svg, .webp file']


def test_a_png_that_is_really_html_is_refused(project):
    add_image(project, "![A map](map.png)", {"map.png": "<!doctype html><script>alert(1)</script>"})
    line = line_of(project, PAGE, "map.png")
    assert errors(project) == [f'{PAGE}:{line}:1: image "map.png" is named .png but its content is not an image: save it as a PNG image']


def test_an_svg_named_png_is_refused(project):
    add_image(project, "![A map](map.png)", {"map.png": '<svg xmlns="http://www.w3.org/2000/svg"/>'})
    line = line_of(project, PAGE, "map.png")
    assert errors(project) == [f'{PAGE}:{line}:1: image "map.png" is named .png but its content is an SVG image: save it as a PNG image']


def test_a_real_png_is_published_as_it_is(project):
    add_image(project, "![A red dot](dot.png)", {"dot.png": png()})
    result = build(project, pdf=False)
    assert result.ok, [str(p) for p in result.problems]
    assert (project / "output" / LLR / "2014-15" / "dot.png").read_bytes() == png()


def test_an_image_linked_to_etc_passwd_is_refused(project):
    (project / YEAR / "secret.png").symlink_to("/etc/passwd")
    add_image(project, "![A secret](secret.png)", {})
    line = line_of(project, PAGE, "secret.png")
    assert errors(project) == [f'{PAGE}:{line}:1: image "secret.png" points outside the content folder']


def test_svg_is_published_without_script_handlers_or_outside_references(project, tmp_path, server):
    secret = tmp_path / "secret.txt"
    secret.write_text("SECRET-FILE", encoding="utf-8")
    add_image(project, "![A hostile drawing](drawing.svg)", {"drawing.svg": hostile_svg(server, secret)})
    line = line_of(project, PAGE, "drawing.svg")
    result = build(project, pdf=True, jobs=1)
    assert result.ok, [str(p) for p in result.problems]
    warnings = [str(p) for p in result.warnings]
    assert len(warnings) == 1 and warnings[0].startswith(f'{PAGE}:{line}:1: warning: image "drawing.svg" is published without ')
    for removed in ("<script>", "<foreignObject>", "<image>", "onload= (a script)", "onclick= (a script)", "<style> that loads other files"):
        assert removed in warnings[0], removed
    published = (project / "output" / LLR / "2014-15" / "drawing.svg").read_text(encoding="utf-8")
    root = ET.fromstring(published)
    tags = {e.tag.removeprefix(SVG) for e in root.iter()}
    assert tags == {"svg", "defs", "linearGradient", "stop", "rect", "use", "text"}, tags
    for element in root.iter():
        for name, value in element.attrib.items():
            assert not name.lower().startswith("on"), (element.tag, name)
            assert "http" not in value and "file:" not in value and "javascript" not in value, (element.tag, name, value)
            if name.endswith("href"):
                assert value.startswith("#")
    assert "Kept text" in published and 'fill="url(#g)"' in published
    assert "SECRET" not in published and "alert" not in published
    # The PDF was drawn from the cleaned SVG: no request left the machine for it, nothing outside was read.
    assert Counter.requests == []
    from pypdf import PdfReader
    text = "".join(page.extract_text() for page in PdfReader(next((project / "output" / LLR / "2014-15").glob("*.pdf"))).pages)
    assert "SECRET" not in text


@pytest.mark.parametrize("svg", [
    '<?xml version="1.0"?><!DOCTYPE svg [<!ENTITY x SYSTEM "file:///etc/passwd">]><svg xmlns="http://www.w3.org/2000/svg"><text>&x;</text></svg>',
    '<!DOCTYPE svg [<!ENTITY a "aaaa"><!ENTITY b "&a;&a;&a;">]><svg xmlns="http://www.w3.org/2000/svg"><text>&b;</text></svg>',
])
def test_svg_with_a_document_type_is_refused(project, svg):
    add_image(project, "![A drawing](drawing.svg)", {"drawing.svg": svg})
    line = line_of(project, PAGE, "drawing.svg")
    assert errors(project) == [f'{PAGE}:{line}:1: image "drawing.svg" is an SVG with a document type declaration '
                               "(<!DOCTYPE ...>): remove it (it can pull in other files)"]


def test_svg_that_is_not_svg_or_not_xml_is_refused(project):
    add_image(project, "![One](one.svg)\n\n![Two](two.svg)", {
        "one.svg": '<svg xmlns="http://www.w3.org/2000/svg"><rect></svg>',
        "two.svg": '<html><body><svg xmlns="http://www.w3.org/2000/svg"/></body></html>',
    })
    assert errors(project) == [
        f'{PAGE}:{line_of(project, PAGE, "one.svg")}:1: image "one.svg" is not a readable SVG image (line 1: mismatched tag)',
        f'{PAGE}:{line_of(project, PAGE, "two.svg")}:1: image "two.svg" is not an SVG image: its first element is not <svg xmlns="http://www.w3.org/2000/svg">',
    ]


def test_the_example_logo_is_published_unchanged_in_meaning(example_site):
    root = ET.fromstring((example_site / "merseyside" / "logo.svg").read_text(encoding="utf-8"))
    original = ET.parse(Path(__file__).parent.parent / "content" / "merseyside" / "logo.svg").getroot()
    assert [(e.tag, e.attrib, (e.text or "").strip()) for e in root.iter()] == \
           [(e.tag, e.attrib, (e.text or "").strip()) for e in original.iter()]


def test_a_hostile_logo_is_cleaned_too(project, server, tmp_path):
    logo = project / "content" / "merseyside" / "logo.svg"
    logo.write_text(hostile_svg(server, tmp_path / "nothing"), encoding="utf-8")
    result = build(project, pdf=False)
    assert result.ok
    assert [p.path for p in result.warnings] == ["content/merseyside/area.yaml"]
    published = (project / "output" / "merseyside" / "logo.svg").read_text(encoding="utf-8")
    assert "script" not in published and "onload" not in published and server not in published


def test_a_logo_that_is_not_an_image_is_refused_at_its_line(project):
    (project / "content" / "merseyside" / "logo.svg").write_text("<html>not a logo</html>", encoding="utf-8")
    line = line_of(project, "content/merseyside/area.yaml", "logo: logo.svg")
    assert errors(project) == [f'content/merseyside/area.yaml:{line}:7: logo "logo.svg" is named .svg but its content is not an image: save it as an SVG image']


def test_a_deeply_nested_svg_is_refused_not_a_crash(project):
    add_image(project, "![Deep](deep.svg)", {"deep.svg": '<svg xmlns="http://www.w3.org/2000/svg">' + "<g>" * 50_000 + "</g>" * 50_000 + "</svg>"})
    line = line_of(project, PAGE, "deep.svg")
    assert errors(project) == [f'{PAGE}:{line}:1: image "deep.svg" is an SVG nested more than 200 elements deep: simplify the drawing']


def test_clean_svg_keeps_text_after_a_removed_element():
    cleaned, removed = clean_svg(b'<svg xmlns="http://www.w3.org/2000/svg"><text>before <a>link</a> after</text></svg>')
    assert b"before  after" in cleaned and removed == ["<a>"]


def test_the_pdf_fetcher_serves_only_files_of_the_site_being_built(tmp_path, server):
    from mappa_ssg.pdf import output_only_fetcher

    site = tmp_path / "site"
    site.mkdir()
    (site / "dot.png").write_bytes(png())
    (tmp_path / "outside.png").write_bytes(png())
    (site / "link.png").symlink_to(tmp_path / "outside.png")
    fetch = output_only_fetcher(str(site))
    assert fetch((site / "dot.png").as_uri()).read() == png()
    for url in (f"{server}/x.png", (tmp_path / "outside.png").as_uri(), (site / "link.png").as_uri(),
                (site / ".." / "outside.png").as_uri(), "file:///etc/passwd", "ftp://127.0.0.1/x", "data:text/plain,hi"):
        with pytest.raises(ValueError):
            fetch(url)
    assert Counter.requests == []


def test_a_pdf_page_asking_for_outside_files_gets_none(tmp_path, server):
    from pypdf import PdfReader

    from mappa_ssg.pdf import PdfJob, Printer

    repo = Path(__file__).parent.parent
    site = tmp_path / "site"
    (site / "assets").mkdir(parents=True)
    (site / "assets" / "pdf.css").write_text((repo / "templates" / "assets" / "pdf.css").read_text(encoding="utf-8"))
    secret = tmp_path / "secret.html"
    secret.write_text("<p>SECRET-OUTSIDE</p>", encoding="utf-8")
    html = (f'<html lang="en"><head><title>t</title><link rel="stylesheet" href="{server}/s.css"></head><body><h1>Page</h1>'
            f'<img src="{server}/tracker.png" alt="a"><img src="{secret.as_uri()}" alt="b">'
            f'<object data="{secret.as_uri()}"></object><embed src="{secret.as_uri()}"></body></html>')
    target = site / "out.pdf"
    Printer(str(site / "assets" / "pdf.css")).render(PdfJob(html, str(site), str(target), (), root=str(site)))
    assert Counter.requests == []
    text = "".join(p.extract_text() for p in PdfReader(target).pages)
    assert "Page" in text and "SECRET" not in text


def test_two_images_with_one_name_are_reported_where_they_are(project):
    add_image(project, "![First map](north/map.png)\n\n![Second map](south/map.png)\n\n![First again](north/map.png)",
              {"north/map.png": png(), "south/map.png": png(3, 1)})
    first, second = line_of(project, PAGE, "north/map.png"), line_of(project, PAGE, "south/map.png")
    assert errors(project) == [f'{PAGE}:{second}:1: image "map.png" has the same file name as another image '
                               f"(first used at {PAGE}:{first}:1): images are published side by side, so rename one of them"]


def test_one_image_used_twice_is_published_once(project):
    add_image(project, "![A dot](dot.png)\n\n![The dot again](dot.png)", {"dot.png": png()})
    edit(project / f"{YEAR}/introduction.md", "\n", "\n\n![The dot, in the introduction](dot.png)\n", 1)
    result = build(project, pdf=False)
    assert result.ok, [str(p) for p in result.problems]
    assert (project / "output" / LLR / "2014-15" / "dot.png").read_bytes() == png()


def test_an_image_cannot_take_a_chart_name(project):
    add_image(project, "![A chart](chart-eligible.svg)", {"chart-eligible.svg": '<svg xmlns="http://www.w3.org/2000/svg"/>'})
    line = line_of(project, PAGE, "chart-eligible.svg")
    assert errors(project) == [f'{PAGE}:{line}:1: image "chart-eligible.svg" has the name of one of the charts mappa draws: rename the file']
