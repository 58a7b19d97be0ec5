"""The corpus of real questions (docs_tools/corpus/): each with its link, the asker's words and a topic; a third held out."""

from __future__ import annotations

from docs_tools.hooks.questions import TOPICS, questions


def test_at_least_200_distinct_questions_each_whole_and_a_third_held_out():
    kept, held, fresh = questions(("questions.jsonl",)), questions(("questions-heldout.jsonl",)), questions(("questions-fresh.jsonl",))
    assert len(kept + held) >= 200 and abs(len(held) - len(kept + held) / 3) <= 1
    every = kept + held + fresh  # fresh: collected after the pages were written, graded, then joined
    assert fresh and all(q["id"].startswith("f") for q in fresh)
    assert len({q["url"].rstrip("/") for q in every}) == len(every) == len({q["id"] for q in every})
    for q in every:
        assert set(q) == {"id", "url", "source_kind", "title", "asker_words", "topic"}, q["id"]
        assert q["url"].startswith("https://") and q["title"].strip() and q["asker_words"].strip(), q["id"]
        assert q["topic"] in TOPICS, q["id"]
