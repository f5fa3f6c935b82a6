"""``python -m goalwise`` runs the command-line interface."""

from __future__ import annotations

from goalwise.cli.main import run

if __name__ == "__main__":
    run()
