"""Face answers (issue 19): a scored question's choices shown with five faces, from very unhappy
to very happy, beside their unchanged words, for residents who read little.

The rule: a choice question shows faces when every one of its choices carries a score (the
five-level scales 1–5 and the 总体评价 scale of SPEC §4); its lowest score gets the very unhappy
face, its highest the very happy one, the others in proportion. Questions whose answers are not
a scale (是/否/不清楚, 问题是否解决) show no faces."""

LEVELS = 5

# One mouth per face, in a 48×48 box (surveys/_face.html draws the head and eyes).
MOUTHS = {
    1: "M14 36q10-11 20 0",
    2: "M15 34q9-6 18 0",
    3: "M15 32h18",
    4: "M15 30q9 7 18 0",
    5: "M14 28q10 12 20 0z",
}


def face_levels(scores: dict[str, int | None]) -> dict[str, int]:
    """Each choice's face (1 very unhappy … 5 very happy), keyed like `scores` (choice value →
    score); empty when the question shows no faces."""
    if not scores or any(score is None for score in scores.values()):
        return {}
    low, high = min(scores.values()), max(scores.values())
    if low == high:
        return {}
    return {
        value: 1 + int((score - low) * (LEVELS - 1) / (high - low) + 0.5)
        for value, score in scores.items()
    }
