"""The city report's charts, in the book's theme: each title states the finding, each description says it in words.

Every word a reader sees goes through `tr` and every number through `citybook.i18n`'s formatting, so a report
made inside `use_language("es")` is Spanish throughout (the CSVs keep their column names and plain numbers).
"""

from __future__ import annotations

import altair as alt
import pandas as pd

from citybook.charts import palette
from citybook.i18n import N_, date, number, percent, tr

TOP_TYPES = 12  # types drawn by name; the rest are summed as "Other types" (the CSVs keep every type)
TOP_LINES = 5
TOP_AREAS = 25
MIN_HOURS = 1 / 60  # a log scale cannot show zero: waits under a minute are drawn at one minute
WAIT_TICKS = [1 / 60, 1, 6, 24, 168, 720, 8760]
WAIT_TICK_LABELS = [N_("1 minute"), N_("1 hour"), N_("6 hours"), N_("1 day"), N_("1 week"), N_("1 month"), N_("1 year")]
PERIOD_FORMAT = {"month": "%b %Y", "week": "%d %b %Y", "day": "%a %d %b"}  # Vega's axis formats
PERIOD_PATTERN = {"month": "MMM y", "week": "d MMM y", "day": "EEE d MMM"}  # the same, for prose (Babel)
# Each grain's words: singular, plural, and as an axis title begins.
GRAINS = {
    "month": (N_("month"), N_("months"), N_("Month")),
    "week": (N_("week"), N_("weeks"), N_("Week")),
    "day": (N_("day"), N_("days"), N_("Day")),
}
MEDIAN, P90 = N_("Median"), N_("90th percentile")
SETTLED, PROVISIONAL = N_("Settled"), N_("Provisional: slow requests still open")
NOISE, SIGNAL = N_("Noise"), N_("Signal")


def wait_labels() -> str:
    """Return the Vega label expression naming the wait axis's ticks in the reader's language."""
    pairs = ", ".join(f"{tick}: '{tr(label)}'" for tick, label in zip(WAIT_TICKS, WAIT_TICK_LABELS, strict=True))
    return "{" + pairs + "}[datum.value]"


def grain_words(grain: str) -> dict[str, str]:
    """Return a grain's words as fields for a sentence: {grain}, {grains} and {Grain}."""
    one, many, title = GRAINS[grain]
    return {"grain": tr(one), "grains": tr(many), "Grain": tr(title)}


def hours_text(hours: float | None) -> str:
    """Format a duration for prose: minutes, hours or days, whichever reads best."""
    if hours is None or pd.isna(hours):
        return "-"
    if hours < 1:
        return tr("{n} minutes", n=number(hours * 60))
    if hours < 48:
        return tr("{n} hours", n=number(hours, 1))
    return tr("{n} days", n=number(hours / 24, 1))


def share_text(share: float) -> str:
    """Format a share for prose."""
    return percent(share)


def _statistic_labels(statistic: pd.Series) -> pd.Series:
    return statistic.map({"median_hours": tr(MEDIAN), "p90_hours": tr(P90)})


def volume_chart(volume: pd.DataFrame, other_label: str) -> tuple[alt.Chart, pd.DataFrame]:
    """Bars of requests per type (the largest by name, the rest together), titled with the largest's share."""
    total = int(volume["requests"].sum())
    shown = volume.head(TOP_TYPES)[["service_name", "requests"]].copy()
    rest = volume.iloc[TOP_TYPES:]
    if len(rest):
        shown = pd.concat(
            [
                shown,
                pd.DataFrame(
                    {
                        "service_name": [f"{other_label} ({number(len(rest))})"],
                        "requests": [int(rest["requests"].sum())],
                    }
                ),
            ]
        )
    shown["share"] = shown["requests"] / total
    top = volume.iloc[0]
    chart = (
        alt.Chart(shown)
        .mark_bar()
        .encode(
            y=alt.Y("service_name:N", sort=list(shown["service_name"]), title=None, axis=alt.Axis(labelLimit=260)),
            x=alt.X("requests:Q", title=tr("Requests")),
            tooltip=[
                alt.Tooltip("service_name:N", title=tr("Type")),
                alt.Tooltip("requests:Q", title=tr("Requests"), format=","),
                alt.Tooltip("share:Q", title=tr("Share"), format=".1%"),
            ],
        )
        .properties(
            width=420,
            height=max(120, 22 * len(shown)),
            title=alt.Title(
                tr(
                    "{type} is the most common request: {share} of {total}",
                    type=top["service_name"],
                    share=share_text(top["requests"] / total),
                    total=number(total),
                ),
                subtitle=tr("Requests by type ({n} types)", n=number(len(volume))),
            ),
            description=(
                tr("Horizontal bar chart of requests by type, largest first. Of {total} requests,", total=number(total))
                + " "
                + "; ".join(f"{r.service_name}: {number(r.requests)}" for r in shown.itertuples())
                + "."
            ),
        )
    )
    return chart, shown


