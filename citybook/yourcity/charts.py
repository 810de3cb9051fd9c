"""The city report's charts, in the book's theme: each title states the finding, each description says it in words."""

from __future__ import annotations

import altair as alt
import pandas as pd

from citybook.charts import palette

TOP_TYPES = 12  # types drawn by name; the rest are summed as "Other types" (the CSVs keep every type)
TOP_LINES = 5
TOP_AREAS = 25
MIN_HOURS = 1 / 60  # a log scale cannot show zero: waits under a minute are drawn at one minute
WAIT_TICKS = [1 / 60, 1, 6, 24, 168, 720, 8760]
WAIT_LABELS = (
    "{0.016666666666666666: '1 minute', 1: '1 hour', 6: '6 hours', 24: '1 day', 168: '1 week', "
    "720: '1 month', 8760: '1 year'}[datum.value]"
)
PERIOD_FORMAT = {"month": "%b %Y", "week": "%d %b %Y", "day": "%a %d %b"}


def hours_text(hours: float | None) -> str:
    """Format a duration for prose: minutes, hours or days, whichever reads best."""
    if hours is None or pd.isna(hours):
        return "-"
    if hours < 1:
        return f"{hours * 60:.0f} minutes"
    if hours < 48:
        return f"{hours:.1f} hours"
    return f"{hours / 24:.1f} days"


