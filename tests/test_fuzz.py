"""Property-based robustness: malformed content ends in problems or a build, never a crash.

Hypothesis writes broken YAML, wrong types, missing and extra keys, huge numbers, bytes that are
not UTF-8, empty files, alias bombs and deeply nested values into a small copy of the example
project, then runs ``check`` (and, for a few cases that pass, an HTML-only build). Every case
must end in success or in problems that each read ``path:line:col: message``; an exception or a
case that runs past its time limit fails the test. The figures are printed at the end.

``MAPPA_FUZZ_EXAMPLES`` raises the number of cases (and switches to random seeds) for a longer
local run; CI uses the fixed default so every run tries the same cases.
"""
from __future__ import annotations

import os
import re
import shutil
import signal
from collections import Counter
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, Phase, given, settings, strategies as st

from conftest import LLR, REPO
from gates import say
from mappa_ssg import build, check, content, editions, markdown, yamlsource
from mappa_ssg.problems import Problems

PROBLEM = re.compile(r"^[^:]+:\d+:\d+: .+")
EXAMPLES = int(os.environ.get("MAPPA_FUZZ_EXAMPLES", "2000"))
CASE_SECONDS = 20  # generous: the machine is shared; a real hang runs for ever
MAX_BUILDS = 20    # HTML builds are slower than checks: only the first few passing cases build

REPORT = f"content/{LLR}/2014-15"
YAML_FILES = ("content/site.yaml", f"content/{LLR}/area.yaml", f"{REPORT}/report.yaml")
MARKDOWN_FILES = (f"{REPORT}/introduction.md", f"{REPORT}/local-page.md")


class Hang(Exception):
    """A case ran past CASE_SECONDS."""


@pytest.fixture(scope="module")
def small_project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One area with one report: the smallest complete project, so each check is quick."""
    root = tmp_path_factory.mktemp("fuzz") / "project"
    # Only the edition the report uses: every check reads every edition, and checks are the cost here.
    shutil.copytree(REPO / "templates", root / "templates", ignore=lambda folder, names: ["2015-16"] if folder.endswith("editions") else [])
    for name in (*YAML_FILES, *MARKDOWN_FILES):
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(REPO / name, root / name)
    assert check(root).ok
    return root


# -- strategies --------------------------------------------------------------------------------
SCALARS = st.one_of(
    st.integers(min_value=-(10**40), max_value=10**40),
    st.floats(allow_nan=True, allow_infinity=True),
    st.booleans(),
    st.none(),
    st.text(max_size=40),
    st.sampled_from(["-", "~", "TODO", "no", "yes", "1,000", "0x1F", "0o17", "1e400", "2015-03-31",
                     ".inf", ".nan", "", " ", "\u202e", "\x00", "\ud800", "{{ 7*191 }}", "../../../etc/passwd"]),
)
VALUES = st.recursive(
    SCALARS,
    lambda inner: st.lists(inner, max_size=5) | st.dictionaries(st.text(max_size=12), inner, max_size=5),
    max_leaves=12,
)
# Characters that change how YAML and Markdown read the text around them.
SYNTAX = st.text(alphabet=":-[]{}&*!|>'\"#%@`\t\n ,?~\\<=_()0123456789abc\ufeff\u2028\x85", min_size=1, max_size=12)


@st.composite
def mutated_tree(draw, original: object) -> str:
    """The file's data with one part replaced, removed, retyped or added to, dumped as YAML."""
    data = _copy(original)
    holder, key = _pick(draw, data)
    action = draw(st.sampled_from(["replace", "delete", "extra", "wrap", "empty"]))
    if holder is None:
        data = draw(VALUES) if action != "wrap" else [data]
    elif action == "replace":
        holder[key] = draw(VALUES)
    elif action == "delete":
        del holder[key]
    elif action == "extra":
        target = holder[key]
        if isinstance(target, dict):
            target[draw(st.text(min_size=1, max_size=12))] = draw(VALUES)
        elif isinstance(target, list):
            target.append(draw(VALUES))
        else:
            holder[key] = [target, draw(VALUES)]
    elif action == "wrap":
        holder[key] = {"value": holder[key]} if draw(st.booleans()) else [holder[key]]
    else:
        holder[key] = type(holder[key])() if isinstance(holder[key], (dict, list, str)) else None
    return yaml.safe_dump(data, allow_unicode=draw(st.booleans()), sort_keys=False)