def monthly_chart(by_month: pd.DataFrame, volume: pd.DataFrame, other_label: str) -> tuple[alt.Chart, pd.DataFrame]:
    """Lines of requests per month for the largest types (click the legend to pick one out)."""
    names = list(volume.head(TOP_LINES)["service_name"])
    data = by_month.assign(
        service_name=by_month["service_name"].where(by_month["service_name"].isin(names), other_label)
    )
    data = data.groupby(["month", "service_name"], as_index=False)["requests"].sum()
    data["month"] = pd.to_datetime(data["month"]).dt.strftime("%Y-%m-01T00:00:00")  # local midnight, not UTC
    months = data["month"].nunique()
    totals = data.groupby("month")["requests"].sum()
    pick = alt.selection_point(name="pick_type", fields=["service_name"], bind="legend")  # named: same bytes every run
    order = names + ([other_label] if other_label in set(data["service_name"]) else [])
    span_text = tr("{n} month", n=number(months)) if months == 1 else tr("{n} months", n=number(months))
    chart = (
        alt.Chart(data)
        .mark_line(point=alt.OverlayMarkDef(size=40))
        .encode(
            x=alt.X("month:T", title=tr("Month requested"), axis=alt.Axis(format="%b %Y", tickCount=min(months, 8))),
            y=alt.Y("requests:Q", title=tr("Requests per month")),
            color=alt.Color(
                "service_name:N",
                title=tr("Type (click one to pick it out)"),
                sort=order,
                legend=alt.Legend(columns=2, labelLimit=260),
            ),
            opacity=alt.condition(pick, alt.value(1), alt.value(0.15)),
            tooltip=[
                alt.Tooltip("service_name:N", title=tr("Type")),
                alt.Tooltip("month:T", title=tr("Month"), format="%B %Y"),
                alt.Tooltip("requests:Q", title=tr("Requests"), format=","),
            ],
        )
        .add_params(pick)
        .properties(
            width=480,
            height=240,
            title=alt.Title(
                tr(
                    "The busiest month had {n} requests ({month})",
                    n=number(int(totals.max())),
                    month=date(pd.Timestamp(totals.idxmax()), "month"),
                ),
                subtitle=tr(
                    "Requests per month for the {n} largest types, {months}", n=number(len(names)), months=span_text
                ),
            ),
            description=tr(
                "Line chart of requests per calendar month for the {n} most common types and the rest, over {months}. "
                "The busiest month was {busiest} with {most} requests; the quietest {quietest} with {fewest}. "
                "Clicking a type in the legend highlights its line.",
                n=number(len(names)),
                months=span_text,
                busiest=date(pd.Timestamp(totals.idxmax()), "month"),
                most=number(int(totals.max())),
                quietest=date(pd.Timestamp(totals.idxmin()), "month"),
                fewest=number(int(totals.min())),
            ),
        )
    )
    return chart, data


def wait_axis() -> alt.X:
    """The time-to-close axis both wait charts share: hours on a log scale, labelled in hours and days."""
    return alt.X(
        "drawn_hours:Q",
        title=tr("Time to close (log scale)"),
        scale=alt.Scale(type="log"),
        axis=alt.Axis(values=WAIT_TICKS, labelExpr=wait_labels(), labelOverlap=True),
    )


