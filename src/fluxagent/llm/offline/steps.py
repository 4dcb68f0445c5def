"""A question of several steps, split into the steps in the order asked.

"First cap glucose at 3 and get the growth; then, keeping that cap, limit oxygen to 5 and get
the growth again", "(1) wild-type growth, (2) growth after knocking out pgi, (3) that mutant
with glucose capped at 5", "the growth rate and then the maximum ethanol secretion". Each step
is read like the next turn of a conversation (``dialog.stepwise`` folds them), so conditions
accumulate unless a step takes them back, and every step that asks for something is answered.

Only the shape of the text is read here: numbered items, and "then / after that / finally"
between clauses (not the "then" of "if ... then"). A step that only sets a condition ("knock
out pgi, then compute the growth") is not a result of its own.
"""

from __future__ import annotations

import re

_NUMBERED = re.compile(r"(?:^|(?<=[\s,;:]))(?:\(?\s*([1-9])\s*\)|([1-9])\.(?=\s)|"
                       r"\(?([a-f])\)(?=\s)|\bstep\s+([1-9])\s*[:.)-]|"
                       r"\(?(i{1,3}|iv|v|vi)[.)](?=\s))\s*", re.IGNORECASE)
_ROMAN = {"i": 1, "ii": 2, "iii": 3, "iv": 4, "v": 5, "vi": 6}
_THEN = re.compile(r"(?:\s*[,;.]\s*|\s+)(?:and\s+)?(?:then(?!\s*(?:,\s*and\b|\?|$))|after\s+that|"
                   r"afterwards|next|finally|subsequently|followed\s+by)\b\s*[,:]?\s*|"
                   # "... -- growth? Under those same two constraints, what's the maximum ...?"
                   r"(?<=[.?!])\s+(?=(?:under|with|keeping|using)\s+(?:those|these|the\s+same)\b)",
                   re.IGNORECASE)
_FIRST = re.compile(r"^\s*(?:first(?:ly)?|to\s+start(?:\s+with)?|start\s+by|begin\s+(?:by|with))"
                    r"\b\s*[,:]?\s*", re.IGNORECASE)
#: Words that ask for a result (a step without one only sets conditions for the next).
_ASKS = re.compile(
    r"\b(?:growth|grow\w*|mu|rates?|flux\w*|fva|ranges?|yields?|essential\w*|lethal\w*|max\w*|"
    r"min(?:imum|imal|imi[sz]\w*)?|produc\w*|secret\w*|how\s+(?:much|many|fast)|what|which|"
    r"report|compute|calculate|get|give|tell|find|predict\w*|values?|doubling|again|optim\w*)\b|µ",
    re.IGNORECASE)
#: Every step is a result: "report growth for both steps", "the growth after each".
_EVERY_STEP = re.compile(r"\b(?:both|each|every|all)\s+(?:of\s+the\s+)?(?:steps?|stages?|"
                         r"cases?|points?)\b|\bafter\s+each\b|\bat\s+each\s+step\b|"
                         r"\bstep\s+1\b.*\bstep\s+2\b|\bat\s+1\s+and\s+(?:at\s+)?2\b|"
                         r"\b(?:each|every)\s+time\b|\bafter\s+(?:each|every)\s+(?:one|change|"
                         r"stage)\b|\bat\s+every\s+(?:step|stage)\b",
                         re.IGNORECASE)
#: A step that returns to the unmodified strain ("(1) wild-type growth").
WILD_TYPE = re.compile(r"\bwild[- ]?type\b|\bwt\b|\bunmodified\b|\bparent(?:al)?\s+strain\b",
                       re.IGNORECASE)


