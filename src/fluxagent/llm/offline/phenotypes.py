"""Questions about a model against measured phenotypes: which data set, and whether fixes are
asked for ("how well does iJO1366 predict gene essentiality?", "which Biolog carbon sources
does the model get wrong?", "propose fixes")."""

from __future__ import annotations

import re

_DATASETS = (
    (re.compile(r"\bnitrogen\b"), "ecoli_biolog_nitrogen"),
    (re.compile(r"\bphosph\w*\b"), "ecoli_biolog_phosphorus"),
    (re.compile(r"\bsulfur\b|\bsulphur\b"), "ecoli_biolog_sulfur"),
    (re.compile(r"\bbiolog\b|\bcarbon sources?\b"), "ecoli_biolog_carbon"),
    (re.compile(r"\bessential\w*\b|\bknock\w*"), "ecoli_essentiality"),
    (re.compile(r"\bgrowth rates?\b|\bmeasured (growth|rates?)\b"), "ecoli_growth_rates"),
)
#: "Predict aerobic growth on succinate" is an FBA question; how WELL a model predicts is this.
_HOW_WELL = (r"\bhow\s+(?:well|good|accurate\w*)\b[^?]*\bpredict\w*|\bpredict\w*\b[^?]*\b"
             r"(?:correctly|accurately|well)\b|\bprediction\s+accuracy\b|\baccuracy\b|\bmcc\b")
#: (the lab's data, not "our lab has a gdhA strain": a story around one knockout)
_ABOUT = re.compile(_HOW_WELL + r"|\bbiolog\b|\bphenotyp\w*|\bget\w* wrong\b|\bwrong\b|"
                    r"\bmispredict\w*|\bdisagree\w*|\bagree\w* with\b|\bexperiment\w*|"
                    r"\bmeasured\b|\blab\s+(?:data|measurements?|results?|values?|screens?|"
                    r"phenotypes?)\b|\bpropos\w* fix\w*|\breconcil\w*|\bcurat\w*")
_FIXES = re.compile(r"\b(propos\w*|suggest\w*|find)\b.{0,20}\b(fix\w*|changes?|corrections?)"
                    r"\b|\breconcil\w*|\bcurat\w*|\bfix (it|them|the model)\b")


def dataset(low: str) -> str | None:
    """The bundled data set a question about phenotypes names (None: none named, or not such a
    question; "propose fixes" then continues the data set asked about before)."""
    if not _ABOUT.search(low):
        return None
    return next((name for pat, name in _DATASETS if pat.search(low)), None)


def wants_fixes(low: str) -> bool:
    return bool(_FIXES.search(low))
