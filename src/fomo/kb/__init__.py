"""Files -> KnowledgeBase: loading, validation and the compiled index."""
