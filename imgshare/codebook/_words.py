"""The words a response scale is described with: its poles, its noun, its centre.

A scale declares its ``kind`` in the codebook (``agreement`` by default, or ``frequency``,
``satisfaction``, ``importance``, ``likelihood``, ``accuracy``, ``custom``) and may override any
word under ``words``. Captions, axis titles, table headers and sentences ask
:func:`scale_words` instead of writing "agree", so a frequency scale is never said to measure
agreement, and a scale without a neutral level is centred on "the midpoint", not on "neutral".
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from typing import Any

__all__ = ["SCALE_KINDS", "WORD_KEYS", "ScaleWords", "scale_words", "common_words"]

#: The words every kind defines; ``words:`` in the codebook may override each of them.
WORD_KEYS = ("positive", "negative", "neutral", "noun", "negative_noun", "preposition", "positive_verb",
             "negative_verb")

_KINDS: dict[str, dict[str, str]] = {
    "agreement": dict(positive="Agree", negative="Disagree", neutral="Neutral", noun="agreement",
                      negative_noun="disagreement", preposition="with", positive_verb="agreed",
                      negative_verb="disagreed"),
    "frequency": dict(positive="Often", negative="Rarely", neutral="Midpoint", noun="frequency",
                      negative_noun="infrequency", preposition="of", positive_verb="answered often",
                      negative_verb="answered rarely"),
    "satisfaction": dict(positive="Satisfied", negative="Dissatisfied", neutral="Neutral", noun="satisfaction",
                         negative_noun="dissatisfaction", preposition="with", positive_verb="were satisfied",
                         negative_verb="were dissatisfied"),
    "importance": dict(positive="Important", negative="Unimportant", neutral="Neutral", noun="importance",
                       negative_noun="unimportance", preposition="of", positive_verb="rated it important",
                       negative_verb="rated it unimportant"),
    "likelihood": dict(positive="Likely", negative="Unlikely", neutral="Neutral", noun="likelihood",
                       negative_noun="unlikelihood", preposition="of", positive_verb="rated it likely",
                       negative_verb="rated it unlikely"),
    "accuracy": dict(positive="Accurate", negative="Inaccurate", neutral="Neutral", noun="accuracy",
                     negative_noun="inaccuracy", preposition="of", positive_verb="rated it accurate",
                     negative_verb="rated it inaccurate"),
}
#: A custom scale names its poles (``words.positive`` and ``words.negative`` are required); the
#: other words default to these.
_CUSTOM = dict(neutral="Neutral", noun="positive answers", negative_noun="negative answers", preposition="on")

#: The kinds a codebook scale may declare.
SCALE_KINDS = (*_KINDS, "custom")

#: Words for a figure or table mixing scales of different kinds.
_MIXED = dict(positive="Positive", negative="Negative", neutral="Neutral", noun="positive answers",
              negative_noun="negative answers", preposition="on", positive_verb="answered positively",
              negative_verb="answered negatively")


@dataclass(frozen=True)
class ScaleWords:
    """How to speak of one scale's answers.

    Attributes
    ----------
    kind : str
        The scale's declared kind (``"mixed"`` for :func:`common_words` of different kinds).
    positive, negative, neutral : str
        Capitalised pole words for headers and legends: "Agree", "Disagree", "Neutral".
    noun, negative_noun : str
        What the positive (negative) side measures: "agreement", "disagreement".
    preposition : str
        Joins the noun to what it is about: "agreement *with* the statements",
        "frequency *of* the behaviours".
    positive_verb, negative_verb : str
        Past-tense phrases for sentences: "62% agreed", "12% answered rarely".
    has_neutral : bool
        Whether the scale has a neutral level (else charts are centred on the midpoint).
    """

    kind: str
    positive: str
    negative: str
    neutral: str
    noun: str
    negative_noun: str
    preposition: str
    positive_verb: str
    negative_verb: str
    has_neutral: bool = True

    @property
    def centre(self) -> str:
        """What a diverging chart is centred on: "neutral", or "the midpoint" without a neutral level."""
        return "neutral" if self.has_neutral else "the midpoint"

    @property
    def deviation(self) -> str:
        """The diverging chart's subtitle: "deviation from neutral" / "deviation from the midpoint"."""
        return f"deviation from {self.centre}"

    def about(self, what: str) -> str:
        """``"agreement with <what>"``, ``"frequency of <what>"``.

        Examples
        --------
        >>> scale_words(kind="frequency").about("the strain items")
        'frequency of the strain items'
        """
        return f"{self.noun} {self.preposition} {what}"

    def heading(self, what: str) -> str:
        """A title over answers to ``what``: "Agreement with each statement", "Frequency: answers
        to each statement".

        Examples
        --------
        >>> scale_words().heading("each statement"), scale_words(kind="frequency").heading("each statement")
        ('Agreement with each statement', 'Frequency: answers to each statement')
        """
        if self.kind == "mixed":
            return f"Answers to {what}"
        noun = self.noun[:1].upper() + self.noun[1:]
        return f"{noun} with {what}" if self.preposition == "with" else f"{noun}: answers to {what}"

    def column(self, side: str) -> str:
        """A table header for one side: ``"Agree (%)"``, ``"Often (%)"``, ``"Neutral (%)"``."""
        word = {"agree": self.positive, "disagree": self.negative, "neutral": self.neutral}[side]
        return f"{word} (%)"

    def mean_axis(self) -> str:
        """The axis title of mean percentages on the positive side: "Mean agreement (%)"."""
        return f"Mean {self.noun} (%)"


