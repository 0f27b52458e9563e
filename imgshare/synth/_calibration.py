"""Calibration targets for a synthetic cohort: the typed model and its YAML reader.

A calibration file says, per questionnaire, how many rows to make and which numbers the
analysed rows must reproduce: exact answer counts for every item and categorical variable,
Spearman correlations between item pairs, latent correlations that are not published
(background), group effects as latent mean shifts, free-text comments and the drop-out
hazard of incomplete responses. The format is shown in ``data/calibration.yml``.

:func:`parse_calibration` checks the file's own shape; :func:`check_against_codebook`
checks it against a codebook (every item and variable covered, counts summing to the
analysed n, codes that exist). Both report every problem at once in a
:class:`CalibrationError`, one ``file: key.path: reason`` line each.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .._keypath import KeyPathReader, describe
from .._yaml import YamlProblem, load_yaml
from ..errors import ImgshareError, bounded, format_problems

__all__ = [
    "CalibrationError",
    "Calibration",
    "QuestionnaireCalibration",
    "SpearmanTarget",
    "LatentPair",
    "Effect",
    "TextSpec",
    "NumberSpec",
    "load_calibration",
    "parse_calibration",
]


class CalibrationError(ImgshareError):
    """The calibration file is invalid or does not fit the codebook."""

    def __init__(self, source: str, problems: list[tuple[str, str]]):
        self.source = source
        self.problems = problems
        lines = [bounded(f"{source}: {path}: {reason}" if path else f"{source}: {reason}") for path, reason in problems]
        super().__init__(format_problems(lines))


@dataclass(frozen=True)
class SpearmanTarget:
    """Spearman's rho that two items must show on the analysed rows."""

    a: str
    b: str
    r: float


@dataclass(frozen=True)
class LatentPair:
    """A fixed (not calibrated) latent correlation between two groups of items.

    ``a`` and ``b`` are item, theme or domain ids; every item pair across them gets ``r``.
    """

    a: str
    b: str
    r: float


@dataclass(frozen=True)
class Effect:
    """Latent mean shift (in latent standard deviations) of ``targets`` by ``variable`` code."""

    variable: str
    targets: tuple[str, ...]
    shift: Mapping[int, float]


@dataclass(frozen=True)
class TextSpec:
    """Free-text answers: each comment is given once, to a random eligible analysed respondent."""

    comments: tuple[str, ...]
    only_if: Mapping[str, tuple[int, ...]] = field(default_factory=dict)


@dataclass(frozen=True)
class NumberSpec:
    """A numeric variable drawn from a normal distribution, clipped and rounded."""

    mean: float
    sd: float
    minimum: float | None = None
    maximum: float | None = None
    decimals: int = 0


@dataclass(frozen=True)
class QuestionnaireCalibration:
    id: str
    id_prefix: str
    received: int
    analysed: int
    items: Mapping[str, Mapping[int, int]]
    counts: Mapping[str, Mapping[int, int]]
    text: Mapping[str, TextSpec]
    numbers: Mapping[str, NumberSpec]
    spearman: tuple[SpearmanTarget, ...] = ()
    same_domain: float = 0.0
    other_domain: float = 0.0
    latent_pairs: tuple[LatentPair, ...] = ()
    effects: tuple[Effect, ...] = ()
    dropout_hazard: float = 0.1

    @property
    def excluded(self) -> int:
        return self.received - self.analysed


@dataclass(frozen=True)
class Calibration:
    source: str
    questionnaires: Mapping[str, QuestionnaireCalibration]
    study: str = ""
    tolerance: float = 0.005
    max_iterations: int = 200


class _Problems(KeyPathReader):
    def number(self, value: Any, path: str, lo: float | None = None, hi: float | None = None) -> float:
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            self.fail(path, f"expected a number, found {_kind(value)}")
            return 0.0
        if (lo is not None and value < lo) or (hi is not None and value > hi):
            self.fail(path, f"expected a number in [{lo}, {hi}], found {describe(value)}")
        return float(value)

    def whole(self, value: Any, path: str, minimum: int = 0) -> int:
        if isinstance(value, bool) or not isinstance(value, int) or value < minimum:
            self.fail(path, f"expected a whole number >= {minimum}, found {describe(value)}")
            return minimum
        return value

    def ids(self, value: Any, path: str) -> tuple[str, ...]:
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            self.fail(path, f"expected a list of ids, found {_kind(value)}")
            return ()
        return tuple(value)

    def codes(self, value: Any, path: str) -> tuple[int, ...]:
        value = value if isinstance(value, list) else [value]
        out = []
        for i, v in enumerate(value):
            if isinstance(v, bool) or not isinstance(v, int):
                self.fail(f"{path}[{i}]", f"expected an integer code, found {describe(v)}")
            else:
                out.append(v)
        return tuple(out)

    def code_counts(self, node: Any, path: str) -> dict[int, int]:
        out = {}
        for code, n in self.mapping(node, path).items():
            if isinstance(code, bool) or not isinstance(code, int):
                self.fail(f"{path}.{code}", f"expected an integer code, found {describe(code)}")
                continue
            out[code] = self.whole(n, f"{path}.{code}")
        return out


