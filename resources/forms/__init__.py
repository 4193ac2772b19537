"""Forms of Chapter 3."""
