"""The charts' geometry: bars as tall as their values on a scale of round steps."""

from datetime import date, timedelta
from decimal import Decimal

import pytest

from dashboard.charts import GRIDLINES, PLOT_BOTTOM, PLOT_TOP, bar_chart, nice_step
from money.formatting import format_money

DAYS = [date(2026, 11, 1) + timedelta(days=n) for n in range(30)]


@pytest.mark.parametrize(
    "highest, whole, step",
    [
        (Decimal("1234.50"), False, 500),  # 4 steps of 500 reach 2,000
        (Decimal("800"), False, 200),
        (Decimal("90"), False, 25),
        (Decimal("0.80"), False, Decimal("0.2")),
        (7, True, 2),
        (3, True, 1),  # counts never step by a fraction
        (0, True, 1),  # an empty chart still has a scale
    ],
)
def test_the_scale_steps_are_round_numbers_that_reach_the_highest_value(highest, whole, step):
    assert nice_step(highest, whole=whole) == step
    assert step * GRIDLINES >= highest


def test_bars_are_as_tall_as_their_values_and_today_is_the_last():
    values = [Decimal(0)] * 28 + [Decimal("500.00"), Decimal("1000.00")]

    chart = bar_chart(list(zip(DAYS, values, strict=True)), say=format_money)

    plot = PLOT_BOTTOM - PLOT_TOP
    *_, empty, half, full = chart.bars
    assert empty.height == 0
    assert (full.height, full.y) == (plot, PLOT_TOP)  # four steps of 250 reach 1,000
    assert half.height == full.height / 2
    assert [bar.last for bar in chart.bars].count(True) == 1 and full.last
    assert full.label == "Mon 30 Nov: $1,000.00"
    assert [line.label for line in chart.gridlines] == [
        "$0.00",
        "$250.00",
        "$500.00",
        "$750.00",
        "$1,000.00",
    ]


def test_a_day_with_a_little_still_shows_a_bar():
    values = [1] + [1000] * 29

    chart = bar_chart(list(zip(DAYS, values, strict=True)), say=str, whole=True)

    assert chart.bars[0].height == 1.0


def test_the_bars_fill_the_width_and_days_are_named_a_week_apart_back_from_today():
    chart = bar_chart([(day, 1) for day in DAYS], say=str, whole=True)

    assert chart.bars[0].x > 0 and chart.bars[-1].x + chart.bars[-1].width < chart.width
    assert [tick.label for tick in chart.ticks] == ["2 Nov", "9 Nov", "16 Nov", "23 Nov", "30 Nov"]
    assert chart.ticks[-1].align == "end"  # the last label ends at the chart's edge


def test_the_description_names_the_days_the_highest_and_the_last():
    values = [0] * 29 + [3]
    values[10] = 7

    chart = bar_chart(
        list(zip(DAYS, values, strict=True)),
        say=str,
        say_in_full=lambda n: f"{n} orders",
        whole=True,
    )

    assert chart.description == (
        "Sun 1 Nov to Mon 30 Nov: the highest Wed 11 Nov, 7 orders; the last day 3 orders. "
        "The table below gives every day."
    )