def statistic_marks() -> dict[str, alt.Color | alt.Shape]:
    """Colour and shape telling the median from the 90th percentile (never colour alone)."""
    domain = [tr(MEDIAN), tr(P90)]
    return {
        "color": alt.Color(
            "statistic:N", title=None, scale=alt.Scale(domain=domain, range=[palette.CATEGORY[0], palette.HIGHLIGHT])
        ),
        "shape": alt.Shape("statistic:N", title=None, scale=alt.Scale(domain=domain, range=["circle", "diamond"])),
    }


def wait_chart(waits: pd.DataFrame, citywide: dict[str, float]) -> tuple[alt.Chart, pd.DataFrame]:
    """Dots of the median and 90th-percentile time to close per type, on a log scale."""
    shown = waits.nlargest(TOP_TYPES * 2, "closed_requests", keep="first").sort_values(["median_hours", "service_name"])
    long = shown.melt(
        id_vars=["service_name", "closed_requests"],
        value_vars=["median_hours", "p90_hours"],
        var_name="statistic",
        value_name="hours",
    )
    long["statistic"] = _statistic_labels(long["statistic"])
    long["drawn_hours"] = long["hours"].clip(lower=MIN_HOURS)
    long["days"] = long["hours"] / 24
    order = list(shown["service_name"])
    slowest = shown.loc[shown["p90_hours"].idxmax()]
    y = alt.Y("service_name:N", sort=order, title=None, axis=alt.Axis(labelLimit=260))
    span = (
        alt.Chart(
            shown.assign(lo=shown["median_hours"].clip(lower=MIN_HOURS), hi=shown["p90_hours"].clip(lower=MIN_HOURS))
        )
        .mark_rule(color=palette.MUTED, strokeWidth=2)
        .encode(y=y, x="lo:Q", x2="hi:Q")
    )
    dots = (
        alt.Chart(long)
        .mark_point(filled=True, size=80)
        .encode(
            y=y,
            x=wait_axis(),
            **statistic_marks(),
            tooltip=[
                alt.Tooltip("service_name:N", title=tr("Type")),
                alt.Tooltip("statistic:N", title=tr("Statistic")),
                alt.Tooltip("hours:Q", title=tr("Hours"), format=",.1f"),
                alt.Tooltip("days:Q", title=tr("Days"), format=",.1f"),
                alt.Tooltip("closed_requests:Q", title=tr("Closed requests"), format=","),
            ],
        )
    )
    chart = (span + dots).properties(
        width=420,
        height=max(120, 24 * len(shown)),
        title=alt.Title(
            tr(
                "One in ten {type} requests waits more than {p90}",
                type=slowest["service_name"],
                p90=hours_text(slowest["p90_hours"]),
            ),
            subtitle=tr(
                "Median and 90th percentile time to close by type; citywide median {median}",
                median=hours_text(citywide["median_hours"]),
            ),
        ),
        description=(
            tr(
                "Dot chart of the median (circle) and 90th-percentile (diamond) time to close for the {n} types with "
                "the most closed requests, on a log scale, fastest median first. Citywide, half of closed requests close "
                "within {median} and one in ten takes longer than {p90}.",
                n=number(len(shown)),
                median=hours_text(citywide["median_hours"]),
                p90=hours_text(citywide["p90_hours"]),
            )
            + " "
            + "; ".join(
                tr(
                    "{name}: median {median}, 90th percentile {p90}",
                    name=r.service_name,
                    median=hours_text(r.median_hours),
                    p90=hours_text(r.p90_hours),
                )
                for r in shown.itertuples()
            )
            + "."
        ),
    )
    return chart, shown


