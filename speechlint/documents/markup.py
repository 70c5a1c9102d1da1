"""Hiding markup that is not prose, so that rules never fire inside it.

In Markdown, code (fenced blocks, indented code is left alone: too ambiguous in Chinese
documents), inline code, link targets, autolinks and HTML comments are replaced by spaces
of the same length: offsets stay valid for reports and fixes, and the text rules see has
no `XX` from a code sample or a URL.
"""

from __future__ import annotations

import regex

from speechlint.cache import cached_regex

_MARKDOWN_HIDDEN_SOURCE = r"""
    (?P<fence>^[ ]{0,3}(?P<mark>`{3,}|~{3,})[^\n]*\n(?:.*?\n)??[ ]{0,3}(?P=mark)[ \t]*(?:\n|\Z))
  | (?P<comment><!--.*?-->)
  | (?P<code>(?<!`)(?P<ticks>`+)(?!`).+?(?<!`)(?P=ticks)(?!`))
  | (?P<target>(?<=\]\()[^)\s]+(?:\s+"[^"\n]*")?(?=\)))
  | (?P<autolink><(?:https?|mailto|ftp):[^>\s]+>)
  | (?P<url>\bhttps?://[^\s<>()（）“”，。；]+)
    """
_compiled: regex.Pattern[str] | None = None


def _blank(match: regex.Match[str]) -> str:
    """Spaces of the same length, keeping line breaks so that line numbers stay right."""
    return "".join("\n" if ch == "\n" else " " for ch in match.group())


def mask_markdown(text: str) -> str:
    global _compiled
    if _compiled is None:  # compiled on the first Markdown file: most runs have none
        _compiled = cached_regex(_MARKDOWN_HIDDEN_SOURCE, regex.VERBOSE | regex.MULTILINE | regex.DOTALL)
    return _compiled.sub(_blank, text)


def is_markdown(path: str) -> bool:
    return path.lower().endswith((".md", ".markdown"))


def lintable_text(path: str, text: str) -> str:
    """The text rules should see for a document at `path`."""
    return mask_markdown(text) if is_markdown(path) else text
