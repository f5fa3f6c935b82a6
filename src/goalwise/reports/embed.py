"""Putting a chart on a page under a strict Content-Security-Policy.

Matplotlib's SVG styles its shapes with inline ``style`` attributes, which the page's policy
(``style-src 'self'``, no ``'unsafe-inline'``) rightly refuses: inlined, a chart would render as a
black box. As an image (``<img src="data:image/svg+xml;base64,...">``) the SVG is drawn in the
browser's static image mode, where its own styles apply and no script can run, and the page's
policy stays strict. The image's ``alt`` carries the chart's title and description, and the
data table beside it carries every value.
"""

from __future__ import annotations

import base64
from dataclasses import dataclass

from goalwise.reports.charts import ChartSpec, data_table, default_description, line_chart

__all__ = ["EmbeddedChart", "embed"]


@dataclass(frozen=True, slots=True)
class EmbeddedChart:
    """What a template needs: the image source, its text alternative and the data table."""

    src: str
    alt: str
    table: list[tuple[str, ...]]


def embed(spec: ChartSpec) -> EmbeddedChart:
    """Render ``spec`` and wrap it for an ``<img>`` tag."""
    svg = line_chart(spec)
    src = "data:image/svg+xml;base64," + base64.b64encode(svg.encode("utf-8")).decode("ascii")
    description = spec.description or default_description(spec)
    return EmbeddedChart(src, f"{spec.title}. {description}", data_table(spec))
