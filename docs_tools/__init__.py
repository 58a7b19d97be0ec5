"""The site's build and check tooling: Sybil wiring, the output checker, the refresher, MkDocs hooks.

Never part of the wheel: only ``lstm_explained`` is the product.
"""
