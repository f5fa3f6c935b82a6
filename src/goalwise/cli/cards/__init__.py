"""Cards: ``goalwise card`` makes daily report cards, rates their days and manages raters' links."""
