"""The participants' JupyterHub on one machine (`make hub`): accounts, environment, folders, the hub itself.

One module per step: `environment` builds the venv every user's server runs from, `accounts` makes
the cohort's system users, `site` lays out the hub's folders (exchange, per-role Jupyter settings) and
starts JupyterHub with deploy/hub/jupyterhub_config.py. `python -m citybook.hub --help` runs them.
"""
