"""Starts the marketqa web UI: `python app.py` serves http://127.0.0.1:7860 (see `python app.py --help`).

A thin wrapper over `assistant.launcher`, which an installed package runs as `marketqa-ui`.
"""

from __future__ import annotations

import time

STARTED = time.perf_counter()  # first, to measure the time to a served page

import sys  # noqa: E402

from assistant.launcher import main, parse_args  # noqa: E402,F401 - parse_args: the options, for tests

if __name__ == "__main__":
    sys.exit(main(started=STARTED))
