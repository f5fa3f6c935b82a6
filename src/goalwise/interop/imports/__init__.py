"""Importers: files from other apps and spreadsheets turned into Goalwise values.

Each format module is pure: it takes the file's bytes (and options) and returns a
:class:`~goalwise.core.transfer.import_batch.Parsed` holding the entries to store, the metrics
they need and every line-numbered problem. ``goalwise.services.transfer.imports`` stores a parsed
file in one transaction. ``files.FORMATS`` maps a format name to its parser; ``files.STREAMS``
names the formats also read in batches (the generic CSV), stored as they are read.
"""

from __future__ import annotations