_kind = describe


def _parse_pair(p: _Problems, node: Any, path: str, key: str) -> tuple[str, str, float] | None:
    node = p.mapping(node, path)
    p.keys(node, path, {key, "r"}, {key, "r"})
    ids = p.ids(node.get(key), f"{path}.{key}") if key in node else ()
    r = p.number(node.get("r"), f"{path}.r", -1.0, 1.0) if "r" in node else 0.0
    if key in node and len(ids) != 2:
        p.fail(f"{path}.{key}", f"expected exactly two ids, found {len(ids)}")
        return None
    return (ids[0], ids[1], r) if ids else None


def _parse_variable(p: _Problems, node: Any, path: str, q: dict) -> None:
    if isinstance(node, Mapping) and "comments" in node:
        p.keys(node, path, {"comments", "only_if"}, {"comments"})
        comments = node.get("comments")
        if not isinstance(comments, list) or not all(isinstance(c, str) and c.strip() for c in comments):
            p.fail(f"{path}.comments", "expected a list of non-empty texts")
            comments = []
        only_if = {str(k): p.codes(v, f"{path}.only_if.{k}")
                   for k, v in p.mapping(node.get("only_if"), f"{path}.only_if", required=False).items()}
        q["text"][path.rsplit(".", 1)[1]] = TextSpec(tuple(c.strip() for c in comments), only_if)
    elif isinstance(node, Mapping) and "mean" in node:
        p.keys(node, path, {"mean", "sd", "min", "max", "decimals"}, {"mean", "sd"})
        lo, hi = node.get("min"), node.get("max")
        q["numbers"][path.rsplit(".", 1)[1]] = NumberSpec(
            mean=p.number(node.get("mean"), f"{path}.mean"),
            sd=p.number(node.get("sd"), f"{path}.sd", 0.0),
            minimum=None if lo is None else p.number(lo, f"{path}.min"),
            maximum=None if hi is None else p.number(hi, f"{path}.max"),
            decimals=p.whole(node.get("decimals", 0), f"{path}.decimals"),
        )
    else:
        q["counts"][path.rsplit(".", 1)[1]] = p.code_counts(node, path)


