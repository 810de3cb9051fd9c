"""The participants' JupyterHub, end to end in Chromium (slow tier: `make test`)."""
