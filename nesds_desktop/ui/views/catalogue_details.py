"""HTML for the detail pane of the catalogue browser (pure functions, no widgets)."""

from __future__ import annotations

from html import escape

from nesds_desktop.domain.catalogue import Criterion, ReleaseInfo, Section, Standard
from nesds_desktop.domain.levels import Level


def _list(items: tuple[str, ...]) -> str:
    if not items:
        return "<p><i>None listed.</i></p>"
    return "<ul>" + "".join(f"<li>{escape(item)}</li>" for item in items) + "</ul>"


def _counts(counts: dict[Level, int]) -> str:
    return ", ".join(f"{counts[level]} {level.label}" for level in Level)


def criterion_html(criterion: Criterion, section: Section | None = None, standard: Standard | None = None) -> str:
    where = ""
    if standard is not None and section is not None:
        where = f"<p style='color:#444'>{escape(standard.title)} › {section.number}. {escape(section.title)}</p>"
    return (
        f"{where}<h2>{escape(criterion.ref)} "
        f"<span style='font-weight:normal'>· {criterion.level.label} level</span></h2>"
        f"<p style='font-size:large'><b>{escape(criterion.statement)}</b></p>"
        f"<h3>Guidance</h3><p>{escape(criterion.guidance)}</p>"
        f"<h3>Examples of evidence</h3>{_list(criterion.evidence)}"
        f"<h3>Signposts</h3>{_list(criterion.signposts)}"
    )


def section_html(section: Section, standard: Standard | None = None) -> str:
    counts = {level: len(section.criteria_at(level)) for level in Level}
    title = f"{escape(standard.code)} section {section.number}" if standard else f"Section {section.number}"
    return (
        f"<p style='color:#444'>{title}</p><h2>{escape(section.title)}</h2><p>{escape(section.summary)}</p>"
        f"<p>{len(section.criteria)} criteria: {_counts(counts)}.</p>"
    )


def standard_html(standard: Standard) -> str:
    maintainer = f"<p>Maintained by {escape(standard.maintainer)}.</p>" if standard.maintainer else ""
    sections = "".join(
        f"<li>{s.number}. {escape(s.title)} ({len(s.criteria)} criteria)</li>" for s in standard.sections
    )
    total = sum(standard.count_by_level().values())
    return (
        f"<h2>{escape(standard.code)} — {escape(standard.title)}</h2><p>{escape(standard.summary)}</p>{maintainer}"
        f"<p>{len(standard.sections)} sections, {total} criteria: {_counts(standard.count_by_level())}.</p>"
        f"<ol style='list-style-type:none'>{sections}</ol>"
    )


def release_html(info: ReleaseInfo) -> str:
    return (
        f"<h2>{escape(info.title)} {escape(info.version)}</h2>"
        f"<p>Release <b>{escape(info.release_id)}</b>, published {info.published:%d %B %Y}.</p>"
        f"<h3>Provenance</h3><p>{escape(info.provenance)}</p>"
        f"<p style='color:#444'>Content hash {escape(info.content_hash)}</p>"
        "<p>Choose a standard, section or criterion on the left to read it.</p>"
    )