def _parse_questionnaire(p: _Problems, qid: str, node: Any) -> QuestionnaireCalibration:
    path = f"questionnaires.{qid}"
    node = p.mapping(node, path)
    p.keys(node, path, {"id_prefix", "received", "analysed", "dropout_hazard", "items", "variables",
                        "spearman", "latent", "effects"}, {"id_prefix", "received", "analysed", "items"})
    prefix = node.get("id_prefix", "R")
    if not isinstance(prefix, str) or not prefix.strip() or "," in prefix:
        p.fail(f"{path}.id_prefix", f"expected a short text without commas, found {_kind(prefix)}")
        prefix = "R"
    received = p.whole(node.get("received", 0), f"{path}.received", 1)
    analysed = p.whole(node.get("analysed", 0), f"{path}.analysed", 1)
    if analysed > received:
        p.fail(f"{path}.analysed", f"{analysed} analysed rows but only {received} received")
    items = {str(k): p.code_counts(v, f"{path}.items.{k}")
             for k, v in p.mapping(node.get("items"), f"{path}.items").items()}
    q: dict = {"counts": {}, "text": {}, "numbers": {}}
    for vid, vnode in p.mapping(node.get("variables"), f"{path}.variables", required=False).items():
        _parse_variable(p, vnode, f"{path}.variables.{vid}", q)
    spearman = []
    sp_node = node.get("spearman", [])
    if not isinstance(sp_node, list):
        p.fail(f"{path}.spearman", f"expected a list, found {_kind(sp_node)}")
        sp_node = []
    for i, s in enumerate(sp_node):
        pair = _parse_pair(p, s, f"{path}.spearman[{i}]", "items")
        if pair:
            spearman.append(SpearmanTarget(*pair))
    latent = p.mapping(node.get("latent"), f"{path}.latent", required=False)
    p.keys(latent, f"{path}.latent", {"same_domain", "other_domain", "pairs"})
    pairs = []
    for i, s in enumerate(latent.get("pairs", []) or []):
        pair = _parse_pair(p, s, f"{path}.latent.pairs[{i}]", "between")
        if pair:
            pairs.append(LatentPair(*pair))
    effects = []
    for i, e in enumerate(node.get("effects", []) or []):
        epath = f"{path}.effects[{i}]"
        e = p.mapping(e, epath)
        p.keys(e, epath, {"variable", "items", "shift"}, {"variable", "items", "shift"})
        shift = {}
        for code, v in p.mapping(e.get("shift"), f"{epath}.shift").items():
            if isinstance(code, bool) or not isinstance(code, int):
                p.fail(f"{epath}.shift.{code}", f"expected an integer code, found {describe(code)}")
            else:
                shift[code] = p.number(v, f"{epath}.shift.{code}", -5.0, 5.0)
        effects.append(Effect(str(e.get("variable", "")), p.ids(e.get("items"), f"{epath}.items"), shift))
    return QuestionnaireCalibration(
        id=qid,
        id_prefix=prefix.strip(),
        received=received,
        analysed=analysed,
        items=items,
        counts=q["counts"],
        text=q["text"],
        numbers=q["numbers"],
        spearman=tuple(spearman),
        same_domain=p.number(latent.get("same_domain", 0.0), f"{path}.latent.same_domain", -0.99, 0.99),
        other_domain=p.number(latent.get("other_domain", 0.0), f"{path}.latent.other_domain", -0.99, 0.99),
        latent_pairs=tuple(pairs),
        effects=tuple(effects),
        dropout_hazard=p.number(node.get("dropout_hazard", 0.1), f"{path}.dropout_hazard", 0.0, 1.0),
    )


def parse_calibration(data: Any, source: str = "calibration.yml") -> Calibration:
    """Build a :class:`Calibration` from a parsed YAML mapping, or raise :class:`CalibrationError`.

    Parameters
    ----------
    data : mapping
        The parsed YAML document.
    source : str
        Name used in error messages.

    Returns
    -------
    Calibration

    Examples
    --------
    >>> cal = parse_calibration({"questionnaires": {"q": {"id_prefix": "R", "received": 3,
    ...     "analysed": 2, "items": {"A": {1: 1, 2: 1}}}}})
    >>> cal.questionnaires["q"].excluded
    1
    """
    p = _Problems()
    root = p.mapping(data, "")
    p.keys(root, "", {"format", "study", "tolerance", "max_iterations", "questionnaires"}, {"questionnaires"})
    if root.get("format", 1) != 1:
        p.fail("format", f"unsupported calibration format {describe(root.get('format'))} (this imgshare reads format 1)")
    qs = {str(k): _parse_questionnaire(p, str(k), v)
          for k, v in p.mapping(root.get("questionnaires"), "questionnaires").items()}
    tolerance = p.number(root.get("tolerance", 0.005), "tolerance", 1e-6, 0.5)
    max_iterations = p.whole(root.get("max_iterations", 200), "max_iterations", 1)
    if p.problems:
        raise CalibrationError(source, p.problems)
    return Calibration(source, qs, str(root.get("study", "")), tolerance, max_iterations)


def load_calibration(path: str | Path) -> Calibration:
    """Read and check the shape of a calibration YAML file (not yet against a codebook).

    Parameters
    ----------
    path : str or Path
        The calibration file, e.g. ``data/calibration.yml``.

    Returns
    -------
    Calibration

    Raises
    ------
    CalibrationError
        When the file is missing, is not YAML, or has the wrong shape.
    """
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise CalibrationError(str(path), [("", "file not found")]) from None
    except UnicodeDecodeError as exc:
        raise CalibrationError(str(path), [("", f"not UTF-8 text (byte {exc.start})")]) from None
    except OSError as exc:
        raise CalibrationError(str(path), [("", exc.strerror or str(exc))]) from None
    try:
        data = load_yaml(text)
    except YamlProblem as exc:
        raise CalibrationError(str(path), [("", str(exc))]) from None
    return parse_calibration(data, source=str(path))
