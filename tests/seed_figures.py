"""Every figure of every table of the three seed reports, typed from ../shared/seeds/.

Independent of content/, so a slip in the example YAML cannot make a test pass.
Rows: (group or None, row label, [cells...]) where a cell is an int or "-".
"""
LLR_2014 = {
    "eligible": [(None, "Level 1", [798, 275, "-", 1073]), (None, "Level 2", [7, 1, 3, 11]),
                 (None, "Level 3", [0, 2, 0, 2]), (None, "Total", [805, 278, 3, 1086])],
    "levels_2_and_3": [(None, "Level 2", [13, 9, 5, 27]), (None, "Level 3", [7, 3, 0, 10]), (None, "Total", [20, 12, 5, 37])],
    "breach_of_notification": [(None, "RSOs cautioned or convicted for breach of notification requirements", [52])],
    "orders": [(None, "Sexual Offences Prevention Orders (SOPOs)", [68]), (None, "Notification Orders (NOs)", [2]),
               (None, "Foreign Travel Orders (FTOs)", [0])],
    "custody": [("Breach of licence", "Level 2", [3, 2, 0, 5]), ("Breach of licence", "Level 3", [0, 1, 0, 1]),
                ("Breach of licence", "Total", [3, 3, 0, 6]), ("Breach of SOPO", "Level 2", [0, "-", "-", 0]),
                ("Breach of SOPO", "Level 3", [0, "-", "-", 0]), ("Breach of SOPO", "Total", [0, "-", "-", 0])],
    "rso-rate": [(None, "Registered sexual offenders per 100,000 people aged 10 and over", [88])],
}
MERSEYSIDE_2013 = {
    "eligible": [(None, "Level 1", [1228, 563, "-", 1791]), (None, "Level 2", [35, 17, 32, 84]),
                 (None, "Level 3", [5, 1, 2, 8]), (None, "Total", [1268, 581, 34, 1883])],
    "levels_2_and_3": [(None, "Level 2", [71, 105, 113, 289]), (None, "Level 3", [7, 12, 5, 24]), (None, "Total", [78, 117, 118, 313])],
    "breach_of_notification": [(None, "RSOs cautioned or convicted for breach of notification requirements", [94])],
    "orders": [(None, "Sexual Offences Prevention Orders (SOPOs)", [96]), (None, "Notification Orders (NOs)", [5]),
               (None, "Foreign Travel Orders (FTOs)", [0])],
    "custody": [("Breach of licence", "Level 2", [5, 35, 8, 48]), ("Breach of licence", "Level 3", [0, 0, 1, 1]),
                ("Breach of licence", "Total", [5, 35, 9, 49]), ("Breach of SOPO", "Level 2", [2, "-", "-", 2]),
                ("Breach of SOPO", "Level 3", [0, "-", "-", 0]), ("Breach of SOPO", "Total", [2, "-", "-", 2])],
    "rso-rate": [(None, "Registered sexual offenders per 100,000 people aged 10 and over", [103])],
}
LLR_2020 = {
    "eligible": [(None, "Level 1", [1196, 344, 0, 1540]), (None, "Level 2", [4, 5, 1, 10]),
                 (None, "Level 3", [3, 1, 0, 4]), (None, "Total", [1203, 350, 1, 1554])],
    "levels_2_and_3": [(None, "Level 2", [7, 7, 4, 18]), (None, "Level 3", [7, 2, 2, 11]), (None, "Total", [14, 9, 6, 29])],
    "lifetime_notification_revoked": [(None, "RSOs whose lifetime notification was revoked on application", [16])],
    "orders": [(None, "Sexual Harm Prevention Orders (SHPOs)", [76]), (None, "SHPOs with a foreign travel restriction", [0]),
               (None, "Notification Orders (NOs)", [1])],
    "sro_breach": [(None, "People made subject to notification after breach of an SRO", [0])],
    "custody": [("Breach of licence", "Level 2", [1, 0, 1, 2]), ("Breach of licence", "Level 3", [1, 0, 0, 1]),
                ("Breach of licence", "Total", [2, 0, 1, 3]), ("Breach of SOPO or SHPO", "Level 2", [0, 0, 0, 0]),
                ("Breach of SOPO or SHPO", "Level 3", [1, 0, 0, 1]), ("Breach of SOPO or SHPO", "Total", [1, 0, 0, 1])],
    "rso-rate": [(None, "Registered sexual offenders per 100,000 people aged 10 and over", [115])],
}
SEEDS = {
    ("leicester-leicestershire-and-rutland", "2014-15"): LLR_2014,
    ("leicester-leicestershire-and-rutland", "2020-21"): LLR_2020,
    ("merseyside", "2013-14"): MERSEYSIDE_2013,
}


def shown(cell) -> str:
    """How a seed cell is printed by the site: thousands separators, "-" kept."""
    return cell if cell == "-" else f"{cell:,}"
