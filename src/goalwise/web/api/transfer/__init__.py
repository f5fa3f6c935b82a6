"""Transfer API: import a file into a client's records, export their values as CSV."""
