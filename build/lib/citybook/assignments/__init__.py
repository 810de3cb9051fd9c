"""The nbgrader course: copy each assignment's data, release it with nbgrader, zip it for download."""
