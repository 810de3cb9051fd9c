"""The sample city's fixed design: period, seed and every planted effect's true value.

These constants are the documented truth that `datasets/PLANTED_EFFECTS.md` reports and that
`tests/test_planted_effects.py` checks the data against. Change one and regenerate.
"""

from __future__ import annotations

from datetime import date, datetime

SEED = 20240401

# --- the period the portal covers -------------------------------------------------------------
START = date(2022, 1, 1)
END = date(2024, 12, 31)
AS_OF = datetime(2025, 1, 1, 0, 0, 0)  # moment of the portal export; later events are not yet known
UTC_OFFSET_HOURS = -6  # local time is UTC-06:00 all year: the city does not observe daylight saving
YEARS = (2022, 2023, 2024)

# --- Goodhart's law: a department closes requests fast without fixing them ---------------------
GOODHART_DEPARTMENT = "Solid Waste Services"
GOODHART_START = date(2023, 7, 1)  # a "close within 1 business day" target starts this day
GOODHART_SPEEDUP = 0.30  # time to close is multiplied by this for the department's requests
GOODHART_UNRESOLVED = 0.30  # share of its closures that did not fix the problem (after the start)
BASE_UNRESOLVED = 0.04  # the same share for every other request
REOPEN_SHARE = 0.70  # an unresolved closure is reopened by the resident; otherwise re-filed anew

# --- equity: lower-income neighbourhoods, request mix and a small within-type gap -------------
LOW_INCOME_WITHIN_TYPE_FACTOR = 1.05  # lowest-income third of neighbourhoods wait 5% longer, same type

# --- the pothole-crew pilot (difference in differences) -----------------------------------------
PILOT_START = date(2024, 4, 1)
PILOT_DISTRICT_COUNT = 3  # districts with most pothole requests per 1,000 residents in 2023
PILOT_SELECTION_YEAR = 2023
PILOT_EFFECT = 0.80  # pilot multiplies time to close of pothole requests (i.e. -20%)
POTHOLE_TREND_PER_YEAR = -0.10  # citywide log change in pothole hours per year (all districts)
FREEZE_THAW_BACKLOG = {2: 0.20, 3: 0.25, 4: 0.15}  # log added to pothole hours by month

# --- a summer storm and its backlog -------------------------------------------------------------
STORM_START = date(2023, 7, 12)
STORM_DEPARTMENTS = ("Parks and Forestry", "Transportation", "Water Utility")
STORM_BACKLOG_PEAK = 2.5  # time to close multiplied by 1 + peak * exp(-days / decay)
STORM_BACKLOG_DECAY_DAYS = 10.0

# --- the payment-reminder trial ------------------------------------------------------------------
TRIAL_ACCOUNTS = 10_000
TRIAL_MAILING_DATE = date(2024, 3, 4)
TRIAL_CONTROL_RATE = 0.075  # expected share paying within 30 days with no reminder
TRIAL_TRUE_ITT_PP = {  # intention-to-treat effect on paid_30d, percentage points over control
    "standard_letter": 4.0,
    "social_norm_letter": 6.0,
    "personalised_text": 11.0,
}
LETTER_DELIVERY_RATE = 0.93  # 7% of letters come back undelivered
TEXT_DELIVERY_RATE = 0.92  # of texts sent to a mobile number on file
MOBILE_ON_FILE_RATE = 0.80

# --- EMS standards (NFPA 1710 and common ambulance practice) ------------------------------------
NFPA_CALL_PROCESSING_S = 64
NFPA_TURNOUT_EMS_S = 60
NFPA_TRAVEL_S = 240
AMBULANCE_RESPONSE_S = 539  # 8:59 at the 90th percentile
NIGHT_TURNOUT_FACTOR = 1.5  # 23:00-06:59 turnout is this much slower (crews asleep)
PEAK_TRAFFIC_FACTOR = 1.15  # weekday 07-09 and 16-18 travel is this much slower

# --- pavement (ASTM D6433 PCI; Spokane-style bands) ---------------------------------------------
PCI_BANDS = (("good", 60, 100), ("fair", 40, 59), ("poor", 20, 39), ("failed", 0, 19))
TREATMENT_BY_BAND = {  # treatment each band gets, and its cost per lane-mile in USD
    "good": ("preventive seal", 20_000),
    "fair": ("surface treatment", 75_000),
    "poor": ("mill and overlay", 250_000),
    "failed": ("reconstruction", 750_000),
}

# --- the resident survey -------------------------------------------------------------------------
SURVEY_CONTACTS = 31_000
SURVEY_FIELD_START = date(2024, 9, 9)
SURVEY_FIELD_END = date(2024, 10, 25)

# --- procurement: the two under-performing vendors ----------------------------------------------
UNDERPERFORMING_VENDORS = ("Tri-County Waste Haulers", "Brightline Facility Services")
