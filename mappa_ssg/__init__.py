"""mappa-ssg: a static site generator for MAPPA annual reports.

Use :func:`build` and :func:`check` from Python; ``mappa`` (see :mod:`mappa_ssg.cli`) is a thin
command line on top of them.
"""
__version__ = "0.1.0"

__all__ = ["build", "check", "BuildResult", "__version__"]


def __getattr__(name: str):
    # Loaded when first asked for, not on `import mappa_ssg`: the command line starts its PDF
    # worker before it loads the pipeline's modules (a fifth of a second), see cli.build.
    if name in ("build", "check", "BuildResult"):
        from . import pipeline

        return getattr(pipeline, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
