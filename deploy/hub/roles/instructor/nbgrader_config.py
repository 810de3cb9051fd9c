"""nbgrader settings for instructors' servers only: the formgrader opens the course in ~/course."""

import os

c = get_config()  # noqa: F821 (provided by nbgrader when it loads this file)

c.CourseDirectory.root = os.path.expanduser("~/course")
