"""nbgrader settings every server on the hub shares (participants' and instructors').

Mounted at /etc/jupyter/nbgrader_config.py in every single-user pod (see config.yaml). The course's
own settings (assignments, stubs, time limits) stay in the course folder's nbgrader_config.py, which
nbgrader reads after this file when it runs there.
"""

c = get_config()  # noqa: F821 (provided by nbgrader when it loads this file)

# The course; participants see it in JupyterLab's Assignments tab.
c.CourseDirectory.course_id = "city-data-leaders"

# The exchange: one folder on shared storage (a ReadWriteMany volume) mounted in every pod.
# Released assignments go to <root>/<course>/outbound, submissions to <root>/<course>/inbound.
c.Exchange.root = "/srv/nbgrader/exchange"
# Fetch into ~/city-data-leaders/<assignment>, so a participant in two courses never mixes them up.
c.Exchange.path_includes_course = True
c.Exchange.timezone = "UTC"

# A participant's id is their hub user name: every pod runs as the user `jovyan`, and nbgrader then
# takes the id from JUPYTERHUB_USER, which JupyterHub sets. Roster ids must therefore be hub user names.
# All submission folders belong to `jovyan`, so nbgrader's owner check would warn on every one.
c.ExchangeCollect.check_owner = False
