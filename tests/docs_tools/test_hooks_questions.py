"""The questions hook: questions.md lists the corpus's real questions by topic, each once, linked to its thread."""

from __future__ import annotations

import re

from docs_tools.hooks.questions import MARKER, TOPICS, corpus_markdown, link, on_page_markdown, questions


def test_every_question_kept_and_graded_is_listed_once_under_its_topic():
    kept = questions()
    assert {q["id"] for q in questions(("questions-heldout.jsonl",))} <= {q["id"] for q in kept}, "the graded third is listed"
    shown = corpus_markdown(kept)
    for q in kept:
        assert shown.count(f"]({link(q['url'])})") == 1, q["id"]
        section = shown.split(f"### {TOPICS[q['topic']][0]}\n", 1)[1].split("\n### ", 1)[0]
        assert f"]({link(q['url'])})" in section, q["id"]
    counts = [int(n) for n in re.findall(r"^(\d+) questions?[,.]", shown, re.M)]
    assert sum(counts) == len(kept)


def test_titles_and_links_are_safe_markdown():
    found = [{"id": "q1", "url": "https://example.org/a_(b)", "title": "Why [batch] `x` * 2?", "topic": "shapes",
              "source_kind": "github-issue", "asker_words": "..."}]
    shown = corpus_markdown(found)
    assert r"- [Why \[batch\] \`x\` \* 2?](https://example.org/a_%28b%29)" in shown
    assert shown.startswith("### Shapes and `batch_first`\n\n1 question, answered in [shape rules](shapes.md)")


def test_only_the_page_with_the_marker_changes():
    assert on_page_markdown("no marker here", page=None) == "no marker here"
    assert MARKER not in on_page_markdown(f"# Q\n\n{MARKER}\n", page=None)
