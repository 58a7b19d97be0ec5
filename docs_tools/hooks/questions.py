"""MkDocs hook: the "Questions people ask" page's list of real questions, generated from the corpus.

``docs_tools/corpus/questions.jsonl`` holds real questions from public record, each with its link,
the asker's words and a topic; ``questions-heldout.jsonl`` the third set aside while the pages
were written, and ``questions-fresh.jsonl`` a set collected after them, each graded, then joined
(docs_tools/corpus/README.md). On ``questions.md``, the marker
``<!-- questions-corpus -->`` becomes one list per topic: each question's title, linked to its
thread, under a heading that links the section of this site that answers that topic.
"""

from __future__ import annotations

import json
from pathlib import Path

MARKER = "<!-- questions-corpus -->"
CORPUS = Path(__file__).resolve().parent.parent / "corpus"
FILES = ("questions.jsonl", "questions-heldout.jsonl", "questions-fresh.jsonl")
# topic -> (heading, the sections that answer it); each link is checked by the strict build.
TOPICS = {
    "returns": ("What it returns", "[the quick start](index.md), [which tensor to use](which-tensor.md)"),
    "shapes": ("Shapes and `batch_first`", "[shape rules](shapes.md), [batch-first data](batch-first-data-time-major-lstm.md)"),
    "errors": ("Errors", "[error messages](errors.md), [`Expected hidden[0] size`](expected-hidden-size.md)"),
    "into-the-model": ("The output in the rest of a model",
                       "[an LSTM inside a model](into-the-model.md), [which tensor to use](which-tensor.md)"),
    "packing": ("Padding and packing", "[variable-length batches](variable-length.md)"),
    "gpu": ("GPUs", "[GPU errors](gpu-runtime-errors.md)"),
    "inference": ("Stepping at inference", "[inference](inference.md), [encoder to decoder](encoder-decoder.md)"),
    "state-across-batches": ("The state across batches",
                             "[state across batches](state-across-batches.md), [the initial state](initial-state.md)"),
    "dropout-init": ("Dropout and initialisation",
                     "[dropout and initialization](dropout-init.md), [the initial state](initial-state.md)"),
    "gru-rnn-cells": ("GRU, RNN and the cells", "[GRU and RNN](gru-rnn.md), [the cells](cells.md)"),
    "keras": ("Coming from Keras", "[coming from Keras](keras.md)"),
    "versions": ("PyTorch versions", "[what differs between versions](versions.md)"),
    "performance": ("Speed", "[performance](performance/index.md), [training](training.md#slower-than-keras-or-slow-on-cpu-or-gpu)"),
    "other": ("Other questions", "[training](training.md), [compile, export, mixed precision](beyond-eager.md)"),
}


def questions(files: tuple[str, ...] = FILES) -> list[dict]:
    """Returns the corpus's questions, from ``files`` under docs_tools/corpus/."""
    return [json.loads(line) for name in files for line in (CORPUS / name).read_text(encoding="utf-8").splitlines() if line.strip()]


def escape(title: str) -> str:
    """Returns a title safe inside a Markdown link's text: brackets, backquotes and stars as themselves."""
    for char in "\\[]`*_<>":
        title = title.replace(char, "\\" + char)
    return " ".join(title.split())


def link(url: str) -> str:
    """Returns a URL safe as a Markdown link's target: parentheses and spaces percent-encoded."""
    return url.replace(" ", "%20").replace("(", "%28").replace(")", "%29")


def corpus_markdown(found: list[dict]) -> str:
    """Returns the questions as Markdown, one list per topic in TOPICS' order, each under a heading naming its answer."""
    parts = []
    for topic, (heading, answered) in TOPICS.items():
        mine = sorted((q for q in found if q["topic"] == topic), key=lambda q: q["title"].lower())
        if not mine:
            continue
        parts.append(f"### {heading}\n")
        count = f"{len(mine)} question{'s' if len(mine) != 1 else ''}"
        parts.append(f"{count}, answered in {answered}.\n" if answered else f"{count}.\n")
        parts.append("\n".join(f"- [{escape(q['title'])}]({link(q['url'])})" for q in mine) + "\n")
    return "\n".join(parts)


def on_page_markdown(markdown: str, page, **kwargs) -> str:
    """Returns questions.md with the corpus listed in place of its marker; other pages unchanged."""
    if MARKER not in markdown:
        return markdown
    return markdown.replace(MARKER, corpus_markdown(questions()))
