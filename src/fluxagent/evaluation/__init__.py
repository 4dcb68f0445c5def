"""Evaluation harness: run question sets through the full agent and score the answers."""

from fluxagent.evaluation.loader import Case, CaseFileError, load_cases
from fluxagent.evaluation.runner import CaseRun, EvalRun, make_eval_agent, run_case, run_cases
from fluxagent.evaluation.scoring import Score, score

__all__ = ["Case", "CaseFileError", "CaseRun", "EvalRun", "Score", "load_cases",
           "make_eval_agent", "run_case", "run_cases", "score"]