def on_time_chart(on_time: pd.DataFrame) -> tuple[alt.Chart, pd.DataFrame]:
    """Bars of the share of closed requests closed by their deadline, per type, lowest first."""
    shown = on_time.nlargest(TOP_TYPES * 2, "closed_with_deadline", keep="first").sort_values(
        ["on_time_share", "service_name"]
    )
    overall = on_time["on_time"].sum() / on_time["closed_with_deadline"].sum()
    worst = shown.iloc[0]
    chart = (
        alt.Chart(shown)
        .mark_bar()
        .encode(
            y=alt.Y("service_name:N", sort=list(shown["service_name"]), title=None, axis=alt.Axis(labelLimit=260)),
            x=alt.X(
                "on_time_share:Q",
                title=tr("Share closed by the deadline"),
                axis=alt.Axis(format="%"),
                scale=alt.Scale(domain=[0, 1]),
            ),
            tooltip=[
                alt.Tooltip("service_name:N", title=tr("Type")),
                alt.Tooltip("on_time_share:Q", title=tr("On time"), format=".1%"),
                alt.Tooltip("closed_with_deadline:Q", title=tr("Closed with a deadline"), format=","),
            ],
        )
        .properties(
            width=420,
            height=max(120, 22 * len(shown)),
            title=alt.Title(
                tr(
                    "{type} is furthest behind: {share} on time",
                    type=worst["service_name"],
                    share=share_text(worst["on_time_share"]),
                ),
                subtitle=tr(
                    "Share of closed requests closed by their deadline; overall {share}", share=share_text(overall)
                ),
            ),
            description=(
                tr(
                    "Horizontal bar chart of the share of closed requests closed on or before their deadline, by type, "
                    "lowest first. Overall {share}.",
                    share=share_text(overall),
                )
                + " "
                + "; ".join(
                    tr(
                        "{name}: {share} of {n}",
                        name=r.service_name,
                        share=share_text(r.on_time_share),
                        n=number(r.closed_with_deadline),
                    )
                    for r in shown.itertuples()
                )
                + "."
            ),
        )
    )
    return chart, shown


def _period_strings(frame: pd.DataFrame, column: str = "period") -> pd.Series:
    return pd.to_datetime(frame[column]).dt.strftime("%Y-%m-%dT%H:%M:%S")  # local time: no shift a day west of UTC


def trend_chart(periods: pd.DataFrame, grain: str) -> tuple[alt.Chart, pd.DataFrame]:
    """Lines of median and 90th-percentile time to close per period, provisional periods drawn as squares and labelled."""
    words = grain_words(grain)
    data = periods.melt(
        id_vars=["period", "provisional", "requests"],
        value_vars=["median_hours", "p90_hours"],
        var_name="statistic",
        value_name="hours",
    )
    data = data.dropna(subset=["hours"])
    data["statistic"] = _statistic_labels(data["statistic"])
    data["state"] = data["provisional"].map({True: tr(PROVISIONAL), False: tr(SETTLED)})
    data["drawn_hours"] = data["hours"].clip(lower=MIN_HOURS)
    data["period"] = _period_strings(data)
    settled = periods[~periods["provisional"]]
    n_prov = int(periods["provisional"].sum())
    fmt = PERIOD_FORMAT[grain]
    x = alt.X(
        "period:T", title=tr("{Grain} requested", **words), axis=alt.Axis(format=fmt, tickCount=min(len(periods), 8))
    )
    color = alt.Color(
        "statistic:N",
        title=None,
        scale=alt.Scale(domain=[tr(MEDIAN), tr(P90)], range=[palette.CATEGORY[0], palette.HIGHLIGHT]),
    )
    lines = (
        alt.Chart(data)
        .mark_line()
        .encode(
            x=x,
            y=alt.Y(
                "drawn_hours:Q",
                title=tr("Time to close (log scale)"),
                scale=alt.Scale(type="log"),
                axis=alt.Axis(values=WAIT_TICKS, labelExpr=wait_labels()),
            ),
            color=color,
        )
    )
    points = (
        alt.Chart(data)
        .mark_point(size=70, filled=True)  # provisional periods are told by their square shape, not a white fill
        .encode(
            x=x,
            y="drawn_hours:Q",
            color=color,
            shape=alt.Shape(
                "state:N",
                title=None,
                scale=alt.Scale(domain=[tr(SETTLED), tr(PROVISIONAL)], range=["circle", "square"]),
            ),
            tooltip=[
                alt.Tooltip("period:T", title=words["Grain"], format=fmt),
                alt.Tooltip("statistic:N", title=tr("Statistic")),
                alt.Tooltip("hours:Q", title=tr("Hours"), format=",.1f"),
                alt.Tooltip("state:N", title=tr("State")),
                alt.Tooltip("requests:Q", title=tr("Requests"), format=","),
            ],
        )
    )
    counts = {"n": number(n_prov), "total": number(len(periods)), **words}
    if n_prov == 1:
        finding = tr(
            "{n} of {total} {grains} is provisional: partly covered, or too recent for slow requests to close", **counts
        )
    elif n_prov:
        finding = tr(
            "{n} of {total} {grains} are provisional: partly covered, or too recent for slow requests to close",
            **counts,
        )
    else:
        finding = tr("Every {grain} has settled: its slow requests have had time to close", **words)
    provisional = (
        tr(
            "{n} {grain} is provisional (squares): their slowest requests have not closed yet, so they look faster "
            "than they will be.",
            **counts,
        )
        if n_prov == 1
        else tr(
            "{n} {grains} are provisional (squares): their slowest requests have not closed yet, so they look faster "
            "than they will be.",
            **counts,
        )
    )
    chart = (lines + points).properties(
        width=480,
        height=240,
        title=alt.Title(
            finding,
            subtitle=tr(
                "Median and 90th-percentile time to close by {grain} requested; squares are provisional", **words
            ),
        ),
        description=(
            tr(
                "Line chart over {total} {grains} of the median and 90th-percentile time to close of requests made in "
                "each {grain}, on a log scale.",
                **counts,
            )
            + " "
            + provisional
            + " "
            + (
                tr(
                    "Among settled {grains} the median ranged from {low} to {high}.",
                    low=hours_text(settled["median_hours"].min()),
                    high=hours_text(settled["median_hours"].max()),
                    **words,
                )
                if len(settled)
                else tr("No period has settled yet.")
            )
        ),
    )
    return chart, periods


