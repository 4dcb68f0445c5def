"""Intent recognition: a scored, feature-based classifier over the normalised question.

Each intent has weighted features (word patterns on the lower-cased text, plus features of
the extracted slots). The score of an intent is the sum of the weights of its features that
fire; the best intent wins if it clears ``THRESHOLD``. The weights are hand-set from what
modelers write ("knock out", "essential", "variability", "secretion"), not from any list of
known questions.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from fluxagent.llm.offline.frame import Slots
from fluxagent.llm.offline.text import Text

#: A best score below this is not a recognised intent.
THRESHOLD = 3.0

Feature = tuple[re.Pattern[str] | Callable[[Slots], bool], float]


def _p(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern)


#: Whether a model holds something: "does the draft contain rxn00148", "is PGI in iJO1366".
_MEMBERSHIP = re.compile(
    r"\b(?:does|do|did)\b[^?]{0,80}\b(?:contain|have|include|hold)s?\b(?!\s+(?:any\s+)?"
    r"(?:flux|growth))|\bis\s+(?:there\s+)?(?:an?\s+|the\s+)?(?:reaction\s+|gene\s+)?\S+\s+"
    r"(?:present\s+)?in\s+(?:the\s+)?(?:\S+\s+)?(?:model|draft|network|reconstruction)\b|"
    r"\bpresent\s+in\s+(?:the\s+)?(?:\S+\s+)?(?:model|draft)\b")


def _has_entities(s: Slots) -> bool:
    return bool(s.genes or s.reactions)


FEATURES: dict[str, list[Feature]] = {
    "growth": [
        (_p(r"\bgr[eo]w(s|ing|n|th)?\b"), 3.0),
        (_p(r"\bgrowth rates?\b"), 1.0),
        (_p(r"\bhow (fast|quickly|well)\b"), 2.0),
        (_p(r"\b(faster|slower|quicker|fastest|slowest)\b"), 2.5),
        (_p(r"\bbiomass\b"), 2.0),
        (_p(r"\b(produc\w*|make|makes|form|forms|synthesi[sz]\w*)\s+(any\s+)?biomass\b"), 2.5),
        (_p(r"\bbiomass (flux|production|rate|formation|objective)\b"), 1.5),
        (_p(r"\bmu(?:[_ ]?max)?\b|µ"), 3.0),  # the specific growth rate's symbol
        (_p(r"\brank\w*\b|\bwhich\s+(?:one\s+|of\s+them\s+)?(?:is|was|gives?)\s+(?:the\s+)?best\b"),
         1.5),
        (_p(r"\bdoubling[- ]times?\b|\bgeneration times?\b|\bdoubl\w+ every\b|\bdoubling\b|"
            r"\bhow\s+long\b[^.?]*\bdoubl\w*|\btakes?\s+(\S+\s+){0,3}to\s+double\b"), 3.5),
        (lambda s: s.doubling is not None, 3.5),  # "td on acetate?", "t_d in hours"
        (_p(r"\b(objective value|specific growth|max(imum|imal)? growth)\b"), 1.0),
        (_p(r"\bwhat(?:'s|\s+is|\s+was)\s+(?:the\s+)?(?:fba\s+|optimal\s+|max(?:imum|imal)?\s+)?"
            r"objective\s+value\b"), 4.0),  # "quick sanity check: ... what's the objective value"
        (_p(r"(?:\bmu|µ(?:max)?|\bgrowth|\bobjective value)\s*\?"), 1.5),
        (_p(r"\bwhat\s+(?:max(?:imum|imal)?\s+|optimal\s+|specific\s+)?growth\s+rate\s+"
            r"(?:does|do|would|will|can|is)\b"), 2.0),  # "what growth rate does it reach"
        (_p(r"\b(run|do|perform|solve)\s+(a\s+|an\s+)?(plain|simple|standard|basic|default)?\s*"
            r"(fba|flux balance)\b"), 1.5),
        (_p(r"\bfba\b|\bflux balance\b"), 1.5),
        (_p(r"\b(fba|flux balance)\b.*\bobjective\b|\bjust\s+the\s+objective\b"), 1.5),
        (_p(r"\b(viable|survive|proliferat\w*)\b"), 2.0),
        # "which carbon source is better for iJO1366: glycerol or xylose?": a growth comparison
        (lambda s: len(s.carbon_sources) >= 2 and s.best is not None, 1.0),
        (_p(r"\bwhich\s+(?:carbon\s+|c\s+|nitrogen\s+)?(?:sources?|substrates?|sugars?)\b[^?]*"
            r"\b(?:better|best|worse|worst|more|most|higher|highest)\b"), 1.0),
        (lambda s: bool(s.carbon_source or s.oxygen is not None or s.oxygen_both
                        or s.carbon_uptake is not None), 2.5),
        (lambda s: bool(s.uptakes or s.cofeed or s.sole_element or s.bounds
                        or s.oxygen_uptake is not None), 3.0),
        (_p(r"\bwhat if\b|\bwhat happens\b|\bwhat would happen\b"), 1.0),
    ],
    "knockout": [
        (_p(r"\bknock(ed|ing|s)?[- ]?outs?\b|\bko\b|\bknocks?\b"), 4.0),
        (_p(r"\bdelet(e|ed|es|ing|ion|ions)\b|δ"), 4.0),
        (_p(r"\b(mutants?|disrupt\w*|null|deficient|inactivat\w*|silenc\w*|disabl\w*)\b"), 3.0),
        (_p(r"\b(remov\w*|switch(ed)? off|turn(ed)? off|kill\w*|without (the )?genes?)\b"), 1.5),
        (lambda s: bool(s.knockouts), 2.0),  # "block PGI", "the Δzwf strain": a knockout slot
        (_has_entities, 2.0),
        (_p(r"\b(double|triple|combined|simultaneous\w*)\b"), 1.0),
    ],
    "essential": [
        (_p(r"\bessential(ity)?\b"), 5.0),
        # "which internal reactions are indispensable?", "how many reactions does it strictly
        # need", "reactions it cannot do without"
        (_p(r"\b(?:genes?|reactions?)\b[^?]{0,60}\b(?:indispensable|strictly\s+(?:need|require)\w*|"
            r"absolutely\s+(?:need|require)\w*|cannot\s+do\s+without|can't\s+do\s+without|"
            r"can(?:not|'t)?\s+(?:[\w-]+\s+){0,4}?not\s+do\s+without)"),
         5.0),
        (_p(r"\b(lethal|indispensable|(required|needed|necessary) for growth)\b"), 4.0),
        # "which gene deletions kill iJO1366", "knockouts that abolish growth"
        (_p(r"\b(?:deletions?|knock-?outs?|losses|mutations?)\s+(?:that\s+|which\s+)?(?:would\s+)?"
            r"(?:kill|kills|abolish\w*|prevent\w*|stop\w*|eliminat\w*)\b"), 5.0),
        (_p(r"\bgenes?\s+(whose|with\s+a|where\s+the)\s+(single\s+)?(deletion|knock-?out|loss)\s+"
            r"(is|are|would\s+be|proves?)\s+(lethal|fatal)\b"), 6.0),
        # "which genes, when deleted alone, stop it growing"
        (_p(r"\b(?:genes?|reactions?)\b[^?.;]{0,30}?\b(?:when|if|once)\s+(?:deleted|removed|"
            r"knocked\s+out|lost|"
            r"disabled)(?:\s+(?:alone|singly|individually|on\s+their\s+own))?,?\s+(?:stop|kill|"
            r"prevent|abolish|block)\w*"), 6.0),
        # "genes whose loss kills salmonella", "reactions whose removal stops growth"
        (_p(r"\b(?:genes?|reactions?)\s+(?:whose|where\s+the|with\s+a)\s+(?:single\s+)?(?:deletion|"
            r"knock-?out|loss|removal|absence|inactivation|disruption)\s+(?:would\s+|will\s+)?"
            r"(?:kill|kills|abolish\w*|prevent\w*|stop\w*|eliminat\w*|block\w*)\b"), 6.0),
        # "how many genes does the core model depend on absolutely?"
        (_p(r"\b(?:genes?|reactions?)\b[^?.]{0,40}\b(?:depend|depends|rely|relies)\s+on\b"
            r"[^?.]{0,15}\b(?:absolutely|strictly|critically|entirely|really)?|"
            r"\b(?:absolutely|strictly|critically)\s+(?:depend|depends|rely|relies)\s+on\b"), 5.0),
        (_p(r"\b(genes?|reactions?)\s+(must|needs?\s+to|have\s+to|has\s+to)\s+be\s+(present|"
            r"kept|active|intact|there|expressed)\b|\b(genes?|reactions?)\s+(are\s+|is\s+)?"
            r"(required|needed|necessary|indispensable)\s+(for|to)\b"), 5.0),
        (_p(r"\b(cannot|can't|can not|could not|couldn't) (be )?(deleted|removed|knocked out|"
            r"lost)\b"), 5.0),
        (_p(r"\bwithout (which|them|these)\b.*\b(cannot|can't|can not|won't|does not) grow\b"),
         5.0),
    ],
    "fva": [
        (_p(r"\bvariability\b|\bfva\b"), 5.0),
        (_p(r"\b(?:what\s+(?:are|is)\s+)?the\s+ranges?\s+(?:of|for)\b"), 6.0),  # "the ranges of"
        # "what range can ethanol and formate secretion span", "the range they can take"
        (_p(r"\bwhat\s+(?:flux\s+)?ranges?\s+(?:can|could|do|does|would|will)\b|"
            r"\branges?\s+(?:can|could)\s+(?:\S+\s+){0,6}?(?:span|take|cover)\b"), 6.0),
        (_p(r"\b(how\s+)?variable\b|\bhow\s+much\s+can\s+(the\s+)?\S+\s+(flux\s+)?vary\b"), 4.0),
        (_p(r"\bhow\s+(?:much|far)\s+(?:can|could|do|does|may|might)\b[^?.]{1,80}?\b(?:vary|"
            r"fluctuate|change|range|move|shift)\b"), 5.0),  # "how much can CS and MDH vary"
        (_p(r"\branges?\b"), 3.0),
        (_p(r"\bflux (ranges?|bounds|interval|span)\b"), 2.0),
        (_p(r"\b(min(imum)?\s+and\s+max(imum)?|lowest and highest|lower and upper)\b|"
            r"\bmin\s*/\s*max\b|\bmax\s*/\s*min\b"), 4.0),
        (_p(r"\b(flexib\w*|feasible (flux )?(range|interval)s?)\b"), 2.0),
        (lambda s: s.fraction is not None or s.floor_fraction is not None, 1.0),
        (_p(r"\b(lowest|highest|smallest|largest|minimum|maximum|min|max)(\s+possible)?\s+"
            r"(\S+\s+)?flux\b[^?]*\b(keeping|while|at|with|holding)\b[^?]*\d\s*(%|percent)"), 4.0),
    ],
    "production": [
        (_p(r"\bproduc(e|es|ed|tion|ing)\b|\boverproduc\w*"), 3.0),
        (_p(r"\bhow\s+much\s+[\w-]+(?:\s[\w-]+)?\s*,?\s+(?:at\s+(?:the\s+)?most|max(?:imum|"
            r"imally)?|maximal(?:ly)?)\b"), 8.0),  # "how much ethanol at most"
        # "how much succinate (EX_succ_e) can e_coli_core push out at most"
        (_p(r"\bhow\s+much\s+[\w-]+\s*(?:\([^)]*\)\s*)?(?:can|could|does|will|would)\b[^?]{0,40}"
            r"\b(?:at\s+(?:the\s+)?most|max(?:imum|imally)?|maximal(?:ly)?)\b"), 8.0),
        (_p(r"\bsecret\w*|\bexcret\w*"), 3.0),
        # "the highest succinate export flux possible"
        (_p(r"\b(?:highest|largest|greatest|biggest|top|peak)\s+(?:possible\s+|achievable\s+)?"
            r"[\w-]+(?:\s[\w-]+)?\s+(?:export|secretion|production|excretion|output|release)\b"),
         5.0),
        # "upper limit of L-lysine export", "the ceiling on acetate secretion"
        (_p(r"\b(?:upper\s+(?:limit|bound)|ceiling)\s+(?:of|on|for)\s+(?:the\s+)?[\w-]+(?:\s[\w-]+)?\s+"
            r"(?:export|secretion|production|excretion|output|release|synthesis)\b"), 6.0),
        # "how high can ethanol secretion go": its maximum
        (_p(r"\bhow\s+(?:high|far|large|big)\s+(?:can|could|does|will|would)\b[^?.;]{0,60}\b(?:go|"
            r"get|reach|rise|climb|be\s+pushed|push)\b"), 5.0),
        (_p(r"\byields?\b"), 3.0),
        (_p(r"\b(synthesi[sz]e|synthesis|make|output|export|release)\b"), 1.0),
        (_p(r"\bmax(imum|imal|imize|imise|imizing|imising)?\b"), 1.0),
        (_p(r"\bmaximi[sz]\w*\b"), 2.0),
        (_p(r"\bhow much\b.{0,40}\b(make|produce|secrete|excrete|release|export|form)\b"), 2.0),
        (lambda s: s.product is not None, 2.0),
    ],
    "minimal_medium": [
        (_p(r"\bminimal (growth )?(medium|media)\b|\bminimum (medium|media)\b"), 7.0),
        (_p(r"\b(fewest|smallest|minimum|minimal|least)\s+(number\s+of\s+|set\s+of\s+)?"
            r"(medium\s+)?(components|nutrients|compounds|uptakes|ingredients|metabolites)\b"),
         4.0),
        (_p(r"\bsmallest (medium|media)\b|\bminimal nutrients?\b"), 4.0),
        (_p(r"\bneeds?\s+(at\s+(a\s+|the\s+)?minimum|minimally|as\s+a\s+minimum)\b|"
            r"\bminimum\s+(requirements?|needs|inputs)\b|\bminimal\s+requirements?\b"), 6.0),
        (_p(r"\b(minimum|minimal|fewest|smallest|least)\s+(set\s+of\s+|number\s+of\s+)?"
            r"(exchanges?|uptakes?|nutrients?|inputs?)\b|\b(exchanges?|uptakes?|nutrients?|inputs?)\s+"
            r"(are\s+)?(the\s+)?(minimum|minimal|bare minimum)\b|\bbare minimum\b"), 5.0),
        (_p(r"\bnutrients?\b.*\b(minimum|minimal|minimi[sz]\w*|fewest|smallest|least)\b"
            r"|\b(minimum|minimal|fewest|smallest|least)\b.*\bnutrients?\b"), 4.0),
        (_p(r"\bminimi[sz]e (the )?(medium|uptakes?)\b"), 3.0),
    ],
    "blocked": [
        (_p(r"\b(blocked|dead)\s+reactions?\b|\breactions?\b[^.?()]{0,25}\bblocked\b(?!\s*\))|"
            r"\bwhich\b[^.?()]{0,30}\bblocked\b(?!\s*\))|\bblocked\s*\?"), 6.0),
        (_p(r"\b(cannot|can't|can not|never|don't|do not) carry (any )?flux\b"), 5.0),
        (_p(r"\b(dead|inactive|zero[- ]flux|unused|unusable) reactions?\b"), 3.0),
        (_p(r"\balways (zero|0)\b"), 3.0),
    ],
    "summary": [
        (_p(r"\bhow many\b|\bnumber of\b|\bcount\b"), 2.0),
        # "Load iJO1366.": the model, loaded and described
        (_p(r"^\s*(?:please\s+)?(?:(?:can|could|would)\s+you\s+)?(?:load|open|switch\s+to|select|"
            r"use)\s+(?:the\s+)?[\w./-]+(?:\s+model)?(?:\s*,?\s*(?:please|thanks|thank\s+you))?"
            r"\s*[.!?]?\s*$"), 3.0),
        (_p(r"\b(gene|reaction|metabolite)\s+counts?\s+(of|for|in)\b"), 1.5),  # "gene count of"
        (_p(r"\b(reactions|metabolites|genes|compartments)\b"), 1.0),
        (_p(r"\b(reactions|metabolites|genes|compartments)\b.*\b(reactions|metabolites|genes|"
            r"compartments)\b"), 1.0),
        (_p(r"\b(reactions|metabolites|genes)\s*[/,&+]\s*(reactions|metabolites|genes)\b"), 2.0),
        (_p(r"\bsize\b|\bhow (big|large)\b|\b(more|fewer|most|fewest) (genes|reactions|"
            r"metabolites)\b"), 3.0),
        (_p(r"\bsummar(y|ize|ise)\b|\boverview\b|\bstatistics\b|\bstats\b"), 4.0),
        (_p(r"\b(describe|contents|contain|contains)\b"), 1.5),
        (_p(r"\bwhat('s| is) the objective\b|\bobjective function\b"), 3.0),
        (_p(r"\b(which|what|name)\b.{0,40}\bobjective\b|\bbiomass reaction\b|"
            r"\bcompartments?\b|\bexchange reactions\b"), 3.0),
    ],
    "medium": [
        (_p(r"\b(medium|media)\b"), 3.0),
        (_p(r"\bwhat('s| is| are)? in\b|\bcomposition\b|\bcontents?\b|\bcomponents of\b"), 2.0),
        (_p(r"\b(default|current|standard|growth) (medium|media)\b"), 1.0),
        (_p(r"\b(what|which) (nutrients|compounds|substrates)\b|\buptake bounds\b"
            r"|\bexchange bounds\b"),
         3.0),
        (_p(r"\bwhat (does|can) \S+ (take up|consume|import)\b|\bavailable nutrients\b"), 3.0),
        # "which exchange reactions are open for uptake (in the default medium)"
        (_p(r"\b(?:which|what|list|how\s+many)\s+(?:of\s+the\s+)?(?:exchanges?|exchange\s+reactions?|"
            r"uptakes?|nutrients)\s+(?:are\s+|is\s+)?(?:open|available|allowed|enabled)"
            r"(?:\s+for\s+uptake)?\b|\bopen\s+for\s+uptake\b"), 6.0),
        (_p(r"\b(uptake|exchange)\s+(limit|bound|cap)s?\b|\b(limit|bound|cap)s?\s+(for|of|on)\s+"
            r"(the\s+)?\S+\s+(uptake|exchange)\b"), 2.0),
        (_p(r"\b(by default|default|currently|standard|normally)\b"), 1.0),
        (_p(r"\b(which|what)\s+carbon\s+sources?\s+(does|do|is|are)\b[^?]*\b(use|uses|used|"
            r"given|get|gets|default|provided|fed)\b"), 5.0),
        (_p(r"\b(open|available|allowed)\s+(in|on)\s+(the\s+|its\s+)?(\S+\s+)?(default\s+)?"
            r"(medium|media)\b|\b(medium|media)('s)?\s+(exchanges?|uptakes?)\b"), 3.0),
    ],
    "phenotypes": [
        (lambda s: s.phenotype_data is not None, 4.0),
        (lambda s: s.propose_fixes, 5.0),
        (_p(r"\bbiolog\b|\bphenotyp\w*"), 4.0),
        (_p(r"\bhow\s+(well|good|accurate\w*)\b[^?]*\bpredict\w*|\bget\w* wrong\b|\bmispredict\w*|"
            r"\bdisagree\w*|\baccuracy\b|\bmcc\b"), 2.0),
        (_p(r"\b(experiment\w*|measured|lab|data)\b"), 1.0),
        (_p(r"\bfalse[- ](positive|negative)s?\b|\btrue[- ](positive|negative)s?\b|"
            r"\b(wrongly|incorrectly|falsely)\b|\bconfusion\s+matri\w*|\bprecision\b|"
            r"\brecall\b"), 3.0),
        (_p(r"\b(experiment\w*|measured|lab|in\s+vivo|keio)\s+(essentiality|knockouts?|"
            r"data(set)?|list|set|results?|screens?)\b"), 2.0),
    ],
    "validation": [
        (_p(r"\bvalidat\w*"), 5.0),
        (_p(r"\b(mass|charge)[- ]balanc\w*|\bunbalanced\b"), 4.0),
        (_p(r"\bconsisten(t|cy)\b|\bmemote\b"), 3.0),
        (_p(r"\b(quality|sanity|errors?|problems?|issues?|correct)\b"), 1.5),
        (_p(r"\benergy[- ]generating\b|\bfree energy\b|\bloops?\b|\bdead[- ]ends?\b|\borphans?\b"),
         3.0),
        (_p(r"\bcheck\b"), 1.0),
        (_p(r"\b(quality|sanity|consistency)\s+(checks?|control|report|assessment|scores?|"
            r"tests?)\b(?!\s*[:,-]|\s+(?:before|first)\b)|\bqc\b|"
            r"\bhow\s+(good|well[- ]built|sound)\s+is\b"), 4.0),
        (_p(r"\b(which|what)\s+metabolites?\s+((can|could|does|do|is|are)\s+)?(\S+\s+){0,3}?"
            r"(not|never|cannot|can't)\s+(be\s+)?(produc|consum|made|used)\w*"), 6.0),
    ],
    "pathway": [
        (_p(r"\bpathways?\b"), 4.0),
        (_p(r"\broutes?\b|\bpath\b"), 3.0),
        (_p(r"\bfrom \S+ to \S+"), 1.0),
        (_p(r"\bconvert\w*\b|\bconversion\b|\bconnect\w*\b|\blinks?\b"), 2.0),
        (_p(r"\bshortest\b"), 2.0),
        (lambda s: bool(s.source and s.sink), 1.5),
    ],
    "pfba": [
        (_p(r"\bpfba\b|\bparsimonious\b"), 6.0),
        (_p(r"\btotal (sum of )?(absolute )?flux(es)?\b|\bsum of (absolute )?fluxes\b"), 4.0),
        (_p(r"\bminim\w* total flux\b"), 2.0),
    ],
    "flux": [
        (_p(r"\bflux(es)? (through|of|in|carried by|via)\b|\bwhat flux does\b|"
            r"\bflux\b.{0,15}\b(through|via)\b|"
            r"\bflux\b.{0,40}\bcarr(y|ies)\b"), 3.0),
        (_p(r"\bwhat (is|are) the fluxe?s?\b|\bflux distribution\b"), 2.0),
        # "oxygen uptake and CO2 release (EX_o2_e, EX_co2_e)": exchanges named by their ids
        (_p(r"\b(?:uptake|release|secretion|excretion|output|exchange)\b[^.?()]{0,30}"
            r"\(\s*ex_\w+"), 4.0),
        (_p(r"\b(uptake|secretion|excretion|exchange) (rate|flux)\b|\bexchange flux\b"
            r"|\b\w+ (uptake|secretion) (of|in|when|at (the )?optim\w*|at max\w*)\b"), 3.5),
        (lambda s: any(r.endswith(" exchange") for r in s.reactions), 2.0),
        (_p(r"\b(exchange fluxes|secretion profile|by-?products?|what does \S+ secrete)\b"),
         4.0),
        (lambda s: bool(s.reactions), 1.0),
        (lambda s: s.count_active, 7.0),
    ],
    "sampling": [
        (_p(r"\bsampl(e|es|ing)\b|\bachr\b|\boptgp\b"), 5.0),
    ],
    "list_models": [
        (_p(r"\b(which|what|list( the)?|available) models\b|\bmodels (are )?(available|"
            r"there|do you have)\b"), 6.0),
    ],
    "auxotrophy": [
        (_p(r"\bauxotroph\w*"), 7.0),
        # "A serine auxotroph candidate: remove b2913 and report the growth": a label, the
        # question is the knockout's growth
        (_p(r"\bauxotrophs?\s+(?:candidate|strain|mutant)s?\b[^?]*\bgrowth\s+rate\b"), -4.0),
        (_p(r"\b(cannot|can't) (make|synthesi[sz]e|produce) (its own|their own)?\b"), 2.0),
    ],
    "info": [
        (_p(r"\bbounds?\s+(of|on|for)\b|\b(lower|upper)\s+(and\s+(lower|upper)\s+)?bounds?\b"),
         5.0),
        (_p(r"\b(which|what)\s+reactions?(\(s\))?\s+(in\s+\S+\s+)?(does|do|is|are)\s+(the\s+|that\s+|"
            r"this\s+)?(gene\s+)?\S+\s+"
            r"(catalys\w*|"
            r"catalyz\w*|encod\w*|control\w*|code\w*|involved|associated|linked|tied|connected|"
            r"mapped|assigned)"
            r"|\b(which|what)\s+reactions?(\(s\))?\s+(are\s+|is\s+)?(catalys|catalyz|encoded|controlled)\w*\s+by\b"
            r"|\breactions?(\(s\))?\s+(encoded|catalys\w*|catalyz\w*)\s+by\b"),
         7.0),
        (_p(r"\b(which|what)\s+genes?\s+(are\s+|is\s+)?(associated|linked|involved|needed|"
            r"required)\s+(with|in|for|to)\b|\bgenes?\s+(of|for|behind)\s+(the\s+)?\S+\s+reaction\b"
            r"|\bhow many reactions\s+(is|does|are)\s+(the\s+)?(gene\s+)?(?!there\b)\S+\s+"
            r"(associated|involved|linked|catalys\w*|catalyz\w*|encod\w*)\b"), 7.0),
        (_p(r"\bhow many (metabolites|compounds|participants|species)\s+(does|do|are in|in)\s+"
            r"[^?]*?\breaction\b"), 7.0),
        (_p(r"\bwhat\s+(does|is)\s+(the\s+)?(reaction\s+|gene\s+)?\S+\s+(do|doing|encode|"
            r"code\s+for|catalys\w*|catalyz\w*)\b|\bgive\s+its\s+name\b|"
            r"\b(equation|stoichiometry|(gpr|gene[- ](protein[- ])?reaction)(\s+(rule|"
            r"association|relationship|logic))?)\s+(of|for)\b"), 5.0),
        # "which reaction is pykF (b1676) attached to", "which other gene can catalyse it"
        (_p(r"\b(?:which|what)\s+reactions?\s+(?:is|are|does|do)\s+\S+(?:\s+\(\S+\))?\s+"
            r"(?:attached|associated|linked|tied|assigned|connected|mapped)\s+to\b|"
            r"\b(?:which|what)\s+other\s+genes?\b"), 7.0),
        (_p(r"\b(which|what)\s+genes?\S*\s+(encodes?|codes?\s+for|catalys\w*|catalyz\w*|"
            r"are\s+behind|controls?|governs?|(is|are)\s+responsible\s+for)\b"), 7.0),
        (_has_entities, 1.0),
        # "what metabolite is g3p_c", "the formula of pyr_c": a metabolite of the model, by id
        (_p(r"\bwhat\s+(metabolite|compound|species)\s+is\s+[a-z0-9]+(__[a-z])?_[a-z]\d?\b|"
            r"\b(formula|charge)\s+of\s+(the\s+)?(metabolite\s+)?([\w,'+-]+\s+){0,3}?\(?"
            r"[a-z0-9]+(__[a-z])?_[a-z]\d?\b"),
         6.0),
    ],
    "synthetic_lethal": [
        (_p(r"\bsynthetic(ally)?[- ]lethal\w*|\bsynthetic lethality\b|\bsl pairs?\b"), 9.0),
    ],
    "deletion_screen": [
        (_p(r"\b(deletion|knockout) (screen|scan|analysis|study)\b"), 5.0),
        (_p(r"\ball (single )?(gene )?(deletions|knockouts)\b|\bevery gene\b|\beach gene\b"),
         5.0),
        (_p(r"\bdeletion screen\b|\bcount of lethal\b|\bhow many (lethal|single)\b"), 3.0),
    ],
    "build_model": [
        (_p(r"\b(build|construct|reconstruct|create|make|generate)\w*\b.{0,40}\b(models?|draft|"
            r"reconstructions?)\b"), 3.0),
        (_p(r"\bgenomes?\b|\bannotat\w*|\brast\b"), 2.0),
        (_p(r"\bdraft\b|\btemplates?\b"), 1.0),
        (lambda s: s.genome is not None, 2.0),
    ],
    "lookup": [
        (_p(r"\blook\s?up\b|\bsearch (for )?\b"), 3.0),
        (_p(r"\b(cpd|rxn|compound|reaction) ids? (does|do|is) (the )?(modelseed|seed|kegg|bigg)"
            r"\b"), 4.0),
        (_p(r"\b(modelseed|model seed|seed|kegg|bigg|metacyc)\s+(compound\s+|reaction\s+|cpd\s+|"
            r"rxn\s+)?"
            r"(ids?|identifiers?|entry|equivalents?)\s+(of|for)\b|\bec\s+(number|class)\s+(of|for)\b"
            r"|\b(name|formula|equation|charge|mass|molecular (mass|weight)|mw|structure|"
            r"inchikey|smiles|ec( number)?|aliases|synonyms)( and [a-z ]+?)? of (cpd|rxn)\d{5}\b"
            r"|\bwhat (is|does|are) (cpd|rxn)\d{5}\b"
            r"|\bwhich modelseed (compound|reaction) (is|has)\b"), 4.0),
        (_p(r"\b(compounds?|reactions?|metabolites?)\b"), 1.0),
        (_p(r"\b(modelseed|biochemistry|database|kegg|metacyc|chebi|inchikey|ec number)\b"),
         1.5),
        (_p(r"\bcpd\d{5}\b|\brxn\d{5}\b|\bec \d+\.\d+"), 1.0),
        (_p(r"\b(called|named|known as) in (the )?(modelseed|model seed|seed|kegg|bigg|metacyc)\b"
            r"|(->|→|=>)\s*(modelseed|model seed|kegg|bigg|metacyc)\b"), 3.0),
        (lambda s: s.query is not None, 2.0),  # "cpd00023 - name, formula and charge"
    ],
    "translate": [
        (_p(r"\btranslat\w*"), 4.0),
        (lambda s: bool(s.ids and s.namespace) and s.query is None, 5.0),
        (_p(r"\b(to|into) (the )?(modelseed|model seed|bigg|kegg|metacyc)\b"), 2.0),
        (_p(r"\b(ids?|identifiers?|namespaces?)\b"), 1.0),
        (lambda s: bool(s.ids and s.namespace), 1.0),
    ],
    "help": [
        (_p(r"\bwhat can you do\b|\bwhat do you (do|support|know)\b|\bcapabilities\b"
            r"|^\s*help\b|\bhow (do i|to) use you\b"), 8.0),
    ],
}


def score(text: Text, slots: Slots) -> dict[str, float]:
    """Score every intent for a question."""
    norm = text.norm
    out: dict[str, float] = {}
    for intent, feats in FEATURES.items():
        total = 0.0
        for feat, weight in feats:
            hit = feat(slots) if callable(feat) and not isinstance(feat, re.Pattern) \
                else bool(feat.search(norm))
            if hit:
                total += weight
        out[intent] = total
    return _interactions(norm, slots, out)


def _interactions(norm: str, slots: Slots, s: dict[str, float]) -> dict[str, float]:
    """Evidence that changes the meaning of other evidence."""
    if slots.phenotype_data and re.search(r"\b(measured|experiment\w*|lab|observed|data\s*set|"
                                          r"table)\b", norm):
        s["phenotypes"] += 3.0  # "predicted growth on acetate vs the measured rate": the data
    if re.search(r"\b(?:on|in|using|with|under|for)\s+(?:a\s+|the\s+|its\s+)?(?:[\w-]+\s+){0,3}"
                 r"minimal\s+"
                 r"(?:growth\s+)?medi(?:um|a)\b", norm) and not re.search(
            r"\b(?:what|which|find|compute|design|give|list|show|determine|identify|smallest)\s+"
            r"(?:is\s+|are\s+|me\s+)?(?:the\s+|a\s+)?(?:[\w-]+\s+)?minimal\s+medi", norm) and \
            max(v for k, v in s.items() if k != "minimal_medium") >= THRESHOLD:
        s["minimal_medium"] -= 7.0  # "essential genes on glucose minimal medium": a condition
    outside = re.sub(r"\d\s*(?:%|percent)\s*(?:of\s+)?(?:the\s+|its\s+)?(?:optimal|optimum|max\w*|"
                     r"wild[- ]type|best|full)?\s*(?:growth|biomass)(?:\s+rate)?", " ", norm)
    if outside != norm and not re.search(r"\bgr[eo]w(s|ing|n|th)?\b|\bbiomass\b", outside):
        s["growth"] -= 3.0   # "its range at 90% of optimal growth": growth names the fraction
    if slots.reactions and re.search(r"\bfluxe?s?\b|\b(in)?active\b", norm):
        s["flux"] += 2.0     # "is the PPP active at the optimum? G6PDH2r flux"
    if slots.best and len(slots.carbon_sources) >= 2 and re.search(
            r"\b(?:carbon\s+sources?|substrates?|sugars?|feeds?)\b", norm):
        s["growth"] += 5.0   # "acetate, glycerol or lactate: which carbon source is best?"
    if s["minimal_medium"] >= 4:
        s["medium"] -= 4.0   # "minimal medium" is not "what is in the medium"
        s["growth"] -= 2.0   # "... to grow at 0.1 per hour" is its growth floor
    together = re.search(r"\b(together|double|triple|combined|combination|combo|pair|"
                         r"(?:2|two|3|three)-(?:gene|reaction|way)|simultaneous\w*|"
                         r"jointly|at once|at the same time)\b", norm)
    several = len(slots.genes) + len(slots.reactions) >= 2 and not slots.knockouts and \
        max(s["essential"], 0) >= 4 and not together
    if together and s["essential"] >= 4 and _has_entities(slots):
        s["knockout"] += 4.0  # "are b1676 and b1854 together lethal": one double mutant
    if several:  # "of b2926, b4025 and b1852, which are essential?": each one, not together
        s["deletion_screen"] += 8.0
    one_gene = (s["essential"] >= 4 and _has_entities(slots) and not several
                and not re.search(r"\bessential (genes|reactions)\b", norm))
    if one_gene:
        s["knockout"] += 4.0  # "is pgi essential?" asks about one knockout
    if s["essential"] >= 5 and s["knockout"] < 6:
        s["knockout"] -= 3.0  # "essential genes" mentions no knockout
    analysis = max(s["fva"], s["pfba"], s["minimal_medium"], s["blocked"],
                   s["production"] if slots.product else 0.0,
                   0.0 if one_gene else s["essential"])
    if analysis >= 5 and slots.knockouts:
        s["knockout"] -= 4.0  # "FVA of PFK in the pgi mutant": the knockout is a condition
    if not _has_entities(slots) and max(s["essential"], s["deletion_screen"]) >= 3:
        s["knockout"] -= 3.0  # "which deletions are lethal" is a screen, not one knockout
    if s["info"] >= 5:
        s["fva"] -= 4.0       # "the lower and upper bounds of ATPM" are the model's bounds
        s["knockout"] -= 3.0
        s["lookup"] -= 2.0
    if s["synthetic_lethal"] >= 9:
        s["essential"] -= 6.0
        s["knockout"] -= 6.0
        # "Pgi + Zwf double deletion -- synthetic lethal or not?": that pair's test; "which
        # reactions form a synthetic lethal pair with PPC (double knockouts)": its partners
        s["synthetic_lethal"] = max(s["synthetic_lethal"], s["knockout"] + 1.0)
    if slots.product is not None and s["production"] >= 3 and re.search(
            rf"\bmax\w*\s+(?:the\s+)?{re.escape(slots.product)}\b", norm):
        s["production"] += 2.0  # "max acetate of the core model": the product is the question
    if re.search(r"\b(?:on|in|with|under|using)\s+(?:the|its|their)\s+(?:default|standard|usual|"
                 r"normal|own)\s+(?:medium|media)\b", norm) and not re.search(
            r"\bwhat(?:'s|\s+is|\s+are)?\s+in\b|\b(?:composition|components?|contents?|list)\b|"
            r"\b(?:take\s+up|uptakes?|import|consume|open)\b", norm):
        s["medium"] -= 3.0    # "... can it carry on the default medium": a condition, not asked
    if re.search(r"\b(default|its|the)\s+medium\b|\bmedium's\b", norm) and not re.search(
            r"\b(optim\w*|at the optimum|fba|solution|when growing|grow\w*)\b", norm):
        s["flux"] -= 3.0      # "the glucose uptake limit in the default medium" is the medium
    if re.search(r"\b(limit|bound|cap)s?\s+(for|of|on)\b|"
                 r"\b(uptake|exchange)\s+(limit|bound|cap)s?\b", norm) and not re.search(
            r"\b(optim\w*|solution|fba|carr(y|ies)|through)\b", norm):
        s["flux"] -= 4.0      # "the upper limit for oxygen uptake by default" is the medium's
        s["medium"] += 2.0
    if slots.product is None and any(r.endswith(" exchange") for r in slots.reactions):
        s["production"] -= 3.0  # "the ethanol secretion flux" at the growth optimum
        if re.search(r"\bhow\s+much\b", norm) and re.search(
                r"\bat\s+(?:the\s+|its\s+)?(?:max\w*\s+growth|optim\w*)", norm):
            s["flux"] = max(s["flux"], s["growth"] + 0.5)  # "... secrete at max growth"
    if slots.product is None and any(r.startswith("EX_") for r in slots.reactions) and re.search(
            r"\b(?:production|secretion|excretion|output|release|uptake)\s+(?:rate|flux)\b", norm):
        s["flux"] = max(s["flux"], s["growth"] + 1.0, 4.0)  # "CO2 production rate (EX_co2_e)"
    if slots.product is None and re.search(r"\bbiomass\b", norm):
        s["production"] -= 3.0  # "biomass production rate" is growth
    if slots.product is not None and s["production"] >= 4:
        s["growth"] -= 2.0    # "production ... while growing" is about the product
        s["flux"] -= 1.0
    if _has_entities(slots) and _MEMBERSHIP.search(norm) and not slots.knockouts and \
            (slots.model is not None or re.search(r"\b(?:model|draft)\b", norm)) and \
            not re.search(r"\bflux|\bec\s+(?:number|class)|\bmodel\s?seed\s+reaction", norm):
        s["info"] += 6.0      # "does e_coli_core contain PGI?": the model's own reaction
        s["lookup"] -= 4.0
    if slots.model is not None and re.search(r"\b(?:rxn|cpd)\d{5}_[a-z]\d\b", norm) and \
            re.search(r"\bgenes?\b|\bgpr\b|\bgene[- ]reaction\b|\bbounds?\b|\bequation\b|"
                      r"\bstoichiometr", norm) and not slots.knockouts:
        s["info"] += 6.0      # "genes of rxn00351_c0 in this draft": a compartment id is the
        s["lookup"] -= 4.0    # model's own reaction, not the biochemistry's
    if not slots.knockouts and any(lo == hi == 0.0 for _, lo, hi in slots.bounds):
        s["knockout"] -= 4.0  # "zero out the flux through TPI": a bound, the growth asked
    if slots.reactions and re.search(r"\b(?:gene[- ]?(?:reaction\s+|protein[- ]reaction\s+)?"
                                     r"(?:rules?|associations?)|gprs?)\s+(?:of|for)\b", norm):
        s["info"] = max(s["info"], s["summary"] + 1.0, 5.0)  # "genes in the GPR of NADH16"
    if slots.product == "ATPM":  # "mol ATP per mol glucose": the most ATP the network makes
        s["production"] = max(s["production"], s["growth"] + 1.0, 5.0)
    if s["phenotypes"] >= 4 and (slots.sole_element or slots.uptakes) and re.search(
            r"\b(?:predicted\s+)?growth\s+rate\b|\bhow\s+fast\b|\bdoes\s+\S+\s+grow\b", norm) and \
            not re.search(r"\baccuracy\b|\bmcc\b|\bhow\s+(?:well|good|accurate)", norm):
        # "Biolog suggests it uses cytidine as N source. Ammonium off, cytidine at 5 - growth
        # rate?": one condition to simulate, the plate is the story
        s["phenotypes"] -= 6.0
        s["growth"] = max(s["growth"], 5.0)
    if slots.bounds and re.search(r"\b(?:lower|upper)\s+bounds?\s*(?:=|:)\s*-?\d", norm):
        s["info"] -= 5.0  # "PGI.upper_bound = 3: max acetate?": a bound set, not asked for
    if slots.least_uptake:  # "the least glucose uptake that sustains 0.5 1/h": its range
        s["fva"] = max(s.values()) + 1.0
    if slots.biomass_yield and s["growth"] < 3:
        s["growth"] = 3.0     # "g of biomass per g glucose": a yield of the growth optimum
    if (slots.growth_floor is not None or slots.floor_fraction is not None) and \
            slots.reactions and max(s["flux"], s["fva"]) >= 3:
        s["growth"] -= 2.0    # "CS flux if growth must be at least 0.5": growth is a condition
    if s["fva"] >= 4 and re.search(r"\brange\s+of\b|\bmin(?:imum)?\s*(?:/|and|to)\s*max|"
                                  r"\bmax(?:imum)?\s*(?:/|and)\s*min", norm):
        s["fva"] += 3.0       # "the range of acetate secretion", "min/max ethanol export"
    if s["fva"] >= 4:
        s["flux"] -= 4.0      # "flux range", "minimum and maximum flux" is FVA
    if s["pfba"] >= 6:
        s["growth"] -= 1.5
        s["flux"] -= 2.0
    if s["blocked"] >= 6:
        s["summary"] -= 2.0
    if slots.knockouts and s["knockout"] <= s["growth"]:
        s["knockout"] = s["growth"] + 0.5  # "block TALA - mu?": the mutant's growth
    if slots.knockouts and s["knockout"] <= s["flux"] and re.search(r"\bgr[eo]w", norm) and \
            all(r in slots.knockouts or r.endswith("ase") for r in slots.reactions):
        s["knockout"] = s["flux"] + 0.5  # "zero the flux through ENO. Can it grow?"
    if s["knockout"] >= 6:
        s["growth"] -= 1.0    # "growth after a knockout" is the knockout's answer
        s["summary"] -= 1.0
    if s["essential"] >= 5:
        s["summary"] -= 2.0
        s["medium"] -= 2.0    # "essential on its default medium"
    if s["medium"] >= 3 and s["growth"] >= 3 and not re.search(r"\bwhat('s| is| are)? in\b",
                                                                norm):
        s["medium"] -= 2.0    # "growth on the default medium"
    if s["validation"] >= 4:
        s["summary"] -= 1.0
    if slots.objective and not (slots.source and slots.sink):
        s["pathway"] -= 3.0   # "maximise the pentose phosphate pathway entry G6PDH2r"
    if s["phenotypes"] >= 6:  # "predict gene essentiality", "Biolog carbon sources": the data
        for other in ("essential", "growth", "knockout", "validation", "summary", "medium"):
            s[other] -= 6.0
    if slots.ids and slots.namespace and slots.query is None:
        s["lookup"] -= 3.0   # "KEGG id of ModelSEED compound cpd00020": a translation
    if s["translate"] >= 6:
        s["pathway"] -= 2.0   # "convert glc__D to ModelSEED" is about ids, not chemistry
    if max(s["build_model"], s["lookup"], s["translate"]) >= 5:
        s["summary"] -= 2.0   # "find the reaction ..." is a lookup, not a model summary
    if max(s[k] for k in _SPECIFIC) >= 5:
        s["growth"] -= 2.0    # growth words are context of a specific analysis
    return s


#: Analyses that mention growth only as their context ("essential ... when it grows").
_SPECIFIC = ("essential", "fva", "pfba", "blocked", "validation", "pathway", "sampling",
             "auxotrophy", "deletion_screen", "build_model")


def best(scores: dict[str, float]) -> tuple[str, float, float]:
    """The best intent, its score and its margin over the second best."""
    ranked = sorted(scores.items(), key=lambda kv: (-kv[1], list(FEATURES).index(kv[0])))
    (top, s1), (_, s2) = ranked[0], ranked[1]
    return top, s1, s1 - s2
