"""The dashboard's SVG charts: sizes follow the values, and every text is escaped."""

import xml.etree.ElementTree as ET
from itertools import pairwise

import pytest

from service.web import charts
from service.web.charts import Bar, Group, Series

SVG = "{http://www.w3.org/2000/svg}"
DEADLINE_SERIES = [
    Series("Op tijd", charts.ON_TIME),
    Series("Bijna te laat", charts.AT_RISK),
    Series("Te laat", charts.BREACHED),
]
WEEK_SERIES = (Series("Gemeld", charts.BLUE), Series("Afgesloten", charts.ORANGE))


def parse(markup: str) -> ET.Element:
    return ET.fromstring(str(markup))  # noqa: S314 - our own output


def bars(svg: ET.Element, kind: str = "bar") -> list[ET.Element]:
    return [rect for rect in svg.iter(f"{SVG}rect") if rect.get("class") == kind]


def texts(svg: ET.Element) -> list[str]:
    return [text.text or "" for text in svg.iter(f"{SVG}text")]


def size(rect: ET.Element, dimension: str) -> float:
    return float(rect.get(dimension, "0"))


@pytest.mark.parametrize(
    ("maximum", "top", "step"),
    [(0, 1, 1), (1, 1, 1), (3, 3, 1), (7, 8, 2), (10, 10, 5), (40, 40, 10), (41, 60, 20)],
)
def test_the_value_axis_ends_on_a_round_number(maximum, top, step):
    assert charts.nice_scale(maximum) == (top, step)


def test_every_chart_is_an_accessible_image_that_scales_without_inline_styles():
    drawn = [
        charts.column_chart("a", [Bar("0-7 dagen", 3)], summary="Leeftijd", unit="zaken"),
        charts.horizontal_bar_chart("b", [Bar("Lefier", 3)], summary="Per corporatie"),
        charts.stacked_bar_chart("c", [Group("Oppakken", (1, 2, 3))], DEADLINE_SERIES, summary="T"),
        charts.paired_column_chart(
            "d", [Group("wk 1", (1, 2))], WEEK_SERIES, summary="W", unit="z"
        ),
    ]
    for markup in drawn:
        svg = parse(markup)
        assert svg.get("role") == "img"
        assert svg.get("aria-label")
        assert svg.find(f"{SVG}title").text == svg.get("aria-label")
        assert svg.get("viewBox").startswith("0 0 360 ")
        assert svg.get("width") == "100%"
        assert "style" not in str(markup)


def test_column_heights_are_proportional_to_the_values():
    svg = parse(
        charts.column_chart(
            "age",
            [Bar("0-7 dagen", 10), Bar("8-30 dagen", 5), Bar("31-90 dagen", 0), Bar("x", 2)],
            summary="Open zaken naar leeftijd",
            unit="zaken",
        )
    )
    heights = [size(rect, "height") for rect in bars(svg)]
    assert heights[0] > 0
    assert [h / heights[0] for h in heights] == pytest.approx([1, 0.5, 0, 0.2], abs=0.01)
    # Bars stand on one baseline.
    bottoms = {round(size(r, "y") + size(r, "height"), 1) for r in bars(svg)}
    assert len(bottoms) == 1
    # A zero is still said, not just left out.
    assert [t for t in texts(svg) if t in ("10", "5", "0", "2")].count("0") >= 1
    assert "zaken" in texts(svg)


def test_a_long_category_label_is_wrapped_onto_two_lines():
    svg = parse(
        charts.column_chart(
            "age",
            [Bar(f"label {n}", n) for n in range(4)] + [Bar("meer dan 365 dagen", 1)],
            summary="s",
            unit="zaken",
        )
    )
    assert {"meer dan", "365 dagen"} <= set(texts(svg))


def test_all_zero_data_draws_empty_bars_on_a_unit_axis():
    svg = parse(charts.column_chart("age", [Bar("a", 0), Bar("b", 0)], summary="s", unit="zaken"))
    assert [size(rect, "height") for rect in bars(svg)] == [0, 0]
    assert {"0", "1"} <= set(texts(svg))

    svg = parse(charts.horizontal_bar_chart("status", [Bar("Nieuw", 0)], summary="s"))
    assert [size(rect, "width") for rect in bars(svg)] == [0]

    nothing = [Group("Oppakken", (0, 0, 0))]
    svg = parse(charts.stacked_bar_chart("deadlines", nothing, DEADLINE_SERIES, summary="s"))
    assert bars(svg, "segment") == []
    assert "0" in texts(svg)

    svg = parse(
        charts.paired_column_chart(
            "weekly", [Group("wk 1", (0, 0))] * 26, WEEK_SERIES, summary="s", unit="zaken"
        )
    )
    assert {size(rect, "height") for rect in bars(svg)} == {0}


