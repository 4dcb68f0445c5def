"""A question understood: the intent and the slots the planner fills from the text.

A frame is plain data. The planner derives it from the thread every time it decides (a pure
function of the events), so a resumed or forked session plans exactly as the original would.
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields, replace
from typing import Any, Literal

Intent = Literal[
    "growth", "knockout", "essential", "fva", "production", "minimal_medium", "blocked",
    "summary", "medium", "validation", "pathway", "pfba", "flux", "sampling", "list_models",
    "auxotrophy", "deletion_screen", "build_model", "lookup", "translate", "synthetic_lethal",
    "info", "phenotypes",
    "help", "unknown",
]

#: Intents in the order they are listed to a user ("what I can do").
CAPABILITIES: dict[str, str] = {
    "growth": "growth rate (FBA) on a carbon source, with or without oxygen, with uptake limits",
    "knockout": "growth after knocking out genes or reactions (single or combined)",
    "essential": "essential genes or reactions (optionally anaerobic or on another carbon "
                 "source)",
    "fva": "flux variability (FVA) ranges at a fraction of the optimum",
    "production": "maximum production or secretion of a product, with or without a growth "
                  "floor",
    "minimal_medium": "minimal media (fewest components or lowest total uptake)",
    "blocked": "blocked reactions",
    "summary": "model size and contents (reactions, metabolites, genes, objective)",
    "medium": "the medium a model grows on",
    "validation": "model validation (mass and charge balance, consistency, dead ends)",
    "pathway": "pathways between two metabolites",
    "pfba": "parsimonious FBA (total flux)",
    "flux": "the flux through given reactions, or the exchange fluxes",
    "sampling": "flux sampling",
    "auxotrophy": "auxotrophies",
    "deletion_screen": "gene deletion screens",
    "synthetic_lethal": "synthetic lethal gene or reaction pairs (all, or partners of one)",
    "list_models": "the models available",
    "info": "what a reaction or gene of a model is: name, equation, bounds, genes, reactions",
    "build_model": "a draft model from an annotated genome file (ModelSEED templates)",
    "lookup": "compounds and reactions of the ModelSEED biochemistry (ids, names, aliases, EC)",
    "translate": "ids between ModelSEED, BiGG, KEGG and MetaCyc",
    "phenotypes": "how well a model predicts measured gene essentiality, Biolog growth and "
                  "growth rates, and proposed fixes for the disagreements",
}


@dataclass(frozen=True)
class Slots:
    """What the question says, in the user's words (mentions, not yet linked ids)."""

    model: str | None = None
    models: tuple[str, ...] = ()          # every model named, in order (comparisons)
    carbon_source: str | None = None
    carbon_sources: tuple[str, ...] = ()  # every carbon source named (comparisons)
    carbon_rates: tuple[tuple[str, float], ...] = ()  # a compared source's own stated uptake
    carbon_uptake: float | None = None
    oxygen: bool | None = None
    oxygen_both: bool = False             # "with and without oxygen", "aerobic vs anaerobic"
    oxygen_uptake: float | None = None
    genes: tuple[str, ...] = ()
    reactions: tuple[str, ...] = ()
    aliases: tuple[tuple[str, str], ...] = ()  # ("gapA", "b1779") from "gapA (b1779)"
    knockouts: tuple[str, ...] = ()       # mentions in a knockout position ("the pgi mutant")
    fraction: float | None = None
    product: str | None = None
    growth_floor: float | None = None
    floor_fraction: float | None = None   # "at least 50% of the maximal growth"
    minimize: Literal["components", "flux"] | None = None
    target: Literal["genes", "reactions"] = "genes"
    source: str | None = None             # pathway start
    sink: str | None = None               # pathway end
    compare: bool = False
    additive: bool = False                # "also knock out zwf" adds to earlier knockouts
    genome: str | None = None             # annotated genome file a draft is built from
    query: str | None = None              # what to look up in the biochemistry
    ids: tuple[str, ...] = ()             # ids to translate, as written
    namespace: str | None = None          # the namespace to translate into
    namespaces: tuple[str, ...] = ()      # every namespace asked for ("ModelSEED and KEGG")
    uptakes: tuple[tuple[str, float], ...] = ()  # any nutrient -> max uptake (0: removed)
    medium: tuple[tuple[str, float], ...] = ()   # a whole medium: every other uptake closed
    cofeed: tuple[str, ...] = ()          # carbon sources fed together
    sole_element: tuple[tuple[str, str], ...] = ()  # ("nitrogen", "glutamine")
    bounds: tuple[tuple[str, float | None, float | None], ...] = ()  # reaction, lower, upper
    factors: tuple[tuple[str, float], ...] = ()  # "double the glucose uptake": ("glucose", 2)
    demands: tuple[str, ...] = ()         # "add a demand for akg_c": metabolite ids
    objective: str | None = None          # a reaction to optimise instead of growth
    direction: str = "max"
    doubling: str | None = None           # doubling time asked: "min", "h" or "any"
    percent_change: bool = False          # change against the wild type / reference, in %
    percent_of: bool = False              # "what percentage of wild-type growth remains"
    reference: str | None = None          # "than on glucose": the variant compared against
    mass_yield: bool = False              # a yield in g/g was asked for
    ko_alternatives: bool = False         # "losing CS or losing ATPS4r": one knockout each
    boundary: str | None = None           # essential reactions: "with" / "without_biomass" /
    #                                       "without_exchanges" / "exchanges" (those alone)
    best: str | None = None               # "max"/"min": which variant of a list wins
    consumed: tuple[tuple[int, int], ...] = ()  # character spans condition patterns used
    phenotype_data: str | None = None     # bundled phenotype data set asked about
    propose_fixes: bool = False           # "propose fixes" for the disagreements
    open_exchanges: bool = False          # "with every exchange opened"
    element_sources: tuple[tuple[str, str, float], ...] = ()  # compared: (element, met, uptake)
    biomass_yield: bool = False           # gDW of biomass per g (mmol) of substrate
    least_uptake: bool = False            # the least uptake of a nutrient for a growth floor
    uptake_series: tuple[tuple[str, float], ...] = ()  # "O2 uptake at 2, 5 and 10": compared
    screen_after: bool = False            # "..., then the essential genes of that mutant"
    count_active: bool = False            # "how many reactions carry flux at the optimum"
    count_difference: str | None = None   # "how many more genes than iJO1366": "genes"
    set_difference: bool = False          # "essential anaerobically but not aerobically"
    versus_default: bool = False          # "which genes become essential without oxygen":
    #                                       against the model's default conditions
    nutrients: tuple[str, ...] = ()       # every metabolite named ("is succinate in it?")

    def set(self, **changes: Any) -> Slots:
        return replace(self, **changes)

    def filled(self) -> dict[str, Any]:
        """The slots that carry information (for rationales and tests)."""
        empty = Slots()
        return {f.name: getattr(self, f.name) for f in fields(self)
                if getattr(self, f.name) != getattr(empty, f.name)}


@dataclass(frozen=True)
class Frame:
    intent: Intent
    slots: Slots = field(default_factory=Slots)
    confidence: float = 0.0
    scores: dict[str, float] = field(default_factory=dict)
    notes: tuple[str, ...] = ()           # things the answer must mention (truncation, ...)
    follow_up: bool = False
    #: Phrases of the question the interpretation does not use (empty: all understood).
    unresolved: tuple[str, ...] = ()
    #: The steps of a question of several ("first ..., then ..."), each a whole frame with the
    #: conditions accumulated so far; empty for a question of one step.
    steps: tuple[Frame, ...] = ()
    #: When the steps are alternatives ("what hurts more: losing oxygen or losing ATPS4r?"),
    #: each one's words (its label) and whether the most ("max") or least ("min") growth wins;
    #: each alternative starts from the same conditions instead of the step before.
    choices: tuple[str, ...] = ()
    choose: str | None = None
