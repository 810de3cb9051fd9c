"""JupyterHub on one machine for a cohort (The Littlest JupyterHub's shape): `make hub` runs it.

Started by citybook.hub (python -m citybook.hub), which first builds the shared environment, creates
the cohort's system users and the nbgrader exchange, and writes the settings this file reads
(CITYBOOK_HUB_SETTINGS, a JSON file). Each user's JupyterLab runs as their own Linux user
(LocalProcessSpawner) from the one environment, with the per-role settings of deploy/hub/roles/:
participants get nbgrader's Assignments and Validate, instructors also the formgrader.

Log-in, for the demo and the tests only: one shared password (CITYBOOK_HUB_PASSWORD) for the named
users, on 127.0.0.1. A programme's hub replaces it with its single sign-on (OAuth): see "Run a cohort
hub" in book/instructor-guide.md, which also shows how to serve it over HTTPS.
"""

import json
import os

c = get_config()  # noqa: F821 (provided by JupyterHub when it loads this file)

try:
    with open(os.environ["CITYBOOK_HUB_SETTINGS"], encoding="utf-8") as settings_file:
        settings = json.load(settings_file)
except KeyError as missing:
    raise SystemExit(
        "CITYBOOK_HUB_SETTINGS is not set: start the hub with `make hub` (python -m citybook.hub), "
        "which writes the settings this file reads."
    ) from missing

venv_bin = os.path.join(settings["venv"], "bin")
instructors = set(settings["instructors"])
participants = set(settings["participants"])

# Where it listens: this machine only. A programme's server puts a TLS proxy (or The Littlest
# JupyterHub's Traefik) in front, or sets c.JupyterHub.ssl_cert / ssl_key.
c.JupyterHub.ip = settings["ip"]
c.JupyterHub.port = settings["port"]
c.JupyterHub.hub_ip = "127.0.0.1"
c.JupyterHub.hub_port = settings["hub_port"]
c.ConfigurableHTTPProxy.api_url = f"http://127.0.0.1:{settings['proxy_api_port']}"
c.ConfigurableHTTPProxy.command = [settings["proxy_command"]]
c.ConfigurableHTTPProxy.pid_file = os.path.join(settings["state"], "jupyterhub-proxy.pid")
c.JupyterHub.db_url = "sqlite:///" + os.path.join(settings["state"], "jupyterhub.sqlite")
c.JupyterHub.cookie_secret_file = os.path.join(settings["state"], "jupyterhub_cookie_secret")
c.JupyterHub.cleanup_servers = True  # stopping the hub stops everyone's server

# Who may log in, and how.
if os.environ.get("CITYBOOK_HUB_OAUTH"):
    # A programme's hub: the guide's OAuth block goes in a file named by CITYBOOK_HUB_OAUTH.
    load_subconfig(os.environ["CITYBOOK_HUB_OAUTH"])  # noqa: F821 (provided by JupyterHub)
else:
    # DEMO AND TESTS ONLY: one shared password for every named user. Never on a public address.
    c.JupyterHub.authenticator_class = "shared-password"
    c.SharedPasswordAuthenticator.user_password = os.environ["CITYBOOK_HUB_PASSWORD"]
c.Authenticator.allowed_users = instructors | participants
c.Authenticator.admin_users = set()  # instructors need no admin rights to teach
c.JupyterHub.load_groups = {
    "instructors": {"users": sorted(instructors)},
    "participants": {"users": sorted(participants)},
}

# Each user's JupyterLab: their own Linux user, the shared environment, their role's settings.
c.JupyterHub.spawner_class = "localprocess"
c.Spawner.cmd = [os.path.join(venv_bin, "jupyterhub-singleuser")]
c.Spawner.default_url = "/lab"
c.Spawner.notebook_dir = "~"
c.Spawner.start_timeout = 120
c.Spawner.http_timeout = 120
c.Spawner.environment = {
    "PATH": os.pathsep.join([venv_bin, "/usr/local/bin", "/usr/bin", "/bin"]),
}


def role_settings(spawner):
    """Put the user's role folder (and the shared exchange settings) on JUPYTER_CONFIG_PATH."""
    name = spawner.user.name
    role = "instructor" if name in instructors else "participant"
    spawner.environment = {
        **spawner.environment,
        "JUPYTER_CONFIG_PATH": os.pathsep.join(settings["config_path"][role]),
        "CITYBOOK_HUB_ROLE": role,
    }


c.Spawner.pre_spawn_hook = role_settings
