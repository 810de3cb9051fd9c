"""The 2024 resident survey: satisfaction with services, with non-response and post-stratification weights."""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy.stats import norm

from citybook.city import profile, truth
from citybook.city.draws import categorical, lognormal
from citybook.city.schema import Field, ForeignKey, Table

AGE_BANDS = ("18-34", "35-49", "50-64", "65+")
UNDER_65_SPLIT = (0.38, 0.33, 0.29)  # of adults under 65
TENURES = ("owner", "renter")
RENTING_BY_AGE = (1.6, 1.05, 0.75, 0.55)  # relative chance of renting by age band
INCOME_BANDS = ("under_35k", "35k_to_75k", "75k_to_150k", "150k_plus")
LANGUAGES = ("English", "Spanish", "Other")
MODES = ("mail", "online", "phone")
# satisfaction: an ordered-probit model on a latent scale
AGE_EFFECT = (-0.20, -0.05, 0.10, 0.40)
OWNER_EFFECT = 0.30
INCOME_QUALITY = 0.20  # per sd of the neighbourhood's log median income (better-served places)
PERSON_SD, ITEM_SD = 0.5, 0.85
THRESHOLDS = np.array([-1.5, -0.6, 0.35, 1.45])
ITEMS = {  # column: (offset on the latent scale, share answering "don't know")
    "sat_311": (-0.10, 0.35),
    "sat_streets": (-0.45, 0.03),
    "sat_trash": (0.25, 0.04),
    "sat_parks": (0.30, 0.08),
    "sat_safety": (-0.05, 0.03),
    "sat_water": (0.20, 0.10),
    "sat_overall": (0.0, 0.0),
}
# non-response: older residents and owners answer more
RESPONSE_BASE = 0.10
RESPONSE_BY_AGE = (0.45, 0.75, 1.15, 1.9)
RESPONSE_BY_TENURE = (1.35, 0.65)
RESPONSE_NOT_ENGLISH = 0.6

_ITEM_FIELDS = tuple(
    Field(
        col,
        "integer",
        f"Satisfaction with {label} (1 = very dissatisfied ... 5 = very satisfied; empty = don't know).",
        unit="rating (1-5)",
        required=col == "sat_overall",
        minimum=1,
        maximum=5,
    )
    for col, label in (
        ("sat_311", "311 service"),
        ("sat_streets", "street condition"),
        ("sat_trash", "trash and recycling collection"),
        ("sat_parks", "parks"),
        ("sat_safety", "feeling of safety in the neighbourhood"),
        ("sat_water", "water service"),
        ("sat_overall", "city services overall"),
    )
)

TABLE = Table(
    name="resident_survey",
    title="Resident survey 2024",
    description=(
        "Answers to the fictional city's 2024 resident survey (address-based sample, September-October "
        "2024). Older residents and home owners answered more often than others, so unweighted "
        "results mislead: use `weight`, which post-stratifies respondents to the adult population by "
        "age band x tenure (targets in survey_weighting_targets). Each weight is the number of adult "
        "residents the respondent stands for."
    ),
    convention="Resident satisfaction survey with 1-5 Likert items and post-stratification weights, in the style of ETC Institute / National Community Survey municipal surveys.",
    fields=(
        Field("respondent_id", "string", "Respondent (anonymous).", required=True),
        Field("completed_date", "date", "Date the questionnaire came back.", required=True),
        Field("mode", "string", "How it was answered.", required=True, enum=MODES),
        Field("neighborhood_id", "string", "Neighbourhood of residence.", required=True),
        Field("district", "integer", "Service district of residence.", required=True, minimum=1, maximum=10),
        Field("age_band", "string", "Age band.", required=True, enum=AGE_BANDS),
        Field("tenure", "string", "Owns or rents the home.", required=True, enum=TENURES),
        Field("income_band", "string", "Household income band (USD a year).", required=True, enum=INCOME_BANDS),
        Field("language", "string", "Language the questionnaire was answered in.", required=True, enum=LANGUAGES),
    )
    + _ITEM_FIELDS
    + (
        Field(
            "weight",
            "number",
            "Post-stratification weight (adult residents represented).",
            unit="people",
            required=True,
            minimum=0,
            decimals=3,
        ),
    ),
    primary_key=("respondent_id",),
    foreign_keys=(
        ForeignKey(("neighborhood_id",), "neighborhoods", ("neighborhood_id",)),
        ForeignKey(("district",), "districts", ("district",)),
    ),
)

TARGETS = Table(
    name="survey_weighting_targets",
    title="Survey weighting targets",
    description="Adult residents of the fictional city by age band and tenure (2024 estimates): the post-stratification targets for resident_survey weights.",
    convention="Post-stratification cells from census-style population estimates.",
    fields=(
        Field("age_band", "string", "Age band.", required=True, enum=AGE_BANDS),
        Field("tenure", "string", "Owns or rents the home.", required=True, enum=TENURES),
        Field("adult_population", "integer", "Adult residents in the cell.", unit="people", required=True, minimum=0),
    ),
    primary_key=("age_band", "tenure"),
)


def population_cells(hoods: pd.DataFrame) -> pd.DataFrame:
    """Adults per neighbourhood x age band x tenure, consistent with the neighbourhood profile."""
    rows = []
    for h in hoods.itertuples():
        adults = h.population * profile.ADULT_SHARE
        older = min(h.share_age_65_plus / profile.ADULT_SHARE, 0.6)
        age_share = np.array([(1 - older) * s for s in UNDER_65_SPLIT] + [older])
        rent = np.clip(h.share_renting * np.array(RENTING_BY_AGE) / (age_share @ np.array(RENTING_BY_AGE)), 0.02, 0.97)
        for a in range(len(AGE_BANDS)):
            for t, tenure in enumerate(TENURES):
                share = rent[a] if tenure == "renter" else 1 - rent[a]
                rows.append(
                    {"hood": h.Index, "age": a, "tenure": t, "adults": int(round(adults * age_share[a] * share))}
                )
    return pd.DataFrame(rows)


