"""Quantities of a question: an uptake limit of a named nutrient, a fraction of the optimum,
and a growth floor (absolute, 1/h, or as a fraction of the maximal growth).

Each reads the shape of a phrase ("glucose uptake limited to 4", "at 90% of optimum", "at
least 0.1 1/h"); a number followed by "%" is a fraction, never a rate.
"""

from __future__ import annotations

import re

NUM = r"(\d+(?:\.\d+)?(?:e-?\d+)?|\.\d+)"
UNIT_H = r"(?:\s*(?:1/h|/h|per\s+hour|h-1|h\^-1|h⁻¹|hr-1|/hr))"


def uptake_limit(low: str, what: str) -> float | None:
    """``what`` uptake limited/set to N (or N mmol of ``what``)."""
    verbs = (r"(?:is\s+|was\s+|be\s+|were\s+|are\s+|gets\s+|got\s+)?"
             r"(?:limited|restricted|constrained|capped|set|fixed|"
             r"reduced|lowered|clamped|bounded|increased|raised|held|kept|pinned|throttled)?")
    preps = (r"(?:to|at|of|=|<=|≤|below|under|at most|to at most|to a maximum of|"
             r"max(?:imum)?(?: of)?)?")
    pats = [
        rf"\b{what}\s+(?:uptake|consumption|supply|intake|feed)(?:\s+rate)?(?:\s+flux)?\s*{verbs}"
        rf"\s*(?:from\s+(?:the\s+|its\s+)?(?:default|current|usual|\d+(?:\.\d+)?)\s+)?{preps}\s*"
        rf"(?:only\s+|just\s+|merely\s+)?{NUM}",
        rf"\b(?:limit|restrict|cap|constrain|set|fix|reduce|lower|clamp|rais|increas|boost|"
        rf"bring|put|push|cut|drop|tighten|throttl|hold|held|kept|pin|dial)\w*\s+(?:the\s+)?"
        rf"(?:[a-z0-9_]+'s?\s+)?"  # "tighten Salmonella's oxygen supply"
        rf"{what}\s*(?:uptake|consumption|supply|intake)?(?:\s+rate)?(?:\s+(?:limit|bound|cap))?"
        rf"(?:\s+(?:of|in|for)\b)?"
        rf"(?:\s+from\s+(?:the\s+|its\s+)?(?:default|current|usual|\d+(?:\.\d+)?))?"
        rf"\s+(?:(?:down|up)\s+)?(?:to|at)\s+{NUM}",
        rf"{NUM}\s*mmol(?:/gdw/h|\s*/\s*gdw\s*/\s*h|\s+per\s+gdw\s+per\s+h\w*)?\s+(?:of\s+)?{what}",
        rf"\b{what}\s+(?:at|of)\s+{NUM}\s*mmol",
        rf"(?<![\d.]){NUM}\s*(?:flux\s+)?units?\s+of\s+{what}",  # "3 units of oxygen"
        # "if oxygen uptake can't exceed 6", "glucose must not go above 4"
        rf"\b{what}\s+(?:uptake\s+|consumption\s+|supply\s+)?(?:rate\s+)?(?:can(?:not|'t)|may\s+not|"
        rf"must\s+not|mustn't|should\s+not|shouldn't|won't|will\s+not|does\s+not|doesn't)\s+"
        rf"(?:exceed|go\s+(?:above|beyond|over|past)|be\s+(?:more|higher|greater)\s+than|"
        rf"top)\s+{NUM}",
        # "taurine provided at only 0.05", "glycerol supplied at 4", "xylose given at 6"
        rf"\b{what}\s+(?:is\s+|being\s+)?(?:provided|supplied|given|offered|fed|added|made\s+"
        rf"available)\s+(?:at|with|to)\s+(?:only\s+|just\s+|a\s+(?:rate|maximum)\s+of\s+)?{NUM}",
        # "let glucose uptake go up to 12", "allow oxygen uptake to rise to 20"
        rf"\b(?:let|allow|permit)\w*\s+(?:the\s+)?{what}\s+(?:uptake|consumption|supply|intake)"
        rf"(?:\s+rate)?\s+(?:to\s+)?(?:go|rise|climb|increase|reach|get)\s+(?:up\s+)?"
        rf"(?:to|as\s+high\s+as)\s+{NUM}",
        # "can only import 6 millimoles of glucose", "takes up at most 3 mmol of oxygen"
        rf"\b(?:import|take\s+up|absorb|consume|use|get)s?\s+(?:at\s+most\s+|up\s+to\s+|only\s+)?"
        rf"{NUM}\s*(?:mmol\S*|millimoles?|mmoles?)\s+(?:of\s+)?{what}",
        # "glucose at a dilution-limited 4.5 mmol/gDW/h", "glucose at a rate of 3 mmol"
        rf"\b{what}\s+at\s+(?:a|an|the)\s+(?:[a-z-]+\s+){{0,2}}?(?:of\s+)?{NUM}\s*mmol",
        rf"\b{what}\s+(?:is\s+|was\s+|were\s+|are\s+)?(?:limited|restricted|constrained|capped|clamped|"
        rf"bounded|lowered|reduced|raised|increased|decreased|cut|dropped|set)\s+(?:to|at)\s+"
        rf"(?:at most\s+)?{NUM}",
        rf"\b{what}\s+(?:uptake\s+)?(?:at\s+most|no\s+more\s+than|not\s+above|not\s+exceeding|"
        rf"<=|≤|up\s+to)\s+{NUM}",  # "oxygen no more than 12"
        rf"\b{what}\s+(?:at|=)\s+{NUM}(?![\d.]|\s*(?:%|percent|°|degrees?))",  # "oxygen at 10"
        # "what if oxygen is 2 instead?", "and oxygen 2?": a bare value closing the clause
        rf"\b{what}\s+(?:uptake\s+)?(?:is\s+|of\s+)?{NUM}(?=\s*(?:mmol\S*\s*)?(?:instead\b|"
        rf"now\b|then\b|\?|$|,|;|\band\b))",
        # "oxygen can enter at 12.5 at most", "let oxygen in at no more than 5"
        rf"\b{what}\s+(?:can|may|could|is\s+allowed\s+to)\s+(?:enter|come\s+in|flow\s+in|be\s+"
        rf"taken\s+up)\s+(?:at\s+)?(?:no\s+more\s+than\s+|at\s+most\s+|up\s+to\s+)?{NUM}",
        rf"\b(?:let|allow)\w*\s+(?:the\s+)?{what}\s+(?:in|enter)\s+(?:at\s+)?(?:no\s+more\s+than\s+|"
        rf"at\s+most\s+|up\s+to\s+)?{NUM}",
        # "restore oxygen but cap it at 5": "it" is the nutrient just named
        rf"\b{what}\b[^.;?]{{0,30}}?\b(?:cap|limit|restrict|constrain|set|fix|clamp|lower|"
        rf"reduc|rais|increas)\w*\s+it\s+(?:at|to)\s+(?:at most\s+)?{NUM}",
        # "bring back oxygen, limited to 5": the clause right after the nutrient
        rf"\b{what}\s*,\s*(?:but\s+)?(?:capped|limited|restricted|constrained|clamped)\s+"
        rf"(?:at|to)\s+(?:at most\s+)?{NUM}",
    ]
    # "under O2 limitation (uptake 5)", "oxygen-limited at 2"
    pats.append(rf"\b{what}[- ]?(?:limitation|limited|restriction|restricted)\s*(?:\(\s*"
                rf"(?:uptake\s+|max\s+|at\s+|=\s*)?|\s*,\s*|\s+(?:at|to|of)\s+){NUM}")
    # "fructose (uptake 8)", "glycerol (max 6 mmol/gDW/h)": the rate in a parenthesis
    pats.append(rf"\b{what}\s*\(\s*(?:uptake|max(?:imum)?|up\s+to|at\s+most)\s*(?:of\s+|at\s+|=\s*|:\s*)?"
                rf"{NUM}\s*(?:mmol[^)]*)?\)")
    # "on glycerol (glycerol replaces glucose, 10 mmol/gDW/h)": the rate closing the parenthesis
    pats.append(rf"\b{what}\s*\((?:[^()]*?[,;:]\s*)?{NUM}\s*mmol[^()]*\)")
    for p in pats:
        for m in re.finditer(p, low):
            if not re.match(r"\s*(?:%|percent|(?:g|grams?|mg|mm|µm|um|m)(?:\b|/))",
                            low[m.end():]):  # "at 99 % of the optimum", "fed at 3 g per hour"
                return float(m.group(m.lastindex or 1))
    return None


