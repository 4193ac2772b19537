"""Reads of Chapter 3."""