def scale_words(scale: Any = None, *, kind: str | None = None, words: Mapping[str, str] | None = None) -> ScaleWords:
    """The words of a codebook scale (or of a ``kind`` with optional ``words`` overrides).

    Parameters
    ----------
    scale : Scale, optional
        A codebook scale; its ``kind``, ``words`` and neutral level are used.
    kind : str, optional
        One of :data:`SCALE_KINDS` (default "agreement"); ignored when ``scale`` is given.
    words : mapping, optional
        Overrides of :data:`WORD_KEYS`; ignored when ``scale`` is given.

    Returns
    -------
    ScaleWords

    Examples
    --------
    >>> w = scale_words(kind="frequency")
    >>> w.positive, w.noun, w.positive_verb, w.column("agree")
    ('Often', 'frequency', 'answered often', 'Often (%)')
    >>> scale_words(kind="custom", words={"positive": "Helpful", "negative": "Unhelpful"}).positive_verb
    'answered helpful'
    """
    has_neutral = True
    if scale is not None:
        kind, words, has_neutral = scale.kind, scale.words, scale.has_neutral
    kind = kind or "agreement"
    words = dict(words or {})
    if kind == "custom":
        base = {**_CUSTOM, "positive": words.get("positive", "Positive"), "negative": words.get("negative", "Negative")}
        base["positive_verb"] = f"answered {base['positive'].lower()}"
        base["negative_verb"] = f"answered {base['negative'].lower()}"
    elif kind in _KINDS:
        base = dict(_KINDS[kind])
    else:
        raise ValueError(f"unknown scale kind {kind!r} (expected one of: {', '.join(SCALE_KINDS)})")
    base.update({k: str(v) for k, v in words.items() if k in WORD_KEYS})
    return ScaleWords(kind=kind, has_neutral=has_neutral, **base)


def common_words(scales: Iterable[Any]) -> ScaleWords:
    """The words of several scales shown together: theirs when they agree, else neutral wording
    ("positive answers"), centred on neutral only when every scale has a neutral level.

    Examples
    --------
    >>> common_words([]).noun
    'agreement'
    """
    scales = list(scales)
    if not scales:
        return scale_words()
    found = [scale_words(s) for s in scales]
    has_neutral = all(w.has_neutral for w in found)
    first = replace(found[0], has_neutral=has_neutral)
    if all(replace(w, has_neutral=has_neutral) == first for w in found):
        return first
    return ScaleWords(kind="mixed", has_neutral=has_neutral, **_MIXED)
