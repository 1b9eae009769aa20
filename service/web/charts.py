"""Charts of the dashboard as SVG markup, drawn on the server: no script, no network.

Every chart is drawn for a phone first (360 units wide, text of 12 units) and scales to its
container through its viewBox. Colours are SVG presentation attributes, because the
pages' Content-Security-Policy blocks inline styles. Bars contrast at least 3:1 with white,
text at least 4.5:1; series that sit side by side also differ by hatching or position, not
by colour alone. All text is escaped here; callers pass plain, already translated strings.
"""

import math
from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import NamedTuple

from markupsafe import Markup, escape

WIDTH = 360
INK = "#1b1b1b"  # 17:1 on white
MUTED = "#4a4a4a"  # 8.9:1 on white
GRID = "#d0d7de"
FONT_SIZE = 12
CHAR_WIDTH = 6.8  # a generous average for 12-unit system-ui text, to decide where text fits
MAX_TICKS = 4  # gridlines above zero on a column chart


class Hatch(StrEnum):
    STRIPES = "stripes"
    CROSSHATCH = "crosshatch"


@dataclass(frozen=True)
class Look:
    """How one series is filled: a colour, and a hatch that tells it apart without colour."""

    colour: str
    hatch: Hatch | None = None
    hatch_colour: str = "#000000"


BLUE = Look("#00507a")  # 8.7:1 on white
ORANGE = Look("#c2410c")  # 5.2:1; blue and orange stay apart for colour-blind readers
ON_TIME = Look("#1b7f3b")  # 5.1:1
AT_RISK = Look("#a15c00", Hatch.STRIPES, "#5c3400")  # 5.2:1
BREACHED = Look("#b00020", Hatch.CROSSHATCH, "#5e0011")  # 7.3:1


@dataclass(frozen=True)
class Series:
    label: str
    look: Look


class Bar(NamedTuple):
    label: str
    value: int


class Group(NamedTuple):
    """Several values under one label: a week's pair of columns, a stage's stacked bar."""

    label: str
    values: Sequence[int]


def nice_scale(maximum: int) -> tuple[int, int]:
    """The top of the value axis and the step between gridlines: 1, 2 or 5 times 10^n."""
    if maximum <= 0:
        return 1, 1
    rough = maximum / MAX_TICKS
    magnitude = 10 ** math.floor(math.log10(rough)) if rough >= 1 else 1
    step = next(m * magnitude for m in (1, 2, 5, 10) if m * magnitude >= rough)
    return step * math.ceil(maximum / step), step


def column_chart(chart_id: str, bars: Sequence[Bar], *, summary: str, unit: str) -> Markup:
    """Vertical bars with their value on top, for a handful of ordered categories."""
    left, right, top, bottom = 40, 6, 24, 38
    height = 224
    plot_width, plot_height = WIDTH - left - right, height - top - bottom
    axis_top, step = nice_scale(max((bar.value for bar in bars), default=0))
    parts = _value_axis(left, top, plot_height, axis_top, step, unit)
    slot = plot_width / max(len(bars), 1)
    bar_width = min(slot * 0.6, 48)
    base = top + plot_height
    for index, bar in enumerate(bars):
        centre = left + slot * (index + 0.5)
        bar_height = bar.value / axis_top * plot_height
        parts.append(
            _rect(
                centre - bar_width / 2,
                base - bar_height,
                bar_width,
                bar_height,
                BLUE.colour,
                kind="bar",
                value=bar.value,
            )
        )
        parts.append(_text(centre, base - bar_height - 4, str(bar.value), anchor="middle"))
        lines = _wrap(bar.label, int(slot / CHAR_WIDTH))
        for line_number, line in enumerate(lines):
            parts.append(_text(centre, base + 15 + 13 * line_number, line, anchor="middle"))
    return _svg(chart_id, summary, height, parts)


def horizontal_bar_chart(chart_id: str, bars: Sequence[Bar], *, summary: str) -> Markup:
    """One bar per row under its label, the value after it: long labels fit on a phone."""
    row_height, bar_height, value_room = 38, 14, 44
    longest = max((bar.value for bar in bars), default=0) or 1
    parts: list[str] = []
    for index, bar in enumerate(bars):
        row_top = 4 + index * row_height
        length = bar.value / longest * (WIDTH - value_room)
        parts.append(_text(0, row_top + 12, _shorten(bar.label, int(WIDTH / CHAR_WIDTH))))
        parts.append(
            _rect(0, row_top + 18, length, bar_height, BLUE.colour, kind="bar", value=bar.value)
        )
        parts.append(_text(length + 4, row_top + 30, str(bar.value), bold=True))
    return _svg(chart_id, summary, 8 + len(bars) * row_height, parts)


