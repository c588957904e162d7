"""The printed layout of a statistics table (tablerows.py): the rows and cells the HTML table and
the open data both list, in print order, with each cell's column label and total flag."""
from mappa_ssg.model import Column, Group, Row, Table
from mappa_ssg.tablerows import printed_groups

COLUMNS = (Column("category_1", "Category 1: registered sexual offenders"), Column("category_2", "Category 2: violent offenders"))


def _grid(**presentation):
    groups = (Group("breach", "Breach of licence", (Row("level_2", "Level 2", (3, None)), Row("level_3", "Level 3", (1, 0)))),
              Group("order", "Breach of order", (Row("level_2", "Level 2", (None, None)),)))
    return Table("custody", "grid", "Returned to custody", COLUMNS, groups, **presentation)


def _layout(groups):
    return [(g.id, g.label, [(r.id, r.label, r.is_total, [(c.column, c.label, c.value, c.text, c.is_total) for c in r.cells])
                             for r in g.rows]) for g in groups]


def test_a_grid_prints_each_block_with_row_totals_then_its_total_row():
    cat1, cat2 = (c.label for c in COLUMNS)
    assert _layout(printed_groups(_grid(total_label="All levels"), total="Cyfanswm")) == [
        ("breach", "Breach of licence", [
            ("level_2", "Level 2", False, [("category_1", cat1, 3, "3", False), ("category_2", cat2, None, "-", False),
                                           ("total", "Cyfanswm", 3, "3", True)]),
            ("level_3", "Level 3", False, [("category_1", cat1, 1, "1", False), ("category_2", cat2, 0, "0", False),
                                           ("total", "Cyfanswm", 1, "1", True)]),
            ("total", "All levels", True, [("category_1", cat1, 4, "4", True), ("category_2", cat2, 0, "0", True),
                                           ("total", "Cyfanswm", 4, "4", True)])]),
        ("order", "Breach of order", [
            ("level_2", "Level 2", False, [("category_1", cat1, None, "-", False), ("category_2", cat2, None, "-", False),
                                           ("total", "Cyfanswm", None, "-", True)]),
            ("total", "All levels", True, [("category_1", cat1, None, "-", True), ("category_2", cat2, None, "-", True),
                                           ("total", "Cyfanswm", None, "-", True)])]),
    ]


def test_totals_the_edition_does_not_print_are_left_out():
    rows = printed_groups(_grid(total_row=False, total_column=False))[0].rows
    assert [r.id for r in rows] == ["level_2", "level_3"]
    assert [[c.column for c in r.cells] for r in rows] == [["category_1", "category_2"]] * 2


def test_a_table_of_single_figures_has_one_column_named_in_the_page_language():
    table = Table("orders", "figures", "Orders", (Column("figure", "Number"),),
                  (Group("figures", None, (Row("sopo", "SOPOs", (1234,)), Row("no", "NOs", (None,)))),))
    (group,) = printed_groups(table, total="Cyfanswm", number="Nifer")
    assert group.label == ""
    assert [(r.label, [(c.label, c.text, c.is_total) for c in r.cells]) for r in group.rows] == [
        ("SOPOs", [("Nifer", "1,234", False)]), ("NOs", [("Nifer", "-", False)]), ("Cyfanswm", [("Nifer", "1,234", True)])]
