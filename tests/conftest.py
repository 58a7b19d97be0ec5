"""Hypothesis profiles: what a property test catches must not depend on the draw.

- ``ci`` (when ``CI`` is set): derandomized, so a run in CI draws the same examples every time;
- ``mutation`` (``make test-mutation-code``): derandomized, no shrinking, and every test capped at
  ``MUTATION_MAX_EXAMPLES`` examples, so that a mutant's tests run in seconds;
- ``default`` elsewhere: Hypothesis's random draw, which keeps finding new cases locally.

``HYPOTHESIS_PROFILE`` picks one by name.

The session runs torch on the docs' thread count (:func:`docs_tools.runtime.threads`): one intra-op
thread, unless ``LSTM_EXPLAINED_THREADS`` says otherwise. The tensors here are tiny, so a second
OpenMP thread only waits for work, spinning: on a busy machine that made each small ``nn.LSTM`` call
ten times slower. The tests that run a docs page reset the runtime to it anyway, so without this the
thread count of the other tests would depend on the (random) test order.
"""

from __future__ import annotations

import os

import torch
from hypothesis import Phase, settings

from docs_tools.runtime import threads

MUTATION_MAX_EXAMPLES = 10

settings.register_profile("ci", derandomize=True, database=None, print_blob=True)
# No shrinking under mutation: a failing example is a kill, and shrinking it only costs time.
settings.register_profile("mutation", derandomize=True, database=None, deadline=None, phases=(Phase.explicit, Phase.generate))
PROFILE = os.environ.get("HYPOTHESIS_PROFILE") or ("ci" if os.environ.get("CI") else "default")
settings.load_profile(PROFILE)
torch.set_num_threads(threads())


def pytest_collection_modifyitems(items):
    """Caps each test's own ``@settings(max_examples=...)`` under the mutation profile."""
    if PROFILE != "mutation":
        return
    for item in items:
        test = getattr(item, "obj", None)
        own = getattr(test, "_hypothesis_internal_use_settings", None)
        if own is not None and own.max_examples > MUTATION_MAX_EXAMPLES:
            test._hypothesis_internal_use_settings = settings(own, max_examples=MUTATION_MAX_EXAMPLES)
