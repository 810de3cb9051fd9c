"""Lesson 9's power functions agree with simulated trials.

The lesson defines `sample_size_per_arm` and `minimum_detectable_effect` in one visible code cell
tagged `power-function`. This test runs that cell's source on its own, then simulates many two-arm
trials with a seeded random generator and checks that a trial of the computed size detects the
effect about as often as the formula promises.
"""
from __future__ import annotations

import numpy as np
import pytest
from scipy.stats import norm

from citybook.paths import LESSONS
from tests.helpers.lesson_notebooks import read

LESSON = LESSONS / "09-randomised-trials.ipynb"
TAG = "power-function"
SIMULATED_TRIALS = 40_000  # the simulated power's standard error is about 0.002
TOLERANCE = 0.03


@pytest.fixture(scope="module")
def power_functions() -> dict:
    """The functions defined by the lesson's tagged cell, run in a namespace of their own."""
    cells = [c for c in read(LESSON).cells if c.cell_type == "code" and TAG in c.metadata.get("tags", [])]
    assert len(cells) == 1, f"{LESSON.name}: expected one code cell tagged {TAG!r}, found {len(cells)}"
    namespace: dict = {}
    exec(compile(cells[0].source, f"{LESSON.name}:{TAG}", "exec"), namespace)  # noqa: S102
    for name in ("sample_size_per_arm", "minimum_detectable_effect"):
        assert callable(namespace.get(name)), f"the {TAG} cell does not define {name}()"
    return namespace


def simulated_power(n: int, p_control: float, p_treatment: float, alpha: float, pooled: bool, seed: int) -> float:
    """Share of simulated trials in which a two-sided two-proportion z-test rejects 'no difference'."""
    rng = np.random.default_rng(seed)
    control = rng.binomial(n, p_control, SIMULATED_TRIALS) / n
    treated = rng.binomial(n, p_treatment, SIMULATED_TRIALS) / n
    if pooled:  # the textbook z-test: variance under 'no difference'
        both = (control + treated) / 2
        variance = 2 * both * (1 - both) / n
    else:  # the test behind the lesson's interval: it excludes zero exactly when this rejects
        variance = (control * (1 - control) + treated * (1 - treated)) / n
    with np.errstate(divide="ignore", invalid="ignore"):
        z = (treated - control) / np.sqrt(variance)
    return float(np.mean(np.abs(np.nan_to_num(z)) > norm.ppf(1 - alpha / 2)))


SETTINGS = [  # (control rate, treatment rate, alpha, power)
    (0.075, 0.115, 0.05, 0.8),  # the trial's control rate and a letter-sized effect
    (0.30, 0.36, 0.05, 0.8),
    (0.50, 0.45, 0.05, 0.8),  # an effect that lowers the rate
    (0.12, 0.15, 0.01, 0.9),  # a stricter test and higher power
]


@pytest.mark.parametrize("pooled", [False, True], ids=["unpooled", "pooled"])
@pytest.mark.parametrize("p_control, p_treatment, alpha, power", SETTINGS)
def test_computed_sample_size_gives_the_promised_power(power_functions, p_control, p_treatment, alpha, power, pooled) -> None:
    n = power_functions["sample_size_per_arm"](p_control, p_treatment, alpha=alpha, power=power)
    assert isinstance(n, int) and n > 0
    achieved = simulated_power(n, p_control, p_treatment, alpha, pooled, seed=n)
    assert abs(achieved - power) <= TOLERANCE, (
        f"n={n} per arm for {p_control} vs {p_treatment}: simulated power {achieved:.3f}, promised {power}"
    )


def test_a_trial_of_the_wrong_size_misses_the_promise(power_functions) -> None:
    """The check has teeth: half the computed sample falls well short of 80% power."""
    n = power_functions["sample_size_per_arm"](0.075, 0.115)
    assert simulated_power(n // 2, 0.075, 0.115, 0.05, pooled=False, seed=1) < 0.8 - 3 * TOLERANCE


@pytest.mark.parametrize("n_per_arm", [300, 2_500, 20_000])
@pytest.mark.parametrize("p_control", [0.075, 0.30])
def test_minimum_detectable_effect_inverts_the_sample_size(power_functions, n_per_arm, p_control) -> None:
    mde = power_functions["minimum_detectable_effect"](n_per_arm, p_control)
    assert 0 < mde < 1 - p_control
    assert abs(power_functions["sample_size_per_arm"](p_control, p_control + mde) - n_per_arm) <= 1
    # A slightly smaller effect needs more accounts than the trial has.
    assert power_functions["sample_size_per_arm"](p_control, p_control + 0.97 * mde) > n_per_arm


def test_minimum_detectable_effect_is_detected_with_the_promised_power(power_functions) -> None:
    mde = power_functions["minimum_detectable_effect"](2_500, 0.075, alpha=0.05, power=0.8)
    achieved = simulated_power(2_500, 0.075, 0.075 + mde, 0.05, pooled=False, seed=2_500)
    assert abs(achieved - 0.8) <= TOLERANCE


def test_smaller_effects_and_stricter_tests_need_more_accounts(power_functions) -> None:
    size = power_functions["sample_size_per_arm"]
    assert size(0.075, 0.095) > size(0.075, 0.115)
    assert 3.5 < size(0.075, 0.085) / size(0.075, 0.095) < 4.5  # half the effect: about four times the accounts
    assert size(0.075, 0.115, alpha=0.01) > size(0.075, 0.115, alpha=0.05)
    assert size(0.075, 0.115, power=0.9) > size(0.075, 0.115, power=0.8)


def test_impossible_inputs_are_refused(power_functions) -> None:
    with pytest.raises(ValueError):
        power_functions["sample_size_per_arm"](0.1, 0.1)
    with pytest.raises(ValueError):
        power_functions["sample_size_per_arm"](0.0, 0.1)
    with pytest.raises(ValueError):
        power_functions["minimum_detectable_effect"](0, 0.1)
