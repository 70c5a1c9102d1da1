"""Output formats. Each reporter turns located findings into text for one audience."""

from __future__ import annotations

from collections.abc import Callable, Iterable

from speechlint.reporters.base import RunSummary

FORMATS = ("text", "json", "github", "sarif", "html", "concise")


def get_reporter(name: str) -> Callable[..., str]:
    """The render function of an output format (imported lazily: only one is used per run)."""
    if name == "json":
        from speechlint.reporters.json_format import render
    elif name == "github":
        from speechlint.reporters.github import render
    elif name == "html":
        from speechlint.reporters.html import render
    elif name == "sarif":
        from speechlint.reporters.sarif import render
    elif name == "concise":
        from speechlint.reporters.text import render_concise as render
    else:
        from speechlint.reporters.text import render
    return render


def get_streamer(name: str) -> Callable[..., Iterable[str]]:
    """The report of a format in pieces, to write as they come (a large report is never held whole)."""
    if name == "json":
        from speechlint.reporters.json_format import stream

        return stream
    render = get_reporter(name)
    return lambda items, summary, **options: [render(items, summary, **options)]


__all__ = ["FORMATS", "RunSummary", "get_reporter", "get_streamer"]
