"""Extract the facts the rubric judges: who decided, which numbers are impact, who was aligned.

Every fact keeps the character spans that prove it, so findings and evidence point at the
exact words. Pure functions of (text, lexicon matches).
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass, field

from storybank.analysis.lexicon import Matches
from storybank.analysis.quantities import Quantity, extract_quantities
from storybank.analysis.text import Span, split_sentences

_SUBJECT = re.compile(
    r"(?<![\w])(?:I|we|We|they|They|he|He|she|She|it|It|the team|The team|my team|My team|our team|Our team|"
    r"management|Management|leadership|Leadership|[A-Z][a-z]+ and I)(?![\w])"
)
# Between "I" and the verb, a negation or a passive auxiliary means "I" did not own it:
# "I did not decide", "I was told to cut".
_NOT_OWNED_GAP = re.compile(
    r"(?i)\b(?:not|never|didn['’]t|did not|wasn['’]t|couldn['’]t|won['’]t|don['’]t|no longer|was|were|been|being|got)\b"
)
# "my call", "the decision was mine". The first letter comes first, then a look-back for that letter
# and the word start, so the regex engine jumps between m's and t's instead of trying every position.
_POSSESSIVE_DECISION = re.compile(
    r"(?i)(?-i:[mMtT])(?<!\w.)"
    r"(?:(?<=m)y (?:decision|call|recommendation|proposal|bet|idea|plan)|(?<=t)he (?:decision|call) was mine)(?![\w])"
)
_CLAUSE_WORD = re.compile(r"\b(?:that|which|who|when|because|if)\b")
_TIME_METRIC_TAIL = re.compile(r"\b(?:from|to|by)\s*$")
_LED_BY_ROLE = re.compile(
    r"[\s\-\u2011]*(?:teams?|leads?|partners?|counterparts?|org|stakeholders|folks|"
    r"director|head|officer|lead's|leadership|reviewers?|owners?)\b"
)
_DELIVERY_PREPOSITION = re.compile(r"\b(?:in|within|inside|under|over|after|only|just)\s+(?:a\s+|the\s+)?$")
_SPRINTS_AFTER = re.compile(r"\s*sprints?\b")
_MAX_VERB_GAP_WORDS = 12
# "I flew out, listened for a day, and rewrote the checklist": a list of verb phrases shares its "I".
_MAX_LISTED_GAP_WORDS = 30
_LIST_END = re.compile(r",?\s+and\s+$")
_FIRST_WORD = re.compile(r"\S+")
_SUBORDINATOR = re.compile(r"(?i)\b(?:while|after|before|until|since|although|though|as|once|whereas|so)\b")
_IMPACT_WINDOW_WORDS = 8
_YEAR_RANGE = (1900, 2100)


@dataclass
class Features:
    """What the analyzer found in one answer."""

    text: str
    sentences: list[Span]
    quantities: list[Quantity]
    found: dict[str, list[Span]] = field(default_factory=dict)
    impact_quantities: list[Quantity] = field(default_factory=list)
    headline: Quantity | None = None
    first_person_count: int = 0
    team_count: int = 0
    word_starts: list[int] = field(default_factory=list)
    word_ends: list[int] = field(default_factory=list)
    _sentence_starts: list[int] = field(default_factory=list)

    @property
    def word_count(self) -> int:
        """Number of words in the answer."""
        return len(self.word_starts)

    def words_before(self, offset: int) -> int:
        """Number of words that start before `offset`."""
        return bisect_left(self.word_starts, offset)

    def has(self, name: str) -> bool:
        """Whether feature `name` was found."""
        return bool(self.found.get(name))

    def spans(self, name: str) -> list[Span]:
        """Evidence spans of feature `name`, in text order."""
        return self.found.get(name, [])

    def sentence_index(self, offset: int) -> int:
        """Index of the sentence containing `offset` (the nearest one before it otherwise)."""
        return max(0, bisect_right(self._sentence_starts, offset) - 1)


def extract_features(text: str, matches: Matches) -> Features:
    """Compute every feature of `text` from its lexicon matches; pure and deterministic."""
    sentences = split_sentences(text)
    features = Features(
        text=text,
        sentences=sentences,
        quantities=_meaningful(text),
        word_starts=matches.words.starts,
        word_ends=matches.words.ends,
        _sentence_starts=[sentence.start for sentence in sentences],
    )
    _find_ownership(features, matches)
    _find_impact(features, matches)
    _find_alignment(features, matches)
    _find_customer_and_risk(features, matches)
    _find_failure(features, matches)
    for name, spans in features.found.items():
        # Every span is a slice of the one text, so plain tuple order is (start, end) order.
        features.found[name] = sorted(set(spans))
    return features


def _meaningful(text: str) -> list[Quantity]:
    """Quantities minus calendar years, which are never impact."""
    return [q for q in extract_quantities(text) if not _is_year(q)]


def _is_year(quantity: Quantity) -> bool:
    low, high = _YEAR_RANGE
    return quantity.kind == "number" and low <= quantity.value <= high and "." not in quantity.text


def _add(features: Features, name: str, spans: list[Span]) -> None:
    features.found.setdefault(name, []).extend(spans)


def _find_ownership(features: Features, matches: Matches) -> None:
    text = features.text
    features.first_person_count = len(matches.find("first_person")) + len(
        matches.find("first_person_possessive")
    )
    team_spans = matches.find("team_words")
    features.team_count = len(team_spans)
    _add(features, "team_attribution", team_spans)
    for sentence in features.sentences:
        if "I" not in sentence.text:
            continue  # only "I" or "… and I" can own a verb
        decisions = matches.find("decision_verbs", sentence.start, sentence.end)
        actions = matches.find("action_verbs", sentence.start, sentence.end)
        if not decisions and not actions:
            continue
        subjects = list(_SUBJECT.finditer(text, sentence.start, sentence.end))
        for name, verbs in (("owned_decision", decisions), ("first_person_action", actions)):
            for verb in verbs:
                owner = _owning_subject(text, subjects, verb, matches)
                if owner is not None:
                    _add(features, name, [Span(owner.start(), verb.end, text[owner.start():verb.end])])
    _add(features, "owned_decision", [Span(m.start(), m.end(), m.group()) for m in _POSSESSIVE_DECISION.finditer(text)])


def _owning_subject(
    text: str, subjects: list[re.Match[str]], verb: Span, matches: Matches
) -> re.Match[str] | None:
    """The first-person subject that governs `verb`, if the nearest subject before it is "I"
    (`matches` tell the verbs apart in a list of them)."""
    subject = next((subject for subject in reversed(subjects) if subject.end() <= verb.start), None)
    if subject is None:
        return None
    if not (subject.group() == "I" or subject.group().endswith(" and I")):
        return None
    gap = text[subject.end():verb.start]
    words = len(gap.split())
    too_far = words > _MAX_VERB_GAP_WORDS and not (
        words <= _MAX_LISTED_GAP_WORDS and _lists_past_verbs(text, subject.end(), verb.start, matches)
    )
    if too_far or _NOT_OWNED_GAP.search(gap):
        return None
    if _CLAUSE_WORD.search(gap) and words > 3:
        return None
    return subject


def _lists_past_verbs(text: str, start: int, end: int, matches: Matches) -> bool:
    """Whether text[start:end] is a list of verb phrases ending in "and" ("flew out early,
    listened for a day, and "), each starting with a verb in the past tense."""
    gap = text[start:end]
    if not gap.rstrip().endswith("and"):
        return False  # the cheap test first: most gaps are no list
    last = _LIST_END.search(gap)
    if last is None or ";" in gap or _SUBORDINATOR.search(gap):
        return False
    past_verbs = {
        span.start
        for lexicon in ("past_tense_verbs", "decision_verbs", "action_verbs")
        for span in matches.find(lexicon, start, end)
    }
    offset = start
    for part in gap[: last.start()].split(","):
        first = _FIRST_WORD.search(part)
        if first is None:
            return False
        word_start = offset + first.start()
        if word_start not in past_verbs and not first.group().endswith("ed"):
            return False
        offset += len(part) + 1
    return True


def _find_impact(features: Features, matches: Matches) -> None:
    text = features.text
    _add(features, "quantity", [_span(text, q) for q in features.quantities])
    best: tuple[int, Quantity] | None = None
    for quantity in features.quantities:
        strength = _impact_strength(features, matches, quantity)
        if strength == 0:
            continue
        features.impact_quantities.append(quantity)
        span = _span(text, quantity)
        _add(features, "impact_quantity", [span])
        if strength >= 2:
            _add(features, "headline_metric", [span])
        rank = strength * 10 + _KIND_RANK.get(quantity.kind, 0)
        if best is None or rank > best[0]:
            best = (rank, quantity)
    features.headline = best[1] if best else None
    for quantity in features.quantities:
        if quantity.kind == "money" and not _in_salary_context(features, matches, quantity):
            _add(features, "usd_value", [_span(text, quantity)])


_KIND_RANK = {"percent": 5, "multiple": 4, "count": 3, "money": 3, "number": 1, "duration": 0}


def _impact_strength(features: Features, matches: Matches, quantity: Quantity) -> int:
    """0: not impact; 1: near a KPI or a direction word; 2: near both (a headline metric)."""
    if quantity.kind == "count" and quantity.unit and quantity.unit.lower() in matches.lexicons.terms.get("non_impact_count_units", frozenset()):
        return 0
    start, end = _window(features, quantity)
    near_kpi = matches.has("kpi_terms", start, end) or matches.has(
        "customer_terms", start, end
    )
    near_direction = matches.has("direction_words", start, end) or quantity.text.lstrip()[:1] in "+-\u2212"
    if quantity.kind == "money":
        near_kpi = near_kpi or matches.has("money_impact_terms", start, end)
    if quantity.kind == "duration":
        return 2 if near_kpi and near_direction and _is_time_metric(features, matches, quantity) else 0
    if quantity.kind == "number" and not (near_kpi and near_direction):
        return 0
    return int(near_kpi) + int(near_direction)


def _is_time_metric(features: Features, matches: Matches, quantity: Quantity) -> bool:
    """A duration is a metric ("cut onboarding from 3 days to 4 hours"), not a delivery time."""
    before = features.text[max(0, quantity.start - 30):quantity.start].lower()
    return bool(_TIME_METRIC_TAIL.search(before))


def _window(features: Features, quantity: Quantity) -> tuple[int, int]:
    """Character range of the words around a quantity, inside its sentence."""
    sentence = features.sentences[features.sentence_index(quantity.start)] if features.sentences else None
    lo = sentence.start if sentence else 0
    hi = sentence.end if sentence else len(features.text)
    starts = features.word_starts
    first, at = bisect_left(starts, lo), bisect_left(starts, quantity.start)
    start = starts[max(first, at - _IMPACT_WINDOW_WORDS)] if at > first else quantity.start
    after, last = bisect_left(starts, quantity.end), bisect_left(starts, hi)
    end = features.word_ends[min(last, after + _IMPACT_WINDOW_WORDS) - 1] if last > after else quantity.end
    return start, end


def _in_salary_context(features: Features, matches: Matches, quantity: Quantity) -> bool:
    start, end = _window(features, quantity)
    return matches.has("salary_context", start, end) and not matches.has(
        "money_impact_terms", start, end
    )


def _find_alignment(features: Features, matches: Matches) -> None:
    text = features.text
    for sentence in features.sentences:
        actions = matches.find("alignment_verbs", sentence.start, sentence.end)
        _add(features, "alignment_action", actions)
        functions = matches.find("functions", sentence.start, sentence.end)
        for function in functions:
            follower = text[function.end:function.end + 24].lower()
            led_by_role = _LED_BY_ROLE.match(follower)
            if actions or led_by_role:
                _add(features, "named_function", [function])
        has_delivery = matches.has("delivery_words", sentence.start, sentence.end)
        for quantity in features.quantities:
            if quantity.kind != "duration" or not (sentence.start <= quantity.start < sentence.end):
                continue
            before = text[max(sentence.start, quantity.start - 14):quantity.start].lower()
            after = text[quantity.end:quantity.end + 10].lower()
            preposition = _DELIVERY_PREPOSITION.search(before)
            if (preposition and (has_delivery or actions)) or _SPRINTS_AFTER.match(after):
                _add(features, "delivery_time", [_span(text, quantity)])


def _find_customer_and_risk(features: Features, matches: Matches) -> None:
    text = features.text
    impact_sentences = {features.sentence_index(q.start) for q in features.impact_quantities}
    for index, sentence in enumerate(features.sentences):
        terms = matches.find("customer_terms", sentence.start, sentence.end)
        if terms and (index in impact_sentences or matches.has("direction_words", sentence.start, sentence.end)):
            _add(features, "customer_outcome", terms)
    rules = matches.find("rule_names")
    _add(features, "named_rule", rules)
    rule_sentences = {features.sentence_index(span.start) for span in rules}
    for quantity in features.quantities:
        if quantity.kind in ("duration", "number"):
            continue
        index = features.sentence_index(quantity.start)
        sentence = features.sentences[index] if features.sentences else Span(0, len(text), text)
        near_rule = index in rule_sentences or (index - 1) in rule_sentences
        has_tradeoff = matches.has("tradeoff_terms", sentence.start, sentence.end)
        if rules and (near_rule or has_tradeoff):
            _add(features, "quantified_tradeoff", [_span(text, quantity)])


def _find_failure(features: Features, matches: Matches) -> None:
    text = features.text
    _add(features, "failure_event", matches.find("failure_terms"))
    _add(features, "post_mortem", matches.find("post_mortem_terms"))
    _add(features, "prevention", matches.find("prevention_terms"))
    for quantity in features.quantities:
        if quantity.kind != "duration":
            continue
        sentence = features.sentences[features.sentence_index(quantity.start)]
        if matches.has("recovery_terms", sentence.start, sentence.end):
            _add(features, "recovery_time", [_span(text, quantity)])


def _span(text: str, quantity: Quantity) -> Span:
    return Span(quantity.start, quantity.end, text[quantity.start:quantity.end])
