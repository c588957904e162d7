"""mappa-ssg: a static site generator for MAPPA annual reports.

Use :func:`build` and :func:`check` from Python; ``mappa`` (see :mod:`mappa_ssg.cli`) is a thin
command line on top of them.
"""
__version__ = "0.1.0"

from .pipeline import BuildResult, build, check  # noqa: E402

__all__ = ["build", "check", "BuildResult", "__version__"]
