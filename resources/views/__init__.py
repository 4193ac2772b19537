"""Pages of Chapter 3."""
