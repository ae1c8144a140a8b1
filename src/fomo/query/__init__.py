"""Answers over the knowledge base: where a term sits, full-text search, placement."""
