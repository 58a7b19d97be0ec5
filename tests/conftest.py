"""Hypothesis profiles: what a property test catches must not depend on the draw.

- ``ci`` (when ``CI`` is set): derandomized, so a run in CI draws the same examples every time;
- ``mutation`` (``make test-mutation-code``): derandomized, no shrinking, and every test capped at
  ``MUTATION_MAX_EXAMPLES`` examples, so that a mutant's tests run in seconds;
- ``default`` elsewhere: Hypothesis's random draw, which keeps finding new cases locally.

``HYPOTHESIS_PROFILE`` picks one by name.
"""

from __future__ import annotations

import os

from hypothesis import Phase, settings

MUTATION_MAX_EXAMPLES = 10

settings.register_profile("ci", derandomize=True, database=None, print_blob=True)
# No shrinking under mutation: a failing example is a kill, and shrinking it only costs time.
settings.register_profile("mutation", derandomize=True, database=None, deadline=None, phases=(Phase.explicit, Phase.generate))
PROFILE = os.environ.get("HYPOTHESIS_PROFILE") or ("ci" if os.environ.get("CI") else "default")
settings.load_profile(PROFILE)


def pytest_collection_modifyitems(items):
    """Caps each test's own ``@settings(max_examples=...)`` under the mutation profile."""
    if PROFILE != "mutation":
        return
    for item in items:
        test = getattr(item, "obj", None)
        own = getattr(test, "_hypothesis_internal_use_settings", None)
        if own is not None and own.max_examples > MUTATION_MAX_EXAMPLES:
            test._hypothesis_internal_use_settings = settings(own, max_examples=MUTATION_MAX_EXAMPLES)