def optimum_fraction(low: str) -> float | None:
    within = re.search(rf"\b(?:within|(?<!no\s)less\s+than|no\s+more\s+than)\s+{NUM}\s*"
                       r"(?:%|percent)\s+(?:of|from|below)\s+(?:the\s+|its\s+)?(?:optim|max|best)",
                       low)
    if within is not None:  # "within 5 % of the optimum": 95 % of it; "within 99 %": 99 %
        pct = float(within.group(1))
        return 1.0 - pct / 100.0 if pct < 50 else pct / 100.0
    m = re.search(rf"{NUM}\s*(?:%|percent)\s*(?:of\s+)?(?:the\s+|its\s+|their\s+)?"
                  r"(?:optim|max|wild|wt\b|best|"
                  r"objective|growth|biomass)", low)
    if m is None:
        m = re.search(rf"\bat\s+{NUM}\s*(?:%|percent)(?!\s*(?:of\s+)?(?:(?:its|the|their)\s+)?"
                      r"(?:default|normal|usual|original|standard|current|baseline)\b)", low)
    if m is not None:
        return float(m.group(1)) / 100.0
    m = re.search(rf"(?:>=|≥|at least)\s*{NUM}\s*\*?\s*(?:x\s+)?(?:mu_?max|µ_?max|the\s+(?:max\w*|"
                  r"optim\w*)|max(?:imal|imum)?\s+growth|optim\w*)", low)
    if m is not None and float(m.group(1)) <= 1.0:
        return float(m.group(1))
    m = re.search(rf"\bfraction(?:\s+of\s+(?:the\s+)?optimum)?\s*(?:of|=|:|at)?\s*{NUM}", low)
    if m is None:
        m = re.search(rf"\b{NUM}\s+(?:of\s+(?:the\s+)?)?(?:optimum|optimal|maximal|maximum)\b",
                      low)
    if m is not None and float(m.group(1)) <= 1.0:
        return float(m.group(1))
    return None


