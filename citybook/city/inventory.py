"""The city's own data inventory: what data it holds, who owns it, how open and how well kept."""
from __future__ import annotations

import pandas as pd

from citybook.city.schema import Field, Table

SENSITIVITY = ("public", "internal", "confidential", "restricted")
FREQUENCIES = ("real-time", "daily", "weekly", "monthly", "quarterly", "annually", "irregular")
CITY_DEPARTMENTS = (
    "311 Customer Service", "Code Enforcement", "Finance", "Fire and EMS", "General Services", "Health",
    "Housing", "Human Resources", "Information Technology", "Library", "Mayor's Office", "Parks and Forestry",
    "Planning and Development", "Police", "Public Works", "Solid Waste Services", "Transportation", "Water Utility",
)

# name, department, owner, description, frequency, last updated, sensitivity, licence, published,
# data dictionary, personal data, source system, quality notes
_ROWS = (
    ("311 service requests", "311 Customer Service", "311 Data Analyst", "Every non-emergency service request and its status.", "daily", "2024-12-31", "public", "CC-BY-4.0", True, True, False, "CivicWorks CRM", "Raw export has duplicates, test records and a batch in UTC; cleaned nightly."),
    ("311 service catalogue", "311 Customer Service", "311 Data Analyst", "Request types, departments and service levels.", "irregular", "2024-06-14", "public", "CC-BY-4.0", True, True, False, "CivicWorks CRM", ""),
    ("311 call centre statistics", "311 Customer Service", "", "Calls offered, answered and abandoned by interval.", "daily", "2024-12-31", "internal", "", False, False, False, "Phone system", "Interval data purged after 13 months."),
    ("Neighbourhood boundaries", "Planning and Development", "GIS Manager", "Neighbourhood polygons and profiles.", "annually", "2024-03-01", "public", "CC-BY-4.0", True, True, False, "City GIS", ""),
    ("Council district boundaries", "Planning and Development", "GIS Manager", "Council district polygons.", "irregular", "2022-01-10", "public", "CC-BY-4.0", True, True, False, "City GIS", "Redrawn after each census."),
    ("Building permits", "Planning and Development", "Permit Center Supervisor", "Permit applications, reviews and issue dates.", "daily", "2024-12-31", "public", "CC-BY-4.0", True, False, False, "Permit tracking system", "Valuation is self-declared by applicants."),
    ("Building inspections", "Planning and Development", "Chief Building Official", "Inspection requests and results.", "daily", "2024-12-30", "public", "", False, False, False, "Permit tracking system", ""),
    ("EMS incidents", "Fire and EMS", "EMS Data Coordinator", "Ambulance incidents with NFPA time stamps, neighbourhood level.", "monthly", "2024-12-31", "public", "CC-BY-4.0", True, True, False, "CAD export", "En-route time missing when crews forget to press the button."),
    ("Patient care reports", "Fire and EMS", "EMS Medical Director", "Clinical records of each patient contact.", "real-time", "2024-12-31", "restricted", "", False, True, True, "ePCR system", "Protected health information."),
    ("Fire incidents", "Fire and EMS", "", "Fire calls with NFIRS codes.", "monthly", "2024-11-30", "public", "", False, False, False, "CAD export", "NFIRS codes missing on 8% of records."),
    ("911 call records", "Police", "Communications Manager", "Computer-aided dispatch records of 911 calls.", "real-time", "2024-12-31", "restricted", "", False, True, True, "CAD", "Contains caller names and phone numbers."),
    ("Crime incidents (block level)", "Police", "Crime Analysis Unit", "Reported offences, located to the block.", "daily", "2024-12-31", "public", "CC-BY-4.0", True, True, False, "Records management system", "Classifications change after investigation."),
    ("Use of force reports", "Police", "Professional Standards", "Each use-of-force incident and its review.", "quarterly", "2024-10-15", "internal", "", False, False, True, "IA tracking", "Not yet reviewed for release."),
    ("Traffic crashes", "Transportation", "Traffic Safety Engineer", "Police-reported crashes with location and severity.", "monthly", "2024-12-15", "public", "CC-BY-4.0", True, True, False, "State crash database", "Locations of 5% of crashes are approximate."),
    ("Traffic counts", "Transportation", "Traffic Engineer", "Vehicle counts at count stations.", "irregular", "2019-08-30", "public", "", False, False, False, "Count contractor spreadsheets", "Last full count programme in 2019."),
    ("Streetlight inventory", "Transportation", "", "Every streetlight, pole type and lamp.", "irregular", "2021-05-04", "public", "", False, False, False, "Spreadsheet", "LED conversion not recorded."),
    ("Pavement condition", "Public Works", "Pavement Manager", "PCI survey of every segment, treatments and costs.", "annually", "2024-06-30", "public", "CC-BY-4.0", True, True, False, "Pavement management system", ""),
    ("Street segments", "Public Works", "Pavement Manager", "Street centreline segments, class, lanes.", "annually", "2024-06-30", "public", "CC-BY-4.0", True, True, False, "Pavement management system", ""),
    ("Sidewalk condition survey", "Public Works", "", "Sidewalk condition by block face.", "irregular", "2020-09-18", "public", "", False, False, False, "Consultant deliverable", "One-off survey; never updated."),
    ("Fleet GPS pings", "Public Works", "", "Vehicle locations every 30 seconds.", "real-time", "2024-12-31", "internal", "", False, False, False, "Telematics vendor", "Vendor holds the raw data."),
    ("Missed collections", "Solid Waste Services", "Collections Superintendent", "Missed pickups reported by haulers and residents.", "weekly", "2024-12-27", "public", "", True, False, False, "Hauler portals", "Haulers report in different formats."),
    ("Collection routes", "Solid Waste Services", "Collections Superintendent", "Route and collection day of each address.", "annually", "2023-02-01", "public", "", False, True, False, "Routing software", ""),
    ("Water main breaks", "Water Utility", "Distribution Engineer", "Main breaks with location, pipe material and age.", "monthly", "2024-12-10", "public", "PDDL-1.0", True, True, False, "Asset management system", ""),
    ("Water quality tests", "Water Utility", "Water Quality Lab", "Compliance sampling results.", "monthly", "2024-12-05", "public", "PDDL-1.0", True, True, False, "LIMS", ""),
    ("Utility billing accounts", "Finance", "Utility Billing Manager", "Customer accounts, balances and payments.", "daily", "2024-12-31", "confidential", "", False, True, True, "Billing system", "Mobile numbers on file for 80% of accounts."),
    ("Payment reminder trial", "Finance", "Utility Billing Manager", "Pseudonymised accounts, arms and payments of the 2024 reminder trial.", "irregular", "2024-05-15", "internal", "CC-BY-4.0", True, True, False, "Billing system extract", "Published after de-identification review."),
    ("Operating budget", "Finance", "Budget Director", "Adopted and actual spending by programme with measures.", "annually", "2024-09-30", "public", "CC-BY-4.0", True, True, False, "Financial system", ""),
    ("Contracts", "Finance", "Chief Procurement Officer", "Contracts awarded, vendors, award method, value.", "monthly", "2024-12-31", "public", "CC-BY-4.0", True, True, False, "Procurement system", "Bids received not recorded for cooperative purchases."),
    ("Vendor performance", "Finance", "Chief Procurement Officer", "Monthly indicators for performance-managed contracts.", "monthly", "2024-12-31", "internal", "", False, True, False, "Contract managers' spreadsheets", "Only 8 service lines report."),
    ("Property tax assessments", "Finance", "Assessor", "Assessed value of each parcel.", "annually", "2024-04-01", "public", "", True, False, False, "Assessment system", "Owner names included."),
    ("Payroll", "Human Resources", "Payroll Manager", "Pay, hours and overtime of each employee.", "weekly", "2024-12-27", "confidential", "", False, True, True, "HR/payroll system", ""),
    ("Position control", "Human Resources", "", "Budgeted positions and vacancies.", "monthly", "2024-12-01", "internal", "", False, False, False, "HR/payroll system", "Vacancy dates often missing."),
    ("Code enforcement cases", "Code Enforcement", "Code Enforcement Manager", "Cases, inspections and violations, with complainant details.", "daily", "2024-12-31", "confidential", "CC-BY-4.0", True, False, True, "Case management system", "Published extract still carries complainant names."),
    ("Housing inspections", "Code Enforcement", "Code Enforcement Manager", "Rental inspections and violations found.", "daily", "2024-12-31", "public", "", False, False, False, "Case management system", ""),
    ("Restaurant inspections", "Health", "Environmental Health Supervisor", "Food-safety inspection scores.", "weekly", "2024-12-20", "public", "CC-BY-4.0", True, False, False, "Inspection app", "Scoring changed in 2023."),
    ("Rodent inspections", "Health", "", "Rodent baiting and inspection visits.", "monthly", "2023-06-30", "public", "", False, False, False, "Spreadsheet", "Kept by one inspector."),
    ("Street tree inventory", "Parks and Forestry", "City Forester", "Every street tree with species, size and condition.", "irregular", "2022-11-15", "public", "", False, True, False, "Tree inventory software", "Storm losses of July 2023 not yet removed."),
    ("Park facilities", "Parks and Forestry", "Parks Planner", "Parks, playgrounds, courts and their amenities.", "annually", "2024-02-20", "public", "CC-BY-4.0", True, True, False, "City GIS", ""),
    ("Resident survey", "Information Technology", "Chief Data Officer", "Answers to the annual resident survey, with weights.", "annually", "2024-11-30", "public", "CC-BY-4.0", True, True, False, "Survey vendor", "Weighted to age band x tenure."),
    ("Performance measures (KPIs)", "Information Technology", "Chief Data Officer", "Monthly citywide measures and targets.", "monthly", "2024-12-31", "public", "CC-BY-4.0", True, True, False, "Performance dashboard", "Reopened requests are not tracked."),
    ("Data inventory", "Information Technology", "Chief Data Officer", "This inventory.", "quarterly", "2024-12-31", "public", "CC-BY-4.0", True, True, False, "Spreadsheet", "Library, Housing, General Services and the Mayor's Office have not yet listed their data."),
    ("IT asset inventory", "Information Technology", "IT Operations Manager", "Computers, servers and licences.", "monthly", "2024-12-15", "internal", "", False, False, False, "Asset management tool", ""),
    ("Cybersecurity incidents", "Information Technology", "Chief Information Security Officer", "Security incidents and responses.", "irregular", "2024-12-31", "restricted", "", False, False, False, "Security tools", ""),
)
TABLE = Table(
    name="data_inventory",
    title="Data inventory",
    description=(
        "The fictional city's inventory of its own datasets as of 2025-01-01: what each holds, who "
        "owns it, how often it changes, how sensitive it is, and whether it is published with a "
        "licence and a data dictionary. It has the gaps real inventories have (missing owners, "
        "stale datasets, published data without a licence, departments that have not listed theirs)."
    ),
    convention="GovEx data inventory fields (name, description, owner, update frequency, licence, sensitivity, source); What Works Cities DM2 criterion.",
    fields=(
        Field("dataset_id", "string", "Inventory number.", required=True),
        Field("name", "string", "Dataset name.", required=True),
        Field("department", "string", "Department that owns the dataset.", required=True, enum=CITY_DEPARTMENTS),
        Field("owner", "string", "Data steward (job title); empty if nobody is named."),
        Field("description", "string", "What the dataset holds.", required=True),
        Field("update_frequency", "string", "How often it is updated.", required=True, enum=FREQUENCIES),
        Field("last_updated", "date", "Last update.", required=True),
        Field("sensitivity", "string", "Classification.", required=True, enum=SENSITIVITY),
        Field("licence", "string", "Open licence if published (SPDX identifier); empty if none."),
        Field("published", "boolean", "True if on the open data portal.", required=True),
        Field("has_data_dictionary", "boolean", "True if a data dictionary exists.", required=True),
        Field("contains_personal_data", "boolean", "True if it holds data about identifiable people.", required=True),
        Field("source_system", "string", "System the data comes from.", required=True),
        Field("quality_notes", "string", "Known quality issues."),
    ),
    primary_key=("dataset_id",),
)


def generate() -> pd.DataFrame:
    """The inventory as the Chief Data Officer keeps it."""
    frame = pd.DataFrame(_ROWS, columns=[
        "name", "department", "owner", "description", "update_frequency", "last_updated", "sensitivity", "licence",
        "published", "has_data_dictionary", "contains_personal_data", "source_system", "quality_notes"])
    frame.insert(0, "dataset_id", [f"DS-{i + 1:03d}" for i in range(len(frame))])
    frame["last_updated"] = pd.to_datetime(frame["last_updated"])
    for col in ("owner", "licence", "quality_notes"):
        frame[col] = frame[col].replace("", None)
    return frame[TABLE.columns]
