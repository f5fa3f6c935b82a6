"""Text people type: which characters a name, a title or a free-text field may hold."""