def stacked_bar_chart(
    chart_id: str, rows: Sequence[Group], series: Sequence[Series], *, summary: str
) -> Markup:
    """One bar per row, split into the series left to right, with a legend above.

    Bars share one scale, so a row with more cases is longer; a segment wide enough for its
    number shows it, and the total follows the bar.
    """
    legend_height, row_height, bar_height, value_room = 24, 40, 18, 44
    defs, fills = _fills(chart_id, series)
    parts = [defs, *_legend(series, fills, 0, 2)]
    longest = max((sum(row.values) for row in rows), default=0) or 1
    for index, row in enumerate(rows):
        row_top = legend_height + index * row_height
        parts.append(_text(0, row_top + 12, _shorten(row.label, int(WIDTH / CHAR_WIDTH))))
        x = 0.0
        for position, value in enumerate(row.values):
            length = value / longest * (WIDTH - value_room)
            if value:
                parts.append(
                    _rect(
                        x,
                        row_top + 17,
                        length,
                        bar_height,
                        fills[position],
                        kind="segment",
                        separated=True,
                        series=position,
                        value=value,
                    )
                )
            if length >= CHAR_WIDTH * len(str(value)) + 6:
                parts.append(
                    _text(
                        x + length / 2,
                        row_top + 30,
                        str(value),
                        anchor="middle",
                        fill="#ffffff",
                        bold=True,
                    )
                )
            x += length
        parts.append(_text(x + 4, row_top + 30, str(sum(row.values)), bold=True))
    return _svg(chart_id, summary, legend_height + len(rows) * row_height + 4, parts)


def paired_column_chart(
    chart_id: str,
    groups: Sequence[Group],
    series: tuple[Series, Series],
    *,
    summary: str,
    unit: str,
    label_every: int = 4,
) -> Markup:
    """Two columns per group (first series left), e.g. intake and closures per week.

    Only every `label_every`-th group is labelled, counted back from the last (the current
    week), so that labels never overlap on a phone.
    """
    left, right, top, bottom = 40, 6, 40, 22
    height = 230
    plot_width, plot_height = WIDTH - left - right, height - top - bottom
    axis_top, step = nice_scale(max((max(g.values) for g in groups if g.values), default=0))
    defs, fills = _fills(chart_id, series)
    parts = [
        defs,
        *_legend(series, fills, left, 2),
        *_value_axis(left, top, plot_height, axis_top, step, unit),
    ]
    slot = plot_width / max(len(groups), 1)
    column = slot * 0.38
    base = top + plot_height
    for index, group in enumerate(groups):
        centre = left + slot * (index + 0.5)
        for position, value in enumerate(group.values[:2]):
            column_height = value / axis_top * plot_height
            x = centre - column if position == 0 else centre
            parts.append(
                _rect(
                    x,
                    base - column_height,
                    column,
                    column_height,
                    fills[position],
                    kind="bar",
                    series=position,
                    value=value,
                )
            )
        if (len(groups) - 1 - index) % label_every == 0:
            parts.append(_line(centre, base, centre, base + 4, MUTED))
            # The last label would stick out on the right; it ends at the edge instead.
            half = len(group.label) * CHAR_WIDTH / 2
            parts.append(_text(min(centre, WIDTH - half), base + 16, group.label, anchor="middle"))
    return _svg(chart_id, summary, height, parts)


# --- drawing ----------------------------------------------------------------------------


def _svg(chart_id: str, summary: str, height: float, parts: list[str]) -> Markup:
    label = escape(summary)
    # Safe: every text in parts went through escape() when it was drawn.
    return Markup(  # noqa: S704
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" id="{escape(chart_id)}" '
        f'viewBox="0 0 {WIDTH} {_n(height)}" width="100%" role="img" aria-label="{label}" '
        f'font-size="{FONT_SIZE}"><title>{label}</title>{"".join(parts)}</svg>'
    )


