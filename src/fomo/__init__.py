"""FOMO: the LLM field as a living mind map in plain text."""

__version__ = "0.1.0"
