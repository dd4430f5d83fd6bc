"""Small pieces of wording shared by several screens (kept free of Qt, so cheap to import)."""

from __future__ import annotations


def plural(count: int, singular: str, plural_form: str | None = None) -> str:
    return f"{count} {singular if count == 1 else (plural_form or singular + 's')}"
