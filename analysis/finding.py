"""A finding: one comparison as a Norwegian sentence with its verdict, and the order findings
are presented in.  Police findings (:mod:`analysis.findings`) and survey findings
(:mod:`analysis.survey`) both return :class:`Finding`.

Priority rule (the order findings are presented in)
---------------------------------------------------
1. Real changes/differences first; then those within chance; last those that could not
   be tested (hidden small numbers, survey figures without the number of respondents).
2. Full-year findings before partial-year estimates.
3. By subject: the region's total → crime types → survey indicators linked to a crime type →
   girls/boys → age groups → other survey indicators.
4. Larger absolute change first (offences; percentage points for survey shares; for survey
   rates, per 1 000 and the like, the change in per cent of the figure compared with, so that
   a rate per 100 000 does not outrank every share by its scale alone).
5. Ties: previous year / national value before three-year average / previous survey, then
   alphabetically.
"""

from __future__ import annotations

from dataclasses import dataclass

from analysis.format import sort_key

FAMILY_RANK = {"total": 0, "crime_type": 1, "survey_linked": 2, "gender": 3, "age": 4,
               "survey": 5}
SURVEY = ("survey_linked", "survey")
KIND_RANK = {"yoy": 0, "same_period": 0, "vs_national": 0, "avg3": 1, "annualised": 1,
             "since_previous": 1}
BASIS_TEXT = {"offences": "antall forhold", "offenders": "antall gjerningspersoner"}


@dataclass(frozen=True)
class Finding:
    topic: str
    family: str          # see FAMILY_RANK
    kind: str            # see KIND_RANK
    year: int
    sentence: str
    tested: bool = True
    significant: bool = False
    direction: int = 0   # +1 real rise, -1 real fall, 0 within chance or not tested
    p_value: float | None = None
    size: float = 0.0
    partial: bool = False
    headline: str = ""   # the key figure as shown (``182``, ``<5``, ``12,5 %``), suppressed
    ref: str = ""        # what the finding is about: a crime type, age, gender or indicator id
    q_value: float | None = None  # p adjusted for the family's many comparisons
    phi: float = 1.0     # the dispersion (variance / mean) the change was judged against
    compared: str = ""   # what was compared, for the appendix: ``2023 mot 2022``
    figures: str = ""    # the numbers compared, for the appendix: ``182 mot 107``
    basis: str = "offences"  # the series the verdict is based on: offences or offenders
    #                          (survey findings: share, or rate for per 1 000 … figures)
    caveat: str = ""     # why an untested finding has no verdict: the sentence's last sentence
    why: str = ""        # the kind of that reason, for a text that says each kind once
    #                      (survey findings: see analysis.survey.WHY)
    unit: str = ""       # the unit of a survey finding's figures (``prosent``, ``per 1 000`` …)
    period: str = ""     # a survey finding's period as published (``2022/23-2024/25``): ``year``
    #                      is only its last year

    @property
    def basis_text(self) -> str:
        """«antall forhold» or «antall gjerningspersoner» (survey findings: «andel», or «rate»
        for a figure per 1 000, per 100 000 …)."""
        if self.family in SURVEY:
            return "rate" if self.basis == "rate" else "andel"
        return BASIS_TEXT[self.basis]

    @property
    def bare(self) -> str:
        """The sentence without its caveat, for a text that says the caveat once for all."""
        return self.sentence.removesuffix(" " + self.caveat) if self.caveat else self.sentence

    @property
    def verdict(self) -> str:
        """The judgement in a few words, the same as in the sentence."""
        if not self.tested:
            return "kan ikke vurderes"
        over_time = self.family not in SURVEY or self.kind == "since_previous"
        if self.direction > 0:
            return "en reell økning" if over_time else "en reell forskjell"
        if self.direction < 0:
            return "en reell nedgang" if over_time else "en reell forskjell"
        return "innenfor tilfeldig variasjon"

    def priority(self) -> tuple:
        evidence = 0 if self.significant else (1 if self.tested else 2)
        return (evidence, self.partial, FAMILY_RANK[self.family], -abs(self.size),
                KIND_RANK[self.kind], sort_key(self.topic))


def ranked(findings) -> list[Finding]:
    """Findings in the documented priority order."""
    return sorted(findings, key=Finding.priority)