def test_no_data_at_all_still_draws_a_chart():
    for markup in (
        charts.column_chart("a", [], summary="s", unit="zaken"),
        charts.horizontal_bar_chart("b", [], summary="s"),
        charts.stacked_bar_chart("c", [], DEADLINE_SERIES, summary="s"),
        charts.paired_column_chart("d", [], WEEK_SERIES, summary="s", unit="zaken"),
    ):
        assert bars(parse(markup)) == []


def test_horizontal_bars_are_proportional_and_names_are_escaped():
    name = 'Wonen <&> "Co"'
    markup = charts.horizontal_bar_chart(
        "corporations",
        [Bar(name, 8), Bar("Lefier", 2)],
        summary=f"Open zaken per corporatie. {name}: 8; Lefier: 2",
    )
    assert "<&>" not in markup
    assert "Wonen &lt;&amp;&gt;" in markup
    svg = parse(markup)
    assert name in texts(svg)
    assert name in svg.get("aria-label")
    widths = [size(rect, "width") for rect in bars(svg)]
    assert widths[1] / widths[0] == pytest.approx(0.25, abs=0.01)


def test_a_very_long_name_is_shortened_in_the_chart():
    svg = parse(charts.horizontal_bar_chart("c", [Bar("W" * 200, 1)], summary="s"))
    label = texts(svg)[0]
    assert label.endswith("…")
    assert len(label) < 60


def test_stacked_segments_follow_the_values_left_to_right_with_one_scale():
    rows = [Group("Oppakken", (4, 2, 2)), Group("Inspecteren", (0, 1, 3))]
    svg = parse(charts.stacked_bar_chart("deadlines", rows, DEADLINE_SERIES, summary="s"))
    segments = bars(svg, "segment")
    values = [int(s.get("data-value")) for s in segments]
    assert values == [4, 2, 2, 1, 3]  # the zero segment is left out
    widths = [size(s, "width") for s in segments]
    unit = widths[0] / 4
    assert widths == pytest.approx([v * unit for v in values], abs=0.15)
    # Segments of a row touch, in the series' order.
    first_row = segments[:3]
    for before, after in pairwise(first_row):
        assert size(after, "x") == pytest.approx(
            size(before, "x") + size(before, "width"), abs=0.15
        )
    assert [s.get("data-series") for s in segments] == ["0", "1", "2", "1", "2"]
    # The totals follow the bars.
    assert {"8", "4"} <= set(texts(svg))


def test_deadline_states_differ_by_hatching_and_are_named_in_a_legend():
    markup = charts.stacked_bar_chart(
        "deadlines", [Group("Oppakken", (1, 1, 1))], DEADLINE_SERIES, summary="s"
    )
    svg = parse(markup)
    assert {"Op tijd", "Bijna te laat", "Te laat"} <= set(texts(svg))
    patterns = [p.get("id") for p in svg.iter(f"{SVG}pattern")]
    assert patterns == ["deadlines-hatch-1", "deadlines-hatch-2"]
    fills = [s.get("fill") for s in bars(svg, "segment")]
    assert fills == [charts.ON_TIME.colour, "url(#deadlines-hatch-1)", "url(#deadlines-hatch-2)"]
    # The crosshatch has a second set of lines the stripes do not.
    lines = [len(list(p.iter(f"{SVG}line"))) for p in svg.iter(f"{SVG}pattern")]
    assert lines == [1, 2]


def test_weekly_pairs_are_proportional_and_only_every_fourth_week_is_labelled():
    groups = [Group(f"wk {n}", (n, n // 2)) for n in range(1, 27)]
    svg = parse(
        charts.paired_column_chart("weekly", groups, WEEK_SERIES, summary="s", unit="zaken")
    )
    columns = bars(svg)
    assert len(columns) == 52
    reported = [c for c in columns if c.get("data-series") == "0"]
    closed = [c for c in columns if c.get("data-series") == "1"]
    unit = size(reported[-1], "height") / 26
    assert [size(c, "height") for c in reported] == pytest.approx(
        [n * unit for n in range(1, 27)], abs=0.15
    )
    assert [size(c, "height") for c in closed] == pytest.approx(
        [(n // 2) * unit for n in range(1, 27)], abs=0.15
    )
    # Reported stands left of closed in each week.
    assert all(size(r, "x") < size(c, "x") for r, c in zip(reported, closed, strict=True))
    labels = [t for t in texts(svg) if t.startswith("wk ")]
    assert labels == ["wk 2", "wk 6", "wk 10", "wk 14", "wk 18", "wk 22", "wk 26"]
    assert {"Gemeld", "Afgesloten"} <= set(texts(svg))
