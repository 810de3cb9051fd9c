"""The `course` command: the instructor's workflow over nbgrader, from roster to cohort report.

One module per step (roster, release, collect, autograde, feedback, grades, report), like nbgrader's
own applications. Grading itself is always nbgrader's: these modules only prepare, isolate, run in
parallel and report.
"""
