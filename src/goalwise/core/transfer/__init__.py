"""Transfer: pure values of data coming into Goalwise from files (an import batch)."""