def control_chart(control: pd.DataFrame, grain: str) -> tuple[alt.Chart, pd.DataFrame]:
    """An XmR chart of requests per period: centre line, natural process limits, signals highlighted."""
    words = grain_words(grain)
    data = control.assign(
        period=_period_strings(control), kind=control["signal"].map({True: tr(SIGNAL), False: tr(NOISE)})
    )
    signals = control[control["signal"]]
    fmt = PERIOD_FORMAT[grain]
    x = alt.X(
        "period:T", title=tr("{Grain} requested", **words), axis=alt.Axis(format=fmt, tickCount=min(len(control), 8))
    )
    line = (
        alt.Chart(data)
        .mark_line(color=palette.MUTED)
        .encode(x=x, y=alt.Y("requests:Q", title=tr("Requests per {grain}", **words)))
    )
    kinds = [tr(NOISE), tr(SIGNAL)]
    points = (
        alt.Chart(data)
        .mark_point(size=70, filled=True)
        .encode(
            x=x,
            y="requests:Q",
            color=alt.Color(
                "kind:N",
                title=None,
                scale=alt.Scale(domain=kinds, range=[palette.CATEGORY[0], palette.HIGHLIGHT]),
            ),
            shape=alt.Shape("kind:N", title=None, scale=alt.Scale(domain=kinds, range=["circle", "triangle-up"])),
            tooltip=[
                alt.Tooltip("period:T", title=words["Grain"], format=fmt),
                alt.Tooltip("requests:Q", title=tr("Requests"), format=","),
                alt.Tooltip("kind:N", title=tr("Reading")),
            ],
        )
    )
    limits = pd.DataFrame(
        {
            "value": [control["lower"].iloc[0], control["centre"].iloc[0], control["upper"].iloc[0]],
            "line": [tr("Lower limit"), tr("Centre"), tr("Upper limit")],
        }
    )
    rules = (
        alt.Chart(limits)
        .mark_rule(color=palette.TARGET, strokeDash=[6, 4])
        .encode(
            y="value:Q",
            tooltip=[
                alt.Tooltip("line:N", title=tr("Line")),
                alt.Tooltip("value:Q", title=tr("Requests"), format=",.0f"),
            ],
        )
    )
    counts = {"n": number(len(signals)), "total": number(len(control)), **words}
    if len(signals) == 1:
        finding = tr("{n} of {total} {grains} is outside the limits: something changed then", **counts)
    elif len(signals):
        finding = tr("{n} of {total} {grains} are outside the limits: something changed then", **counts)
    else:
        finding = tr("Every {grain} is inside the limits: the ups and downs are noise", **words)
    chart = (rules + line + points).properties(
        width=480,
        height=240,
        title=alt.Title(
            finding, subtitle=tr("Requests per {grain} (XmR chart; limits from every complete {grain})", **words)
        ),
        description=(
            tr(
                "Control chart (XmR) of requests per {grain} over {total} complete {grains}. Centre line {centre}; "
                "natural process limits {lower} to {upper}.",
                centre=number(control["centre"].iloc[0]),
                lower=number(control["lower"].iloc[0]),
                upper=number(control["upper"].iloc[0]),
                **counts,
            )
            + " "
            + (
                tr(
                    "Outside the limits: {periods}.",
                    periods="; ".join(
                        f"{date(pd.Timestamp(r.period), PERIOD_PATTERN[grain])} ({number(r.requests)})"
                        for r in signals.itertuples()
                    ),
                )
                if len(signals)
                else tr("No period falls outside them.")
            )
        ),
    )
    return chart, control