def growth_floor(low: str) -> tuple[float | None, float | None]:
    """An absolute growth floor (1/h) or a floor as a fraction of the maximal growth."""
    m = re.search(rf"(?<!\w)(?:at least|minimum(?: of)?|min\.?|>=|≥|above|no less than|not below|"
                  rf"keeping|keep|maintain\w*|while|holding|hold|held|floor\s+(?:of|at))\s+(?:a\s+)?(?:growth(?:\s+rate)?\s+(?:of\s+)?"
                  rf"(?:at least\s+)?)?{NUM}\s*(?:%|percent)\s+of", low)
    if m is None:  # "with 50% growth required", "80 % of max growth enforced"
        m = re.search(rf"{NUM}\s*(?:%|percent)\s+(?:of\s+)?(?:the\s+)?(?:max\w*\s+|optimal\s+|"
                      rf"wild[- ]type\s+)?growth\s+(?:is\s+)?(?:required|needed|kept|maintained|"
                      rf"enforced|guaranteed)", low)
    if m:
        return None, float(m.group(1)) / 100.0
    words_ = {"half": 0.5, "a third": 1 / 3, "one third": 1 / 3, "a quarter": 0.25,
              "one quarter": 0.25, "two thirds": 2 / 3, "three quarters": 0.75}
    m = re.search(r"\b(half|a third|one third|a quarter|one quarter|two thirds|three quarters)"
                  r"\s+(?:of\s+)?(?:that|this|it|the\s+(?:optimum|optimal|maximum|maximal|"
                  r"wild[- ]type|max)\w*|its\s+(?!default|normal|usual|original|standard|current|"
                  r"baseline)\w+|(?:the\s+)?(?:optimal|maximal|maximum)\s+"
                  r"growth|(?:their|its|the)\s+(?:\w+\s+)?(?:optimum|optimal|maximum|maximal|max)"
                  r"\w*(?:\s+growth)?)\b", low)  # "half of their anaerobic optimum growth"
    if m and re.search(r"\b(grow\w*|reach|floor|at least|minimum|only has to|must|keep\w*|"
                       r"retain\w*|maintain\w*)\b", low):
        return None, words_[m.group(1)]
    if re.search(r"\b(?:minimal|minimum)\s+(?:growth\s+)?medi(?:um|a)\b", low) and re.search(
            r"\b(?:at|for|supporting|support\w*|sustain\w*)\s+(?:its|the|their|full)?\s*"
            r"(?:max\w*|optim\w*|full|wild[- ]type)\s+growth\b", low):
        return None, 1.0  # "minimal medium at its max growth": the floor is the optimum
    pats = [
        rf"\b(?:growth|biomass)(?:\s+rate)?(?:\s+floor)?\s+(?:(?:must|should|has\s+to|needs\s+to)\s+"
        rf"(?:be\s+)?)?(?:(?:is\s+)?(?:held|kept|maintained|constrained|forced|stays?|remains?|"
        rf"staying|remaining|pinned|fixed|clamped|locked)\s+(?:at\s+)?)?"
        rf"(?:of\s+|is\s+|be\s+)?(?:at least|minimum(?: of)?|min\.?|>=|≥|at\s+or\s+above|"
        rf"at\s+or\s+over|not\s+under|in\s+excess\s+of|greater\s+than|more\s+than|"
        rf"above|no less than|not below|of|at|=)\s*{NUM}(?![\d.]|\s*(?:%|percent|[*×]|x\s)|"
        r"\s+and\s+(?:at\s+)?\d)",  # "growth at 1 and at 2": the steps, not a floor
        rf"(?<!\w)(?:at least|minimum(?: of)?|>=|≥|no less than)\s*{NUM}{UNIT_H}",
        rf"\bgrow(?:s|ing|th)?\s+(?:rate\s+)?(?:at|of)\s+(?:least\s+)?{NUM}"
        r"(?![\d.]|\s*(?:%|percent|°|degrees?|deg\b|c\b|k\b|kelvin)|\s+and\s+(?:at\s+)?\d)"
        rf"{UNIT_H}?",
        rf"\b(?:minimum|min\.?|minimal)\s+growth(?:\s+rate)?\s+(?:of\s+)?{NUM}",
        rf"\b(?:growth|biomass)(?:\s+rate)?\s+floor\s+(?:of\s+)?{NUM}",
        rf"\b(?:reach|achiev\w*|attain\w*|sustain\w*|support\w*|allow\w*|enabl\w*)\s+(?:a\s+)?"
        rf"(?:growth(?:\s+rate)?\s+(?:of\s+)?)?{NUM}{UNIT_H}",
        rf"\b(?:reach|achiev\w*|attain\w*|sustain\w*|support\w*)\s+(?:a\s+)?growth(?:\s+rate)?"
        rf"\s+(?:of\s+)?{NUM}",
        # "growth not allowed below 0.1", "growth must never drop under 0.2"
        rf"\b(?:growth|biomass)(?:\s+rate)?\s+(?:is\s+|must\s+|may\s+|can\s+|should\s+)?(?:not|never|"
        rf"mustn't|can't|cannot|shouldn't)\s+(?:be\s+)?(?:allowed\s+(?:to\s+)?|permitted\s+(?:to\s+)?)?"
        rf"(?:(?:drop|fall|go|sink|dip)\s+)?(?:below|under|less\s+than|lower\s+than)\s+{NUM}",
    ]
    for p in pats:
        for m in re.finditer(p, low):
            if not re.match(r"\s*(?:%|percent)", low[m.end():]):  # "a floor of 30 percent"
                return float(m.group(1)), None
    return None, None
