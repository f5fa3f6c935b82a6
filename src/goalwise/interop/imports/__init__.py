"""Importers: files from other apps and spreadsheets turned into Goalwise values.

Each format module is pure: it takes the file's bytes (and options) and returns a
:class:`~goalwise.interop.imports.model.Parsed` holding the entries to store, the metrics they
need and every line-numbered problem. ``goalwise.services.transfer.imports`` stores a parsed
file in one transaction. ``FORMATS`` maps a format name to its parser.
"""

from __future__ import annotations
