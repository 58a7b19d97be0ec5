"""MkDocs hooks, each listed by path under ``hooks:`` in mkdocs.yml."""
