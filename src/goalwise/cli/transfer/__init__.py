"""Transfer commands: ``goalwise import FORMAT``, ``export csv``, ``backup`` and ``restore``."""