def _n(number: float) -> str:
    """A coordinate, to a tenth of a unit, without needless decimals."""
    return f"{round(number, 1):g}"


def _rect(
    x: float,
    y: float,
    width: float,
    height: float,
    fill: str,
    *,
    kind: str | None = None,
    separated: bool = False,
    **data: int,
) -> str:
    """A rectangle; `kind` and `data` (as data-* attributes) let tests find and read bars."""
    hooks = f' class="{kind}"' if kind else ""
    hooks += "".join(f' data-{name}="{value}"' for name, value in data.items())
    # A white edge keeps adjacent segments of a stacked bar apart.
    edge = ' stroke="#ffffff" stroke-width="1"' if separated else ""
    return (
        f'<rect{hooks} x="{_n(x)}" y="{_n(y)}" width="{_n(max(width, 0))}" '
        f'height="{_n(max(height, 0))}" fill="{fill}"{edge}/>'
    )


def _line(x1: float, y1: float, x2: float, y2: float, stroke: str) -> str:
    return (
        f'<line x1="{_n(x1)}" y1="{_n(y1)}" x2="{_n(x2)}" y2="{_n(y2)}" stroke="{stroke}" '
        'stroke-width="1"/>'
    )


def _text(
    x: float,
    y: float,
    text: str,
    *,
    anchor: str = "start",
    fill: str = INK,
    bold: bool = False,
) -> str:
    weight = ' font-weight="600"' if bold else ""
    return (
        f'<text x="{_n(x)}" y="{_n(y)}" text-anchor="{anchor}" fill="{fill}" '
        f'font-size="{FONT_SIZE}"{weight}>{escape(text)}</text>'
    )


def _value_axis(
    left: float, top: float, plot_height: float, axis_top: int, step: int, unit: str
) -> list[str]:
    """Gridlines with their values, the unit above them, and the baseline."""
    parts = [_text(0, top - 10, unit, fill=MUTED)]
    for tick in range(0, axis_top + 1, step):
        y = top + plot_height - tick / axis_top * plot_height
        parts.append(_line(left, y, WIDTH, y, MUTED if tick == 0 else GRID))
        parts.append(_text(left - 4, y + 4, str(tick), anchor="end", fill=MUTED))
    return parts


def _fills(chart_id: str, series: Sequence[Series]) -> tuple[str, list[str]]:
    """The patterns of the hatched series, and each series' fill (a colour or a pattern)."""
    patterns, fills = [], []
    for index, one in enumerate(series):
        look = one.look
        if look.hatch is None:
            fills.append(look.colour)
            continue
        pattern_id = f"{escape(chart_id)}-hatch-{index}"
        lines = '<line x1="0" y1="0" x2="0" y2="6"/>'
        if look.hatch is Hatch.CROSSHATCH:
            lines += '<line x1="0" y1="3" x2="6" y2="3"/>'
        patterns.append(
            f'<pattern id="{pattern_id}" width="6" height="6" patternUnits="userSpaceOnUse" '
            f'patternTransform="rotate(45)"><rect width="6" height="6" fill="{look.colour}"/>'
            f'<g stroke="{look.hatch_colour}" stroke-width="2">{lines}</g></pattern>'
        )
        fills.append(f"url(#{pattern_id})")
    return f"<defs>{''.join(patterns)}</defs>", fills


def _legend(series: Sequence[Series], fills: list[str], x: float, y: float) -> list[str]:
    """A swatch and the name of each series, in one line, in the order the bars show them."""
    parts = []
    for one, fill in zip(series, fills, strict=True):
        parts.append(_rect(x, y, 14, 14, fill))
        parts.append(_text(x + 19, y + 11, one.label))
        x += 19 + len(one.label) * CHAR_WIDTH + 16
    return parts


def _shorten(text: str, characters: int) -> str:
    # The full text is in the table under each chart.
    return text if len(text) <= characters else text[: characters - 1].rstrip() + "…"


def _wrap(text: str, characters: int) -> list[str]:
    """At most two lines of about `characters` each, broken between words."""
    words = text.split()
    if len(text) <= characters or len(words) < 2:
        return [text]
    taken = 1
    while taken < len(words) - 1 and len(" ".join(words[: taken + 1])) <= characters:
        taken += 1
    return [" ".join(words[:taken]), " ".join(words[taken:])]
