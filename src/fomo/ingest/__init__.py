"""Paper feeds -> items -> triage: which items the map already knows, which are new and where
they would go, and which have nothing to do with LLMs.

One module per source kind (`arxiv`, `feeds`, `bibtex`, `text`), `fetch` for http(s) sources,
`read` to pick the reader, `triage` to judge items, and `write` to add accepted ones to the map.
"""