def _copy(value: object) -> object:
    if isinstance(value, dict):
        return {k: _copy(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_copy(v) for v in value]
    return value


def _pick(draw, data: object) -> tuple[object | None, object]:
    """Walk down a random path; return (container, key) of the chosen part, or (None, None) for the root."""
    holder, key = None, None
    node = data
    while isinstance(node, (dict, list)) and node and draw(st.integers(0, 3)) > 0:
        keys = list(node) if isinstance(node, dict) else list(range(len(node)))
        holder, key = node, draw(st.sampled_from(keys))
        node = node[key]
    return holder, key


@st.composite
def text_edits(draw, text: str) -> str:
    """The file's own text with a few random slices cut out or syntax characters pushed in."""
    for _ in range(draw(st.integers(1, 4))):
        at = draw(st.integers(0, len(text)))
        if draw(st.booleans()):
            text = text[:at] + text[at + draw(st.integers(1, 40)):]
        else:
            text = text[:at] + draw(SYNTAX | st.text(max_size=8)) + text[at:]
    return text


def alias_bomb(width: int, depth: int) -> str:
    lines = [f"a0: &a0 [{', '.join(['x'] * width)}]"]
    for level in range(1, depth + 1):
        lines.append(f"a{level}: &a{level} [{', '.join([f'*a{level - 1}'] * width)}]")
    return "\n".join(lines) + "\n"


@st.composite
def nested(draw) -> str:
    depth = draw(st.sampled_from([5, 50, 101, 150, 1000, 5000]))
    shape = draw(st.sampled_from(["flow-list", "flow-map", "block", "markdown"]))
    if shape == "flow-list":
        return "key: " + "[" * depth + "]" * depth + "\n"
    if shape == "flow-map":
        return "{a: " * depth + "1" + "}" * depth + "\n"
    if shape == "block":
        depth = min(depth, 400)  # indentation grows with depth: keep the file under a megabyte
        return "".join("  " * i + f"k{i}:\n" for i in range(depth)) + "  " * depth + "v\n"
    return ">" * depth + " deep\n\n" + "- " * depth + "list\n" + "*" * depth + "x" + "*" * depth + "\n"


def file_bytes(original: bytes, is_yaml: bool):
    """Every way a file can be wrong, as the bytes written to disk."""
    text = original.decode("utf-8")
    body = text.split("---\n", 2)[-1] if not is_yaml and text.startswith("---\n") else text
    structured = yaml.safe_load(text) if is_yaml else None
    kinds = [
        st.binary(max_size=200),                                               # not text at all
        st.sampled_from([b"", b"\n", b" ", b"\xef\xbb\xbf", b"---\n", b"---\n---\n", b"\x00", b"~\n", b"[]\n", b"- 1\n"]),
        st.builds(lambda a, junk, b: a + junk + b,                             # bad bytes inside good text
                  st.sampled_from([original[:40], original[:200], b""]),
                  st.sampled_from([b"\xff", b"\xc3\x28", b"\xed\xa0\x80", b"\x80abc", b"\xf4\x90\x80\x80", b"\x00"]),
                  st.sampled_from([original[40:], original[200:], b""])),
        text_edits(text).map(str.encode),                                     # broken syntax
        text_edits(text).map(lambda t: t.replace("\n", "\r\n").encode()),
        st.builds(alias_bomb, st.integers(2, 10), st.integers(1, 8)).map(str.encode),
        nested().map(str.encode),
        st.sampled_from(["\u202e", "\ud800", "\U0001f600", "\x85", "\u2028"]).map(  # odd code points
            lambda ch: text.replace("a", ch, 3).encode("utf-8", "surrogatepass")),
    ]
    if is_yaml:
        kinds.append(mutated_tree(structured).map(str.encode))
        kinds.append(VALUES.map(lambda v: yaml.safe_dump(v).encode()))
    else:
        front = st.dictionaries(st.sampled_from(["title", "kind", "signed_by", "extra"]), VALUES, max_size=3)
        kinds.append(st.builds(lambda f, b: b"---\n" + yaml.safe_dump(f).encode() + b"---\n" + b.encode(), front, st.text(max_size=200)))
        kinds.append(st.builds(lambda path, alt: f"![{alt}]({path})\n\n{body}".encode(),
                               st.sampled_from(["../../../../etc/passwd", "/etc/passwd", "missing.png", "%2e%2e/x.png",
                                                "..\\x.png", "photo.png\x00", "https://example.org/x.png", "data:image/png;base64,AA"]),
                               st.sampled_from(["", "a picture", "<script>alert(1)</script>"])))
        kinds.append(st.text(max_size=300).map(lambda t: (t + "\n\n" + body).encode("utf-8", "surrogatepass")))
    return st.one_of(kinds)


@st.composite
def cases(draw, originals: dict[str, bytes]) -> tuple[str, bytes]:
    name = draw(st.sampled_from(sorted(originals)))
    return name, draw(file_bytes(originals[name], name.endswith(".yaml")))


class UnchangedFilesParsedOnce:
    """Parse each file the case did not touch once per run, not once per case.

    ``load_yaml`` is a pure function of (path, text) (its problems are replayed from the first
    parse) and nothing changes the trees it returns, so this changes no result; it only stops
    2,000 checks from re-reading the same unchanged YAML, which is most of their cost. The file a
    case wrote is always parsed afresh.
    """

    def __init__(self) -> None:
        self.target = ""
        self.memo: dict[tuple[str, str], tuple[yamlsource.Node | None, list]] = {}

    def __call__(self, path: str, text: str, problems: Problems):
        if path == self.target:
            return yamlsource.load_yaml(path, text, problems)
        if (path, text) not in self.memo:
            own = Problems()
            self.memo[path, text] = (yamlsource.load_yaml(path, text, own), own.items)
        node, items = self.memo[path, text]
        problems.extend(items)
        return node


# -- the test ----------------------------------------------------------------------------------
def _on_alarm(signum, frame):
    raise Hang(f"a case ran for more than {CASE_SECONDS} s")


def test_malformed_content_ends_in_problems_or_a_build(small_project: Path, tmp_path: Path, pytestconfig: pytest.Config,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    parse = UnchangedFilesParsedOnce()
    for module in (content, editions, markdown):
        monkeypatch.setattr(module, "load_yaml", parse)
    originals = {name: (small_project / name).read_bytes() for name in (*YAML_FILES, *MARKDOWN_FILES)}
    counts: Counter[str] = Counter()
    crashes: list[str] = []

    @settings(max_examples=EXAMPLES, deadline=None, database=None, derandomize="MAPPA_FUZZ_EXAMPLES" not in os.environ,
              suppress_health_check=list(HealthCheck), print_blob=True,
              phases=[Phase.explicit, Phase.reuse, Phase.generate, Phase.shrink])  # no explain: its tracing is slow
    @given(case=cases(originals))
    def run(case: tuple[str, bytes]) -> None:
        name, data = case
        counts["cases"] += 1
        target = small_project / name
        target.write_bytes(data)
        parse.target = name
        previous = signal.signal(signal.SIGALRM, _on_alarm)
        signal.setitimer(signal.ITIMER_REAL, CASE_SECONDS)
        try:
            result = check(small_project)
            if result.ok and counts["builds"] < MAX_BUILDS:
                counts["builds"] += 1
                result = build(small_project, tmp_path / "output", pdf=False)
        except BaseException as exc:
            counts["tracebacks"] += 1
            crashes.append(f"{name}: {type(exc).__name__}: {exc}"[:300])
            raise
        finally:
            signal.setitimer(signal.ITIMER_REAL, 0)
            signal.signal(signal.SIGALRM, previous)
            target.write_bytes(originals[name])
        counts["ok" if result.ok else "refused"] += 1
        bad = [str(p) for p in result.problems if not PROBLEM.match(str(p))]
        assert not bad, f"{name}: problems without path:line:col: {bad}"
        assert result.ok or result.errors

    try:
        run()
    finally:
        say(pytestconfig, f"fuzz: {counts['cases']} cases ({counts['refused']} refused with problems, {counts['ok']} passed, "
                    f"{counts['builds']} HTML builds), {counts['tracebacks']} tracebacks"
                    + (f"; first: {crashes[0]}" if crashes else ""))
    assert counts["cases"] >= EXAMPLES
    assert counts["refused"] > EXAMPLES // 2, "most malformed cases should be refused"


# -- what the fuzzing found, pinned with exact messages ----------------------------------------
def _problems(text: str) -> list[str]:
    problems = Problems()
    yamlsource.load_yaml("x.yaml", text, problems)
    return [str(p) for p in problems]


def test_deep_nesting_is_refused_where_it_gets_too_deep():
    assert _problems("key: " + "[" * 5000 + "]" * 5000) == ["x.yaml:1:105: YAML syntax: values are nested more than 100 levels deep"]


def test_escape_for_half_a_character_is_refused():
    assert _problems('title: "bad \\ud800 text"\n') == ['x.yaml:1:8: text has an escape for half a character (like "\\ud800"): write the character itself']


def test_language_and_contact_email_must_have_their_format(project):
    site = project / "content/site.yaml"
    site.write_text(site.read_text(encoding="utf-8").replace("language: en-GB", 'language: "en GB<x>"')
                    .replace("contact_email: mappa-site@example.org", "contact_email: not an address"), encoding="utf-8")
    errors = [str(p) for p in check(project).errors]
    assert errors == ['content/site.yaml:5:11: language "en GB<x>" is not a language code like en-GB or cy',
                      'content/site.yaml:6:16: contact_email "not an address" is not an email address']