def share_text(share: float) -> str:
    """Format a share for prose."""
    return f"{share:.0%}"


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
                    {"service_name": [f"{other_label} ({len(rest)})"], "requests": [int(rest["requests"].sum())]}
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
            x=alt.X("requests:Q", title="Requests"),
            tooltip=[
                alt.Tooltip("service_name:N", title="Type"),
                alt.Tooltip("requests:Q", title="Requests", format=","),
                alt.Tooltip("share:Q", title="Share", format=".1%"),
            ],
        )
        .properties(
            width=420,
            height=max(120, 22 * len(shown)),
            title=alt.Title(
                f"{top['service_name']} is the most common request: {share_text(top['requests'] / total)} of {total:,}",
                subtitle=f"Requests by type ({len(volume)} types)",
            ),
            description=(
                f"Horizontal bar chart of requests by type, largest first. Of {total:,} requests, "
                + "; ".join(f"{r.service_name}: {r.requests:,}" for r in shown.itertuples())
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
    chart = (
        alt.Chart(data)
        .mark_line(point=alt.OverlayMarkDef(size=40))
        .encode(
            x=alt.X("month:T", title="Month requested", axis=alt.Axis(format="%b %Y", tickCount=min(months, 8))),
            y=alt.Y("requests:Q", title="Requests per month"),
            color=alt.Color(
                "service_name:N",
                title="Type (click one to pick it out)",
                sort=order,
                legend=alt.Legend(columns=2, labelLimit=260),
            ),
            opacity=alt.condition(pick, alt.value(1), alt.value(0.15)),
            tooltip=[
                alt.Tooltip("service_name:N", title="Type"),
                alt.Tooltip("month:T", title="Month", format="%B %Y"),
                alt.Tooltip("requests:Q", title="Requests", format=","),
            ],
        )
        .add_params(pick)
        .properties(
            width=480,
            height=240,
            title=alt.Title(
                f"The busiest month had {int(totals.max()):,} requests ({pd.Timestamp(totals.idxmax()):%B %Y})",
                subtitle=f"Requests per month for the {len(names)} largest types, {months} month{'s' if months != 1 else ''}",
            ),
            description=(
                f"Line chart of requests per calendar month for the {len(names)} most common types and the rest, over "
                f"{months} month{'s' if months != 1 else ''}. The busiest month was {pd.Timestamp(totals.idxmax()):%B %Y} "
                f"with {int(totals.max()):,} requests; the quietest {pd.Timestamp(totals.idxmin()):%B %Y} with "
                f"{int(totals.min()):,}. Clicking a type in the legend highlights its line."
            ),
        )
    )
    return chart, data


def wait_axis() -> alt.X:
    """The time-to-close axis both wait charts share: hours on a log scale, labelled in hours and days."""
    return alt.X(
        "drawn_hours:Q",
        title="Time to close (log scale)",
        scale=alt.Scale(type="log"),
        axis=alt.Axis(values=WAIT_TICKS, labelExpr=WAIT_LABELS, labelOverlap=True),
    )


def statistic_marks() -> dict[str, alt.Color | alt.Shape]:
    """Colour and shape telling the median from the 90th percentile (never colour alone)."""
    domain = ["Median", "90th percentile"]
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
    long["statistic"] = long["statistic"].map({"median_hours": "Median", "p90_hours": "90th percentile"})
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
                alt.Tooltip("service_name:N", title="Type"),
                alt.Tooltip("statistic:N", title="Statistic"),
                alt.Tooltip("hours:Q", title="Hours", format=",.1f"),
                alt.Tooltip("days:Q", title="Days", format=",.1f"),
                alt.Tooltip("closed_requests:Q", title="Closed requests", format=","),
            ],
        )
    )
    chart = (span + dots).properties(
        width=420,
        height=max(120, 24 * len(shown)),
        title=alt.Title(
            f"One in ten {slowest['service_name']} requests waits more than {hours_text(slowest['p90_hours'])}",
            subtitle=f"Median and 90th percentile time to close by type; citywide median {hours_text(citywide['median_hours'])}",
        ),
        description=(
            f"Dot chart of the median (circle) and 90th-percentile (diamond) time to close for the {len(shown)} types with "
            f"the most closed requests, on a log scale, fastest median first. Citywide, half of closed requests close within "
            f"{hours_text(citywide['median_hours'])} and one in ten takes longer than {hours_text(citywide['p90_hours'])}. "
            + "; ".join(
                f"{r.service_name}: median {hours_text(r.median_hours)}, 90th percentile {hours_text(r.p90_hours)}"
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
                title="Share closed by the deadline",
                axis=alt.Axis(format="%"),
                scale=alt.Scale(domain=[0, 1]),
            ),
            tooltip=[
                alt.Tooltip("service_name:N", title="Type"),
                alt.Tooltip("on_time_share:Q", title="On time", format=".1%"),
                alt.Tooltip("closed_with_deadline:Q", title="Closed with a deadline", format=","),
            ],
        )
        .properties(
            width=420,
            height=max(120, 22 * len(shown)),
            title=alt.Title(
                f"{worst['service_name']} is furthest behind: {share_text(worst['on_time_share'])} on time",
                subtitle=f"Share of closed requests closed by their deadline; overall {share_text(overall)}",
            ),
            description=(
                f"Horizontal bar chart of the share of closed requests closed on or before their deadline, by type, lowest "
                f"first. Overall {share_text(overall)}. "
                + "; ".join(
                    f"{r.service_name}: {share_text(r.on_time_share)} of {r.closed_with_deadline:,}"
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
    data = periods.melt(
        id_vars=["period", "provisional", "requests"],
        value_vars=["median_hours", "p90_hours"],
        var_name="statistic",
        value_name="hours",
    )
    data = data.dropna(subset=["hours"])
    data["statistic"] = data["statistic"].map({"median_hours": "Median", "p90_hours": "90th percentile"})
    data["state"] = data["provisional"].map({True: "Provisional: slow requests still open", False: "Settled"})
    data["drawn_hours"] = data["hours"].clip(lower=MIN_HOURS)
    data["period"] = _period_strings(data)
    settled = periods[~periods["provisional"]]
    n_prov = int(periods["provisional"].sum())
    fmt = PERIOD_FORMAT[grain]
    x = alt.X(
        "period:T", title=f"{grain.capitalize()} requested", axis=alt.Axis(format=fmt, tickCount=min(len(periods), 8))
    )
    color = alt.Color(
        "statistic:N",
        title=None,
        scale=alt.Scale(domain=["Median", "90th percentile"], range=[palette.CATEGORY[0], palette.HIGHLIGHT]),
    )
    lines = (
        alt.Chart(data)
        .mark_line()
        .encode(
            x=x,
            y=alt.Y(
                "drawn_hours:Q",
                title="Time to close (log scale)",
                scale=alt.Scale(type="log"),
                axis=alt.Axis(values=WAIT_TICKS, labelExpr=WAIT_LABELS),
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
                scale=alt.Scale(
                    domain=["Settled", "Provisional: slow requests still open"], range=["circle", "square"]
                ),
            ),
            tooltip=[
                alt.Tooltip("period:T", title=grain.capitalize(), format=fmt),
                alt.Tooltip("statistic:N", title="Statistic"),
                alt.Tooltip("hours:Q", title="Hours", format=",.1f"),
                alt.Tooltip("state:N", title="State"),
                alt.Tooltip("requests:Q", title="Requests", format=","),
            ],
        )
    )
    finding = (
        f"{n_prov} of {len(periods)} {grain}s {'is' if n_prov == 1 else 'are'} provisional: partly covered, or too recent for slow requests to close"
        if n_prov
        else f"Every {grain} has settled: its slow requests have had time to close"
    )
    chart = (lines + points).properties(
        width=480,
        height=240,
        title=alt.Title(
            finding,
            subtitle=f"Median and 90th-percentile time to close by {grain} requested; squares are provisional",
        ),
        description=(
            f"Line chart over {len(periods)} {grain}s of the median and 90th-percentile time to close of requests made in "
            f"each {grain}, on a log scale. {n_prov} {grain}{'s are' if n_prov != 1 else ' is'} provisional (squares): "
            f"their slowest requests have not closed yet, so they look faster than they will be. "
            + (
                f"Among settled {grain}s the median ranged from {hours_text(settled['median_hours'].min())} to "
                f"{hours_text(settled['median_hours'].max())}."
                if len(settled)
                else "No period has settled yet."
            )
        ),
    )
    return chart, periods


def control_chart(control: pd.DataFrame, grain: str) -> tuple[alt.Chart, pd.DataFrame]:
    """An XmR chart of requests per period: centre line, natural process limits, signals highlighted."""
    data = control.assign(period=_period_strings(control), kind=control["signal"].map({True: "Signal", False: "Noise"}))
    signals = control[control["signal"]]
    fmt = PERIOD_FORMAT[grain]
    x = alt.X(
        "period:T", title=f"{grain.capitalize()} requested", axis=alt.Axis(format=fmt, tickCount=min(len(control), 8))
    )
    line = (
        alt.Chart(data).mark_line(color=palette.MUTED).encode(x=x, y=alt.Y("requests:Q", title=f"Requests per {grain}"))
    )
    points = (
        alt.Chart(data)
        .mark_point(size=70, filled=True)
        .encode(
            x=x,
            y="requests:Q",
            color=alt.Color(
                "kind:N",
                title=None,
                scale=alt.Scale(domain=["Noise", "Signal"], range=[palette.CATEGORY[0], palette.HIGHLIGHT]),
            ),
            shape=alt.Shape(
                "kind:N", title=None, scale=alt.Scale(domain=["Noise", "Signal"], range=["circle", "triangle-up"])
            ),
            tooltip=[
                alt.Tooltip("period:T", title=grain.capitalize(), format=fmt),
                alt.Tooltip("requests:Q", title="Requests", format=","),
                alt.Tooltip("kind:N", title="Reading"),
            ],
        )
    )
    limits = pd.DataFrame(
        {
            "value": [control["lower"].iloc[0], control["centre"].iloc[0], control["upper"].iloc[0]],
            "line": ["Lower limit", "Centre", "Upper limit"],
        }
    )
    rules = (
        alt.Chart(limits)
        .mark_rule(color=palette.TARGET, strokeDash=[6, 4])
        .encode(
            y="value:Q",
            tooltip=[alt.Tooltip("line:N", title="Line"), alt.Tooltip("value:Q", title="Requests", format=",.0f")],
        )
    )
    finding = (
        f"{len(signals)} of {len(control)} {grain}s {'is' if len(signals) == 1 else 'are'} outside the limits: something changed then"
        if len(signals)
        else f"Every {grain} is inside the limits: the ups and downs are noise"
    )
    chart = (rules + line + points).properties(
        width=480,
        height=240,
        title=alt.Title(finding, subtitle=f"Requests per {grain} (XmR chart; limits from every complete {grain})"),
        description=(
            f"Control chart (XmR) of requests per {grain} over {len(control)} complete {grain}s. Centre line "
            f"{control['centre'].iloc[0]:,.0f}; natural process limits {control['lower'].iloc[0]:,.0f} to "
            f"{control['upper'].iloc[0]:,.0f}. "
            + (
                "Outside the limits: "
                + "; ".join(f"{pd.Timestamp(r.period):{fmt}} ({r.requests:,})" for r in signals.itertuples())
                + "."
                if len(signals)
                else "No period falls outside them."
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
    long["statistic"] = long["statistic"].map({"median_hours": "Median", "p90_hours": "90th percentile"})
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
                alt.Tooltip("statistic:N", title="Statistic"),
                alt.Tooltip("hours:Q", title="Hours", format=",.1f"),
                alt.Tooltip("closed_requests:Q", title="Closed requests", format=","),
            ],
        )
        .properties(
            width=420,
            height=max(120, 22 * len(shown)),
            title=alt.Title(
                f"Typical waits run from {hours_text(fast['median_hours'])} in {named(fast['area'])} to {hours_text(slow['median_hours'])} in {named(slow['area'])}",
                subtitle=f"Median and 90th percentile time to close by {area_label.lower()} (all types together)",
            ),
            description=(
                f"Dot chart of the median (circle) and 90th-percentile (diamond) time to close in the {len(shown)} areas with "
                "the most requests, fastest median first, on a log scale. Areas differ in their mix of request types, "
                "so compare within a type (see the CSV by area and type) before drawing conclusions. "
                + "; ".join(
                    f"{named(r.area)}: median {hours_text(r.median_hours)}, 90th percentile {hours_text(r.p90_hours)}"
                    for r in shown.itertuples()
                )
                + "."
            ),
        )
    )
    return chart, shown
