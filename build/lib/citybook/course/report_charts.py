"""The cohort report's three charts: score bands, full marks per item, scores by city.

Each title states the chart's finding, computed from the data; each description says it in words.
"""

from __future__ import annotations

import altair as alt
import pandas as pd

from citybook.charts.palette import HIGHLIGHT, MUTED

RETEACH_BELOW = 0.6  # an item fewer than 60% of graded participants got fully right is worth reteaching


def percent(value: float) -> str:
    """Format a share or a percentage-point value for prose."""
    return f"{value:.0f}%"


def score_chart(bands: pd.DataFrame, scored: pd.DataFrame) -> alt.Chart:
    """Bars of how many participants fall in each score band, titled with the median."""
    median = scored["score_pct"].median()
    full = int((scored["score_pct"] >= 100).sum())
    zero = int((scored["score_pct"] <= 0).sum())
    return (
        alt.Chart(bands)
        .mark_bar()
        .encode(
            x=alt.X(
                "score:N",
                sort=list(bands["score"]),
                title="Autograded score (% of points)",
                axis=alt.Axis(labelAngle=0),
            ),
            y=alt.Y("participants:Q", title="Participants", axis=alt.Axis(tickMinStep=1, format="d")),
            tooltip=[alt.Tooltip("score:N", title="Score"), alt.Tooltip("participants:Q", title="Participants")],
        )
        .properties(
            width=560,
            title=f"The median participant scored {percent(median)} on the autograded questions",
            description=(
                f"Bar chart of autograded scores for {len(scored)} graded participants, in bands of 10 "
                f"percentage points. Median {percent(median)}; {full} scored full marks and {zero} scored zero."
            ),
        )
    )


def hardest(rates: pd.DataFrame) -> pd.Series:
    """Return the item with the lowest full-marks rate (the first in notebook order on a tie)."""
    return rates.sort_values("pass_rate", kind="stable").iloc[0]


def item_chart(rates: pd.DataFrame) -> alt.Chart:
    """Bars of the share of participants with full marks per item, those to reteach highlighted."""
    threshold = f"Below {percent(100 * RETEACH_BELOW)}: reteach"
    frame = rates.assign(
        pass_pct=100 * rates["pass_rate"],
        verdict=[threshold if rate < RETEACH_BELOW else "Most got it right" for rate in rates["pass_rate"]],
    )
    worst = hardest(rates)
    title = f"{worst['item']} was the hardest: {percent(100 * worst['pass_rate'])} got it fully right"
    listing = "; ".join(f"{row.item} {percent(row.pass_pct)}" for row in frame.itertuples())
    return (
        alt.Chart(frame)
        .mark_bar()
        .encode(
            x=alt.X("pass_pct:Q", title="Participants with full marks (%)", scale=alt.Scale(domain=[0, 100])),
            y=alt.Y("item:N", sort=list(frame["item"]), title=None),
            color=alt.Color(
                "verdict:N",
                title=None,
                scale=alt.Scale(domain=[threshold, "Most got it right"], range=[HIGHLIGHT, MUTED]),
            ),
            tooltip=[
                alt.Tooltip("item:N", title="Item"),
                alt.Tooltip("pass_pct:Q", title="Full marks (%)", format=".0f"),
                alt.Tooltip("graded:Q", title="Graded"),
            ],
        )
        .properties(
            title=title,
            description=f"Share of graded participants with full marks on each item, in notebook order: {listing}.",
        )
    )


def city_chart(scored: pd.DataFrame) -> alt.Chart:
    """Each participant's autograded score by city, with the city's mean."""
    means = scored.groupby("city")["score_pct"].mean().sort_values()
    lowest = means.index[0]
    order = list(means.index)
    points = (
        alt.Chart(scored)
        .mark_circle(opacity=0.6, color=MUTED)
        .encode(
            x=alt.X("score_pct:Q", title="Autograded score (% of points)", scale=alt.Scale(domain=[0, 100])),
            y=alt.Y("city:N", sort=order, title=None),
            tooltip=[
                alt.Tooltip("id:N", title="Participant"),
                alt.Tooltip("score_pct:Q", title="Score (%)", format=".0f"),
            ],
        )
    )
    mean_marks = (
        alt.Chart(means.reset_index())
        .mark_tick(color=HIGHLIGHT, thickness=3, size=22)
        .encode(
            x="score_pct:Q",
            y=alt.Y("city:N", sort=order),
            tooltip=[alt.Tooltip("city:N", title="City"), alt.Tooltip("score_pct:Q", title="Mean (%)", format=".0f")],
        )
    )
    listing = "; ".join(f"{city} {percent(value)}" for city, value in means.items())
    height = {"step": 32}
    title = (
        f"{lowest} scored lowest on average ({percent(means.iloc[0])})"
        if len(means) > 1
        else f"All graded participants are from {lowest}"
    )
    return (points + mean_marks).properties(
        height=height,
        title=title,
        description=f"Autograded score of each graded participant by city (dots), with each city's mean (bar). "
        f"Means from lowest: {listing}.",
    )


def score_bins(scored: pd.DataFrame) -> pd.DataFrame:
    """Return how many participants fall in each 10-point score band, and how many scored 100%."""
    labels = [f"{low}-{low + 9}%" for low in range(0, 100, 10)] + ["100%"]
    bands = pd.cut(scored["score_pct"], bins=[*range(0, 101, 10), 101], labels=labels, right=False, include_lowest=True)
    counts = bands.value_counts(sort=False).reindex(labels, fill_value=0)
    return pd.DataFrame({"score": labels, "participants": counts.to_numpy()})