def area_chart(areas: pd.DataFrame, area_label: str) -> tuple[alt.Chart, pd.DataFrame]:
    """Dots of median and 90th-percentile time to close per area (the areas with most requests)."""
    shown = areas.dropna(subset=["median_hours"]).head(TOP_AREAS).sort_values(["median_hours", "area"])
    long = shown.melt(
        id_vars=["area", "requests", "closed_requests"],
        value_vars=["median_hours", "p90_hours"],
        var_name="statistic",
        value_name="hours",
    )
    long["statistic"] = _statistic_labels(long["statistic"])
    long["drawn_hours"] = long["hours"].clip(lower=MIN_HOURS)
    slow, fast = shown.iloc[-1], shown.iloc[0]

    def named(area: str) -> str:  # "7" reads as "District 7"
        return f"{area_label} {area}" if str(area).isdigit() else str(area)

    chart = (
        alt.Chart(long)
        .mark_point(filled=True, size=80)
        .encode(
            y=alt.Y("area:N", sort=list(shown["area"]), title=area_label, axis=alt.Axis(labelLimit=220)),
            x=wait_axis(),
            **statistic_marks(),
            tooltip=[
                alt.Tooltip("area:N", title=area_label),
                alt.Tooltip("statistic:N", title=tr("Statistic")),
                alt.Tooltip("hours:Q", title=tr("Hours"), format=",.1f"),
                alt.Tooltip("closed_requests:Q", title=tr("Closed requests"), format=","),
            ],
        )
        .properties(
            width=420,
            height=max(120, 22 * len(shown)),
            title=alt.Title(
                tr(
                    "Typical waits run from {fast} in {fast_area} to {slow} in {slow_area}",
                    fast=hours_text(fast["median_hours"]),
                    fast_area=named(fast["area"]),
                    slow=hours_text(slow["median_hours"]),
                    slow_area=named(slow["area"]),
                ),
                subtitle=tr(
                    "Median and 90th percentile time to close by {area} (all types together)", area=area_label.lower()
                ),
            ),
            description=(
                tr(
                    "Dot chart of the median (circle) and 90th-percentile (diamond) time to close in the {n} areas with "
                    "the most requests, fastest median first, on a log scale. Areas differ in their mix of request "
                    "types, so compare within a type (see the CSV by area and type) before drawing conclusions.",
                    n=number(len(shown)),
                )
                + " "
                + "; ".join(
                    tr(
                        "{name}: median {median}, 90th percentile {p90}",
                        name=named(r.area),
                        median=hours_text(r.median_hours),
                        p90=hours_text(r.p90_hours),
                    )
                    for r in shown.itertuples()
                )
                + "."
            ),
        )
    )
    return chart, shown
