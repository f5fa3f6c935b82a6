"""Transfer: data in and out of Goalwise: imports from other apps and spreadsheets, CSV export,
and the installation's backup and restore."""
