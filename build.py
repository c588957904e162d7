#!/usr/bin/env python3
"""Build the site: ``python build.py`` is ``mappa build``; any arguments go to ``mappa``."""
import sys

from mappa_ssg.cli import run

if __name__ == "__main__":
    run(sys.argv[1:] or ["build"])
