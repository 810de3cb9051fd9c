"""nbgrader configuration for the course "city-data-leaders".

The course folder is the folder of this file, wherever it is copied (the tests grade a copy).
Instructors run nbgrader from here, or `make assignments` from the repository root.
"""

import os

c = get_config()  # noqa: F821 (provided by nbgrader when it loads this file)

HERE = os.path.dirname(os.path.abspath(__file__))

c.CourseDirectory.course_id = "city-data-leaders"
c.CourseDirectory.root = HERE
# Data files travel with each notebook; checkpoints, caches and the files ps7 writes when an
# instructor runs its source notebook in place stay behind.
c.CourseDirectory.ignore = [
    ".ipynb_checkpoints",
    "*.pyc",
    "__pycache__",
    "feedback",
    ".DS_Store",
    "service_requests_clean.csv",
    "data_dictionary.csv",
    "requests_by_neighborhood_2024.csv",
]

# What a participant sees in place of a solution.
c.ClearSolutions.code_stub = {"python": "# YOUR CODE HERE\nraise NotImplementedError()"}
c.ClearSolutions.text_stub = "*Write your memo here, replacing this line.*"

# Every notebook runs in well under a minute; a cell that takes two minutes is stuck.
c.ExecutePreprocessor.timeout = 120
c.Execute.timeout = 120
c.Execute.interrupt_on_timeout = True

# A submission that prints pages of output should not swamp the feedback.
c.LimitOutput.max_lines = 500
c.LimitOutput.max_traceback = 60