def _latent_mean(hoods: pd.DataFrame, hood: np.ndarray, age: np.ndarray, tenure: np.ndarray) -> np.ndarray:
    """Mean latent satisfaction for people with these characteristics."""
    log_income = np.log(hoods["median_household_income"].to_numpy(dtype=float))
    quality = INCOME_QUALITY * (log_income - log_income.mean()) / log_income.std()
    return np.array(AGE_EFFECT)[age] + OWNER_EFFECT * (tenure == 0) + quality[hood]


def expected_rating(latent_mean: np.ndarray) -> np.ndarray:
    """Expected 1-5 rating given the latent mean (ordered probit)."""
    sd = np.hypot(PERSON_SD, ITEM_SD)
    below = norm.cdf((THRESHOLDS[None, :] - latent_mean[:, None]) / sd)  # P(rating <= k), k = 1..4
    return 5 - below.sum(axis=1)


def population_mean_satisfaction(hoods: pd.DataFrame, item: str = "sat_overall") -> float:
    """True mean rating among all adult residents (what a perfect census of opinion would find)."""
    cells = population_cells(hoods)
    mean = (
        _latent_mean(hoods, cells["hood"].to_numpy(), cells["age"].to_numpy(), cells["tenure"].to_numpy())
        + ITEMS[item][0]
    )
    return float(np.average(expected_rating(mean), weights=cells["adults"]))


def targets(hoods: pd.DataFrame) -> pd.DataFrame:
    """Weighting targets: adults by age band x tenure citywide."""
    cells = population_cells(hoods).groupby(["age", "tenure"], as_index=False)["adults"].sum()
    return pd.DataFrame(
        {
            "age_band": np.array(AGE_BANDS)[cells["age"]],
            "tenure": np.array(TENURES)[cells["tenure"]],
            "adult_population": cells["adults"],
        }
    )


def generate(hoods: pd.DataFrame, rng: np.random.Generator) -> pd.DataFrame:
    """Contact a random sample of adults; those who answer rate services; weight them back to the population."""
    cells = population_cells(hoods)
    contacted = rng.multinomial(truth.SURVEY_CONTACTS, cells["adults"] / cells["adults"].sum())
    people = cells.loc[np.repeat(cells.index, contacted)].reset_index(drop=True)
    hood, age, tenure = people["hood"].to_numpy(), people["age"].to_numpy(), people["tenure"].to_numpy()
    limited = hoods["share_limited_english"].to_numpy()[hood]
    language = categorical(rng, np.column_stack([1 - 1.25 * limited, 0.9 * limited, 0.35 * limited]))
    respond = RESPONSE_BASE * np.array(RESPONSE_BY_AGE)[age] * np.array(RESPONSE_BY_TENURE)[tenure]
    respond = respond * np.where(language > 0, RESPONSE_NOT_ENGLISH, 1.0)
    keep = rng.random(len(people)) < respond
    hood, age, tenure, language = hood[keep], age[keep], tenure[keep], language[keep]
    n = len(hood)
    order = rng.permutation(n)
    hood, age, tenure, language = hood[order], age[order], tenure[order], language[order]
    income = hoods["median_household_income"].to_numpy()[hood] * np.where(tenure == 0, 1.25, 0.7)
    income = lognormal(rng, income, 2.4)
    latent = _latent_mean(hoods, hood, age, tenure) + rng.normal(0, PERSON_SD, n)
    frame = pd.DataFrame(
        {
            "respondent_id": [f"R{i + 1:05d}" for i in range(n)],
            "completed_date": pd.Timestamp(truth.SURVEY_FIELD_START)
            + pd.to_timedelta(
                np.minimum(np.floor(rng.exponential(12, n)), (truth.SURVEY_FIELD_END - truth.SURVEY_FIELD_START).days),
                unit="D",
            ),
            "mode": np.array(MODES)[
                categorical(rng, np.column_stack([0.35 + 0.1 * age, 0.6 - 0.12 * age, 0.05 + 0.02 * age]))
            ],
            "neighborhood_id": hoods["neighborhood_id"].to_numpy()[hood],
            "district": hoods["district"].to_numpy()[hood],
            "age_band": np.array(AGE_BANDS)[age],
            "tenure": np.array(TENURES)[tenure],
            "income_band": np.array(INCOME_BANDS)[np.searchsorted([35_000, 75_000, 150_000], income, side="right")],
            "language": np.array(LANGUAGES)[language],
        }
    )
    for col, (offset, dont_know) in ITEMS.items():
        value = latent + offset + rng.normal(0, ITEM_SD, n)
        rating = 1 + np.searchsorted(THRESHOLDS, value)
        frame[col] = pd.array(np.where(rng.random(n) < dont_know, None, rating), dtype="Int64")
    target = targets(hoods).set_index(["age_band", "tenure"])["adult_population"]
    counts = frame.groupby(["age_band", "tenure"])["respondent_id"].transform("size")
    cell_target = pd.Series(list(zip(frame["age_band"], frame["tenure"]))).map(target).to_numpy()
    frame["weight"] = np.round(cell_target / counts.to_numpy(), 3)
    return frame[TABLE.columns]
