"""Retrieval metrics as the bench README defines them (binary judgments, every judged question counts)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

Ranking = Sequence[str]  # faq ids, best first
Judgments = Mapping[str, set[str]]  # qid -> relevant faq ids


def average_precision(ranking: Ranking, relevant: set[str]) -> float:
    found, total = 0, 0.0
    for rank, faq_id in enumerate(ranking, start=1):
        if faq_id in relevant:
            found += 1
            total += found / rank
    return total / len(relevant) if relevant else 0.0


def reciprocal_rank(ranking: Ranking, relevant: set[str]) -> float:
    for rank, faq_id in enumerate(ranking, start=1):
        if faq_id in relevant:
            return 1 / rank
    return 0.0


def recall_at(ranking: Ranking, relevant: set[str], k: int) -> float:
    return len(set(ranking[:k]) & relevant) / len(relevant) if relevant else 0.0


def evaluate(runs: Mapping[str, Ranking], judgments: Judgments) -> dict[str, float]:
    """c@1, success@1, MRR, MAP, R@5, R@10 over every judged question (no answer scores 0)."""
    n = len(judgments)
    rankings = {qid: list(runs.get(qid, ())) for qid in judgments}
    correct_first = sum(1 for qid, r in rankings.items() if r and r[0] in judgments[qid])
    unanswered = sum(1 for r in rankings.values() if not r)
    return {
        "c@1": (correct_first + unanswered * correct_first / n) / n,
        "success@1": correct_first / n,
        "MRR": sum(reciprocal_rank(r, judgments[q]) for q, r in rankings.items()) / n,
        "MAP": sum(average_precision(r, judgments[q]) for q, r in rankings.items()) / n,
        "R@5": sum(recall_at(r, judgments[q], 5) for q, r in rankings.items()) / n,
        "R@10": sum(recall_at(r, judgments[q], 10) for q, r in rankings.items()) / n,
    }
