"""The located YAML loader: positions, syntax errors, safety."""
import pytest

from mappa_ssg.problems import Problems
from mappa_ssg.yamlsource import load_yaml


def load(text):
    problems = Problems()
    node = load_yaml("x.yaml", text, problems)
    return node, [str(p) for p in problems]


def test_values_keep_their_line_and_column():
    node, problems = load("a: 1\nb:\n  c: [1, -, 3]\n")
    assert problems == []
    assert node.get("b").get("c").value[2].where.line == 3
    assert node.get("b").get("c").value[2].where.col == 13
    assert node.get("b").get("c").value[1].value == "-"
    assert node.key_at("b").line == 2


def test_syntax_error_has_position_and_hint():
    _, problems = load("level_1: -\n")
    assert problems == ['x.yaml:1:10: YAML syntax: a line starting with "-" is a list item, not allowed here (to say "not applicable" write "-" in quotes, or inside a [list])']


def test_tab_indentation_hint():
    _, problems = load("a:\n\tb: 1\n")
    assert len(problems) == 1 and problems[0].startswith("x.yaml:2:1: YAML syntax") and "use spaces, not tabs" in problems[0]


@pytest.mark.parametrize("text, expected", [
    # The mistake is on line 2 in each; PyYAML only notices it on line 3 (or at the end).
    ("a: 1\nb 2\nc: 3\n", "x.yaml:2:1: YAML syntax: this line needs a colon and a space after its name, like `name: value`"),
    ('a: 1\nb: "hello\nc: 3\n', "x.yaml:2:4: YAML syntax: a quotation mark opened here is never closed: add the closing quote at the end of the value"),
    ("a: 1\nb: [1, 2\nc: 3\n", "x.yaml:2:4: YAML syntax: a list opened here with [ is never closed with ]"),
    ("a: 1\nb: {x: 1\nc: 3\n", "x.yaml:2:4: YAML syntax: a { opened here is never closed with }"),
    ("a:\n  b: 1\n c: 2\n", "x.yaml:3:2: YAML syntax: this line is indented differently from the lines above it: line up its spaces with the key it belongs to"),
    ("a: 1\nb: see: here\n", "x.yaml:2:7: YAML syntax: a colon here cannot start a value: put text containing a colon in quotes, or indent the line under a key ending with a colon"),
])
def test_syntax_errors_point_at_the_line_to_fix_in_plain_words(text, expected):
    _, problems = load(text)
    assert problems == [expected]


def test_duplicate_keys_are_reported():
    _, problems = load("a: 1\nb: 2\na: 3\n")
    assert problems == ['x.yaml:3:1: "a" is given twice (first on line 1)']


def test_no_yes_on_off_stay_words():
    node, problems = load("no: 2\nanswer: yes\nflag: true\n")
    assert problems == []
    assert node.plain() == {"no": 2, "answer": "yes", "flag": True}


def test_unsafe_tags_are_refused():
    _, problems = load("a: !!python/object/apply:os.system ['echo hi']\n")
    assert len(problems) == 1 and problems[0].startswith("x.yaml:")


def test_alias_bomb_is_stopped():
    bomb = "a: &a [x, x, x, x, x, x, x, x, x, x]\n"
    for i, name in enumerate("bcdefgh"):
        prev = "abcdefg"[i]
        bomb += f"{name}: &{name} [*{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}]\n"
    _, problems = load(bomb)
    assert problems == ["x.yaml:1:1: file expands to too many values (are anchors and aliases nested?)"]


def test_empty_file_is_none_not_a_crash():
    node, problems = load("")
    assert problems == [] and node.value is None


@pytest.mark.parametrize("text", ["a: !!bool maybe\n", "a: !!timestamp soon\n", "a: !!int abc\n", "a: !!float x\n"])
def test_a_scalar_tagged_as_what_it_is_not_keeps_its_text(text):
    # !!bool and !!timestamp used to end in a Python traceback (KeyError, AttributeError).
    node, problems = load(text)
    assert problems == [] and node.get("a").value == text.split()[-1]


def test_a_mapping_tag_on_a_single_value_is_refused_at_its_place():
    _, problems = load("a: 1\nb: !!map x\n")
    assert problems == ["x.yaml:2:4: YAML tag tag:yaml.org,2002:map cannot be put on a single value: write plain values"]
