"""Measurement scripts (`make bench`); see benchmarks/__main__.py."""

from streamlit.logger import set_log_level

# Importing the app's modules outside a running server makes Streamlit warn once per cached
# function ("No runtime found"); the tables are easier to read without that.
set_log_level("error")