def _numbered(raw: str) -> list[tuple[str, bool]]:
    marks = list(_NUMBERED.finditer(raw))
    want = 1
    kept: list[re.Match[str]] = []
    for m in marks:  # "(1) ... (2) ...", "a) ... b) ...": items in their order
        mark = m.group(1) or m.group(2) or m.group(4) or (
            str(_ROMAN[m.group(5).lower()]) if m.group(5) else
            str(ord(m.group(3).lower()) - ord("a") + 1))
        if int(mark) == want:
            kept.append(m)
            want += 1
    if len(kept) < 2:
        return []
    out: list[tuple[str, bool]] = []
    head = raw[:kept[0].start()].strip(" ,;:")
    if head:
        out.append((head, False))  # "Three things for e_coli_core:": context for every step
    for a, b in zip(kept, [*kept[1:], None], strict=True):
        item = raw[a.end():b.start() if b else len(raw)].strip(" ,;:.")
        item = re.sub(r"\s*(?:,?\s*and)\s*$", "", item)
        if item:
            out.append((item, True))
    return out


def _sequenced(raw: str) -> list[tuple[str, bool]]:
    cuts: list[tuple[int, int]] = []
    for m in _THEN.finditer(raw):
        clause = re.split(r"[.;?!]\s", raw[:m.start()])[-1]
        if re.search(r"\bif\b|\bwhen\b", clause, re.IGNORECASE) and not re.match(
                r"[,;.]", raw[m.start():].lstrip(" ")):
            continue  # "if it grows then ...": a condition, not a next step
        cuts.append((m.start(), m.end()))
    if not cuts:
        return []
    pieces, at = [], 0
    for a, b in cuts:
        pieces.append(raw[at:a])
        at = b
    pieces.append(raw[at:])
    pieces[0] = _FIRST.sub("", pieces[0])
    out = [(p.strip(" ,;:."), bool(_ASKS.search(p))) for p in pieces if p.strip(" ,;:.")]
    return out if len(out) >= 2 else []


def segments(raw: str) -> list[tuple[str, bool]]:
    """(text, asks for a result) of each step, in order; [] for a question of one step. The
    last step always asks (its analysis may be implied: "..., then knock out pgi")."""
    parts = _numbered(raw) or _sequenced(raw)
    if not parts:
        return []
    parts[-1] = (parts[-1][0], True)
    if _EVERY_STEP.search(raw):  # "..., and report growth for both steps"
        parts = [(p, True) for p, _ in parts]
    return parts if sum(asks for _, asks in parts) >= 2 else []


#: "what helps growth more: X, or Y?", "What's worse for the core model: X or Y?"
_CHOICE_CUE = re.compile(
    r"\b(?:what|which)(?:'s|\s+is|\s+would|\s+does|\s+do|\s+of\s+these)?\b[^:?]{0,60}?\b"
    r"(?:(more|better|higher|most|best|larger|bigger|helps?|greater)|"
    r"(worse|less|lower|least|worst|smaller|hurts?|harms?|damag\w*))\b[^:?]{0,40}?[:\u2014-]\s+",
    re.IGNORECASE)
#: Each alternative starts with what is done to the cells.
_CHANGE = re.compile(
    r"^(?:by\s+)?(?:rais|lower|increas|decreas|capp|limit|los|remov|knock|delet|block|add|"
    r"clos|doubl|halv|cutt|switch|turn|feed|giv|sett|drop|open|restrict|tak)\w*\b",
    re.IGNORECASE)


def alternatives(raw: str) -> tuple[str, list[str], str] | None:
    """(context, the alternatives, "max" or "min") of a question that compares changes, each
    made on its own: "For salmonella, what helps growth more: raising the glucose limit from
    5 to 7, or raising the oxygen limit from 18.5 to 25?"; None for any other question."""
    cue = _CHOICE_CUE.search(raw)
    if cue is None:
        return None
    body = re.split(r"[?](?:\s|$)|\.\s", raw[cue.end():])[0]
    parts = [p.strip(" ,;.") for p in re.split(r",?\s+or\s+|,\s+(?=\w+ing\b)", body)]
    if len(parts) < 2 or not all(_CHANGE.match(p) for p in parts):
        return None
    rest = raw[cue.end() + len(body):].strip(" ?.!")  # "... ? Assume no oxygen.": context too
    head = " ".join(x for x in (raw[:cue.start()].strip(" ,;:"), rest) if x)
    return head, parts, "max" if cue.group(1) else "min"
