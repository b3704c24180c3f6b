"""Bar charts drawn on the server, as SVG: no chart library, no script, no inline style.

`bar_chart` works out the geometry in the SVG's own units (a viewBox the page scales to its
width); `dashboard/index.html` draws it with classes that the dashboard's static CSS colours,
so the shop's strict Content-Security-Policy needs no exception. Every chart has a title and
a description for screen readers, and the page shows the same numbers in a table.
"""

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.utils.formats import date_format

WIDTH, HEIGHT = 720, 240
PLOT_TOP, PLOT_BOTTOM = 20, 214  # room above for the top gridline's label, below for dates
GAP = 3  # between bars
GRIDLINES = 4  # above the baseline
TICK_EVERY = 7  # a date under every seventh bar, counting back from the last


@dataclass(frozen=True)
class Bar:
    x: float
    y: float
    width: float
    height: float
    label: str  # "Tue 3 Nov: $1,234.50", shown on hover
    last: bool  # today's bar, which is still growing


@dataclass(frozen=True)
class Gridline:
    y: float
    label: str

    @property
    def label_y(self) -> float:
        return round(self.y - 4, 2)  # just above the line


@dataclass(frozen=True)
class Tick:
    x: float
    label: str
    align: str  # "start", "middle" or "end": where the label sits against its bar


@dataclass(frozen=True)
class BarChart:
    width: int
    height: int
    baseline: float
    bars: list[Bar]
    gridlines: list[Gridline]
    ticks: list[Tick]
    description: str  # the chart in words, for screen readers

    @property
    def ticks_y(self) -> int:
        return self.height - 6


def bar_chart(
    points: Sequence[tuple[date, Decimal | int]],
    *,
    say: Callable,
    say_in_full: Callable | None = None,
    whole: bool = False,
) -> BarChart:
    """One bar per (day, value), oldest first.

    `say` writes a value as people read it on the scale (money through the shop's formatter,
    counts as numbers), `say_in_full` as a bar's label says it ("12 orders"; `say` if not
    given). `whole`: the values are counts, and so are the scale's steps.
    """
    say_in_full = say_in_full or say
    step = nice_step(max((value for _, value in points), default=0), whole=whole)
    top = step * GRIDLINES
    plot = PLOT_BOTTOM - PLOT_TOP
    slot = WIDTH / max(len(points), 1)
    bars = []
    for index, (day, value) in enumerate(points):
        height = float(value) / float(top) * plot
        if value:
            height = max(height, 1.0)  # a day with sales never looks like one without
        bars.append(
            Bar(
                x=round(index * slot + GAP / 2, 2),
                y=round(PLOT_BOTTOM - height, 2),
                width=round(slot - GAP, 2),
                height=round(height, 2),
                label=f"{date_format(day, 'D j M')}: {say_in_full(value)}",
                last=index == len(points) - 1,
            )
        )
    gridlines = [
        Gridline(y=round(PLOT_BOTTOM - plot * n / GRIDLINES, 2), label=say(step * n))
        for n in range(GRIDLINES + 1)
    ]
    ticks = []
    for index in range(len(points) - 1, -1, -TICK_EVERY):
        first, last = index == 0, index == len(points) - 1
        ticks.append(
            Tick(
                x=round(index * slot + (0 if first else slot if last else slot / 2), 2),
                label=date_format(points[index][0], "j M"),
                align="start" if first else "end" if last else "middle",
            )
        )
    return BarChart(
        WIDTH, HEIGHT, PLOT_BOTTOM, bars, gridlines, ticks[::-1], _describe(points, say_in_full)
    )


def _describe(points, say_in_full) -> str:
    """The chart in a sentence: its days, its highest day, its last."""
    if not points:
        return "No days to show."
    (first, _), (last, last_value) = points[0], points[-1]
    best, highest = max(points, key=lambda point: point[1])
    days = f"{date_format(first, 'D j M')} to {date_format(last, 'D j M')}"
    if not highest:
        return f"{days}: none on any day."
    return (
        f"{days}: the highest {date_format(best, 'D j M')}, {say_in_full(highest)}; "
        f"the last day {say_in_full(last_value)}. The table below gives every day."
    )


def nice_step(highest, *, whole: bool = False):
    """The step between gridlines: 1, 2, 2.5 or 5 times a power of ten, the smallest whose
    GRIDLINES steps reach `highest` (a whole number for counts). Never 0: an empty chart
    still has a scale."""
    highest = Decimal(highest)
    if highest <= 0:
        return 1
    wanted = highest / GRIDLINES
    power = Decimal(10) ** (wanted.adjusted())
    steps = (factor * power for factor in (1, 2, Decimal("2.5"), 5, 10))
    step = next(s for s in steps if s >= wanted and (not whole or s == s.to_integral_value()))
    return int(step) if step == step.to_integral_value() else step
