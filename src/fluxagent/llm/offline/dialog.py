"""From the thread to the frame of the current question (session continuity).

The frame of a turn is derived from the turn's question, the replies a person gave to the
planner's questions in that turn, and (for a follow-up such as "now without oxygen?") the
frame of the turn before. Nothing is remembered outside the thread.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, fields, replace
from functools import lru_cache
from typing import Any

from fluxagent.core.events import Event, Thread
from fluxagent.llm.offline import account, intents, slots, steps
from fluxagent.llm.offline.frame import Frame, Intent, Slots
from fluxagent.llm.offline.lexicon import bnumber, is_metabolite, known_gene_name
from fluxagent.llm.offline.text import Text, analyse

#: A question that starts like this continues the previous one.
_FOLLOW_UP = re.compile(
    r"^\s*(now|and|also|same|then|instead|ok(ay)?|what about|how about|what if|and if|"
    r"but|again|this time|repeat|redo|with|without|under|on|at|for|in|using)\b",
    re.IGNORECASE)
#: Slots that describe the conditions (inherited by a follow-up that changes intent).
_CONDITION_SLOTS = ("model", "models", "medium", "carbon_source", "carbon_sources",
                    "carbon_uptake",
                    "oxygen", "oxygen_both", "oxygen_uptake", "uptakes", "cofeed",
                    "sole_element", "bounds", "factors", "objective", "direction")
#: Marker the planner writes into an AskHuman rationale when it asks about an unknown id.
CLARIFY_ID = "clarify-id: "
CLARIFY_INTENT = "clarify-intent"
CLARIFY_ENTITY = "clarify-entity"


@dataclass(frozen=True)
class Turn:
    question: str
    start: int                       # index of the user_message in the thread
    events: tuple[Event, ...]        # the turn's events, user_message first


def turns(thread: Thread) -> list[Turn]:
    out: list[Turn] = []
    starts = [i for i, ev in enumerate(thread) if ev.type == "user_message"]
    for k, i in enumerate(starts):
        end = starts[k + 1] if k + 1 < len(starts) else len(thread)
        out.append(Turn(str(thread[i].data.get("text", "")), i, tuple(thread.events[i:end])))
    return out


def human_replies(turn: Turn) -> list[tuple[str, str]]:
    """(rationale of the planner's question, the person's reply) in this turn."""
    asked: dict[str, str] = {}
    out: list[tuple[str, str]] = []
    for ev in turn.events:
        if ev.type == "human_request" and ev.call_id:
            asked[ev.call_id] = str(ev.data.get("rationale", ""))
        elif ev.type == "human_response":
            out.append((asked.get(ev.call_id or "", ""), str(ev.data.get("text", ""))))
    return out


def substitutions(turn: Turn) -> dict[str, str]:
    """Mentions a person replaced: {'pgx': 'pgi'} from a reply to an unknown-id question."""
    subs: dict[str, str] = {}
    for rationale, reply in human_replies(turn):
        if CLARIFY_ID in rationale and not reply.startswith("none of these"):
            mention = rationale.split(CLARIFY_ID, 1)[1].strip()
            choice = reply.strip().split()[0].strip(" ,.;'\"") if reply.strip() else ""
            if mention and choice:
                subs[mention] = choice
    return subs


@lru_cache(maxsize=1024)
def interpret(text: Text) -> Frame:
    """The frame of one piece of text, on its own (remembered: a pure function of the text,
    asked again at every step of a question; the Frame is frozen and never changed)."""
    s = slots.extract(text)
    scores = intents.score(text, s)
    top, value, _ = intents.best(scores)
    intent: Intent = top if value >= intents.THRESHOLD else "unknown"  # type: ignore[assignment]
    if s.objective and s.direction == "max" and (
            s.product is None or s.objective.startswith("EX_")) and (
            s.growth_floor is not None or s.floor_fraction is not None) and \
            intent in ("unknown", "production", "info", "growth", "flux"):
        # "maximise ATPM while growth is at least 0.6": the reaction's maximum under the floor
        # ("making D-lactate: maximum EX_lac__D_e flux ...": the product is that exchange)
        s = s.set(product=s.objective, objective=None,
                  reactions=tuple(r for r in s.reactions if r != s.objective))
        intent = "production"
    elif intent in ("unknown", "production", "info", "flux") and s.objective and \
            s.product is None:
        if intent == "flux":  # "max flux through citrate synthase (CS) when optimising it"
            s = s.set(reactions=tuple(r for r in s.reactions if r != s.objective and
                                      not r.endswith("ase")))
        intent = "growth"  # "maximise PGK": an FBA with that objective
    elif intent == "production" and s.objective and s.growth_floor is None and \
            s.floor_fraction is None and not re.search(r"\byields?\b|\bper\s+mol", text.norm) \
            and re.search(
                rf"\b{re.escape(s.objective)}\s*\)?\s+as\s+(?:the\s+)?objective\b|"
                rf"\bobjective\s*(?:=|:|is|to|as)\s*(?:the\s+)?{re.escape(s.objective)}\b",
                text.raw, re.IGNORECASE):
        # "max ATP production (ATPM as objective)": the reaction named as objective is what
        # is maximised, not the metabolite's exchange
        s = s.set(product=None, reactions=tuple(r for r in s.reactions if r != s.objective))
        intent = "growth"
    if intent == "production" and s.product and _AT_THE_OPTIMUM.search(text.norm) and not \
            _MOST.search(text.norm) and s.growth_floor is None and s.floor_fraction is None:
        # "how much acetate does the core model secrete?": its exchange in the FBA solution;
        # "how much can it secrete" is the maximum
        exchange = next((r for r in s.reactions if r.lower().startswith("ex_") or
                         r.endswith(" exchange")), f"{s.product} exchange")
        s = s.set(product=None, reactions=(exchange, *(r for r in s.reactions if r != exchange)))
        intent = "flux"
    consumed = _CONSUMED.search(text.norm)
    if consumed and intent in ("growth", "unknown", "flux", "production") and not s.product:
        words_ = consumed.group(1).split()
        met = next((w for w in (consumed.group(1), words_[0]) if is_metabolite(w)), None)
        if met is not None:
            s = s.set(reactions=(f"{met} exchange", *s.reactions))
            intent = "flux"
    if intent == "info" and not (s.genes or s.reactions or s.ids) and re.search(
            r"\b(uptake|exchange|medium)\b", text.norm):
        intent = "medium"  # "the glucose uptake bound of iJO1366": the medium's bound
    if intent == "fva" and not s.reactions and s.product:
        # "min/max ethanol and formate export": the range of each product's exchange
        fed = {*s.carbon_sources, *(m for m, _ in s.uptakes)}
        made = [m for m in dict.fromkeys((s.product, *s.nutrients)) if m not in fed]
        s = s.set(reactions=tuple(f"{m} exchange" for m in made), product=None)
    if intent in ("unknown", "medium") and _conditions_only(text, s):
        intent = "growth"  # "salmonella anaerobically, default medium otherwise": a growth
    notes: list[str] = []
    if text.truncated:
        notes.append("truncated")
    if text.injection:
        notes.append("injection")
    frame = Frame(intent=intent, slots=s, scores=scores, notes=tuple(notes))
    missing = account.unresolved(text, frame)
    return replace(frame, unresolved=missing, confidence=account.confidence(frame, missing))


#: "how much X does the model secrete": the amount in the FBA solution ...
_AT_THE_OPTIMUM = re.compile(r"\bhow\s+much\b[^?]{0,60}\b(?:do|does|did|is|are|gets?)\b[^?]{0,60}"
                             r"\b(?:secret|excret|produc|releas|export|made|formed)\w*")
#: ... unless the most it could is asked.
_MOST = re.compile(r"\b(?:max\w*|most|theoretical\w*|yields?|possible|can|could|able|"
                   r"potential\w*|up\s+to|at\s+most|optimi[sz]\w*)\b")

#: "how much oxygen does salmonella consume", "how much glucose does it take up": the
#: nutrient's exchange flux in the FBA solution.
_CONSUMED = re.compile(r"\bhow\s+much\s+([a-z0-9][\w'+-]*(?:\s[a-z][\w-]*)?)\s+(?:does|do|did|is|"
                       r"will|would)\b[^?]{0,60}?\b(?:consum\w*|tak\w*\s+up|uptak\w*|us(?:e|es|ed|ing)|"
                       r"import\w*|absorb\w*|need\w*|requir\w*)\b")

#: A question about the medium itself, not one that names it as a condition.
_ABOUT_MEDIUM = re.compile(r"\b(?:what|which|list|show|print|give|composition|contents?|"
                           r"components?|ingredients?|nutrients|compounds|consist\w*|made\s+of)\b")


def _conditions_only(text: Text, s: Slots) -> bool:
    """A model with conditions and no analysis named ("Salmonella with the glucose uptake
    raised to 10?"): the analysis every condition is about, growth."""
    conditioned = s.oxygen is not None or s.carbon_uptake is not None or bool(
        s.carbon_source or s.uptakes or s.bounds or s.factors or s.cofeed or s.sole_element
        or s.element_sources)
    return conditioned and s.model is not None and not s.knockouts and \
        not _ABOUT_MEDIUM.search(text.norm)


def _merge(prev: Slots, cur: Slots, *, same_intent: bool) -> Slots:
    """Previous slots, overridden by what the follow-up says."""
    empty = Slots()
    changes: dict[str, Any] = {}
    for f in fields(Slots):
        name = f.name
        value = getattr(cur, name)
        if value == getattr(empty, name):
            continue
        if name in ("genes", "reactions", "knockouts") and cur.additive and same_intent:
            value = tuple(dict.fromkeys((*getattr(prev, name), *value)))
        changes[name] = value
    if cur.oxygen is not None and not cur.oxygen_both:
        changes["oxygen_both"] = False
    if cur.oxygen is not None and cur.oxygen_uptake is None:
        changes["oxygen_uptake"] = None  # "put oxygen back to default": the old cap goes
    if cur.carbon_source is not None and len(cur.carbon_sources) <= 1:
        changes.setdefault("carbon_sources", cur.carbon_sources)
        if cur.carbon_uptake is None:
            changes["carbon_uptake"] = None  # "on acetate", "glucose back to default": its rate
    if cur.model is not None and len(cur.models) <= 1:
        changes["models"] = cur.models
    if not same_intent:
        keep = {k: v for k, v in changes.items()}
        base = Slots(**{k: getattr(prev, k) for k in _CONDITION_SLOTS})
        if cur.model is None:  # "Load iJO1366." then "its doubling time?": that model
            base = replace(base, model=prev.model, models=prev.models)
        # earlier knockouts are conditions too: "block PGI ... now knock out PYK too"
        kos = prev.knockouts
        base = replace(base, knockouts=kos, genes=tuple(g for g in prev.genes if g in kos),
                       reactions=tuple(r for r in prev.reactions if r in kos))
        if cur.additive or not cur.knockouts:  # "FVA of EX_ac_e for that mutant": kept
            for name in ("genes", "reactions", "knockouts"):
                if name in keep:
                    keep[name] = tuple(dict.fromkeys((*getattr(base, name), *keep[name])))
        else:
            for name in ("genes", "reactions", "knockouts"):
                keep.setdefault(name, ())
        return replace(base, **keep)
    return replace(prev, **changes)


def _bare_mentions(text: Text, prev: Frame, cur: Frame) -> Slots:
    """'what about succinate?' fills the slot the previous question used."""
    s = cur.slots
    if s.carbon_source or s.product:
        return s
    if prev.intent == "knockout" and not s.knockouts:
        named = list(s.genes or s.reactions) or [
            t for t in re.findall(r"[A-Za-z][\w]*", text.raw)
            if bnumber(t) or (known_gene_name(t) and not is_metabolite(t.lower()))]
        if named:  # "what about zwf instead?", "and zwf too?" after a knockout
            return s.set(genes=tuple(g for g in named if g not in s.reactions),
                         knockouts=tuple(named))
    mets = [t for t in text.tokens if is_metabolite(t)]
    if not mets:
        return s
    conditioned = {m for _, m in s.sole_element} | {m for m, _ in s.uptakes}
    mets = [m for m in mets if m not in slots.NON_CARBON and m not in conditioned]
    if not mets:
        return s
    if prev.intent == "production":
        return s.set(product=mets[0])
    if mets[0] == prev.slots.carbon_source and not re.search(
            r"\b(?:default|normal|usual|back\s+to|restor\w*|original)\b", text.norm):
        return s  # "... but keep the glucose limit": the same source, as it was
    if prev.intent in ("growth", "knockout", "essential", "fva", "pfba", "flux", "blocked",
                       "minimal_medium"):
        return s.set(carbon_source=mets[0], carbon_sources=(mets[0],))
    return s


def follow(prev: Frame, text: Text, cur: Frame, *, step: bool = False) -> Frame:
    """Combine a follow-up question (or the next step of one question) with the frame before
    it; what the follow-up's own words leave unused is accounted against the combined
    frame."""
    merged = _follow(prev, text, cur, step=step)
    if merged is cur:
        return cur
    # the spans the condition patterns used are positions in *this* text, not the last one's;
    # "put pgi back (undo that knockout)" uses the words that take a knockout back
    undone = tuple((m.start(), m.end()) for m in _UNDO.finditer(text.raw))
    merged = replace(merged, slots=merged.slots.set(consumed=(*cur.slots.consumed, *undone)))
    missing = account.unresolved(text, merged)
    return replace(merged, unresolved=missing, confidence=account.confidence(merged, missing))


#: Words that point back at the previous turn's result ("what's that as a doubling time?").
_ANAPHORA = re.compile(r"\b(that|this|it|its|their|them|those|these|the same|previous\w*|above|"
                       r"the mutant|the result|that value|that number|there|then|in that case|"
                       r"under (?:those|these|the same) conditions)\b", re.IGNORECASE)


#: A question that ends on the state the conversation is in ("what's the growth now?").
_STILL = re.compile(r"\b(now|then|after\s+that|in\s+that\s+case|afterwards|still)\s*[?.!]*\s*$|"
                    r"\b(?:growth|grow\w*|flux\w*|rate|value|it|yield)\s+now\b",
                    re.IGNORECASE)  # "what's the growth now, and the doubling time?"


#: A follow-up that takes the previous turn's knockouts back.
_UNDO = re.compile(r"\b(undo|revert|restore|reverse)\s+(the\s+|that\s+|those\s+)?(knock-?outs?|"
                   r"deletions?|kos?|mutations?)\b|\bback\s+to\s+(the\s+)?wild[- ]?type\b|"
                   r"\bwithout\s+the\s+(knock-?outs?|deletions?)\b|"
                   # "put pgi back", "bring b4025 back" (a gene; "put oxygen back" is a nutrient)
                   r"\b(?:put|bring|add)\s+(?:the\s+)?(?:gene\s+|reaction\s+)?(?:[a-z]{3,4}\d?|b\d{4})"
                   r"(?:\s+gene)?\s+back\b|"
                   r"\brestore\s+(?:the\s+)?(?:gene\s+)?[a-z]{3}[A-Z]?\b(?!\s+(?:to|at|uptake))",
                   re.IGNORECASE)


#: "squeeze that down to 6", "now lower it to 5", "bump that up to 15": the one value the
#: previous turn set, changed.
_REVALUE = re.compile(
    r"\b(?:squeez|lower|reduc|rais|bump|drop|cut|increas|decreas|set|chang|make|put|bring|push|"
    r"mov|tighten|loosen|relax|tak|turn|dial|crank|lift)\w*\s+(?:it|that|this|the\s+(?:limit|cap|"
    r"bound|value|uptake|rate|number))\s+(?:(?:further|even|all\s+the\s+way)\s+)?(?:down|up|back)?"
    r"\s*(?:to|at)\s+(-?\d+(?:\.\d+)?)\b", re.IGNORECASE)


def _revalued(prev: Frame, text: Text) -> Frame | None:
    """The previous frame with its one stated value replaced, or None."""
    m = _REVALUE.search(text.norm)
    if m is None:
        return None
    ps, value = prev.slots, float(m.group(1))
    stated = [("carbon_uptake", ps.carbon_uptake), ("oxygen_uptake", ps.oxygen_uptake)]
    held = [name for name, v in stated if v is not None]
    if len(held) + len(ps.uptakes) + len(ps.bounds) != 1:
        return None  # no value, or several: which one "that" is is not known
    if held:
        changed = ps.set(**{held[0]: value})
    elif ps.uptakes:
        changed = ps.set(uptakes=((ps.uptakes[0][0], value),))
    else:
        rid, lo, hi = ps.bounds[0]
        changed = ps.set(bounds=((rid, value if lo is not None else lo,
                                  value if hi is not None and (lo is None or lo == hi) else hi),))
    return replace(prev, slots=changed, follow_up=True)


def _follow(prev: Frame, text: Text, cur: Frame, *, step: bool = False) -> Frame:
    ps = prev.slots
    revalued = _revalued(prev, text) if cur.slots.model is None else None
    if revalued is not None:
        return revalued
    if prev.intent == "production" and ps.product and cur.slots.model is None and re.search(
            r"\byields?\b", text.norm) and not re.search(
            rf"\b(?:of|for)\s+(?!{re.escape(ps.product)}\b)[a-z]", text.norm.split("yield")[-1]
            [:12]):  # "and what yield on glucose is that?": the same product's yield
        return replace(prev, follow_up=True)
    out = _follow_on(prev, text, cur, step=step)
    o = out.slots
    mine = [v for m, v in o.uptakes if m == o.carbon_source]
    if o.carbon_source and mine and out is not cur:  # "on acetate at 5" then "and acetate at 10?"
        out = replace(out, slots=o.set(carbon_uptake=mine[-1], uptakes=tuple(
            (m, v) for m, v in o.uptakes if m != o.carbon_source)))
        o = out.slots
    if (out is not cur or cur.follow_up) and o.carbon_source and o.carbon_uptake is None and \
            o.carbon_source != ps.carbon_source and ps.carbon_uptake and re.search(
                r"\b(?:same|that|this)\s+(?:rate|uptake|amount|limit|cap|flux)\b", text.norm):
        out = replace(out, slots=o.set(carbon_uptake=ps.carbon_uptake))  # "at the same rate"
    return out


def _follow_on(prev: Frame, text: Text, cur: Frame, *, step: bool = False) -> Frame:
    # "add a pykA knockout on top", "put pgi back"
    marked = step or bool(_FOLLOW_UP.match(text.raw) or _UNDO.search(text.raw)) or (
        cur.slots.additive and cur.slots.model is None) or (
        cur.slots.model is None and bool(_ANAPHORA.search(text.raw) or _STILL.search(text.raw)))
    bare = {k for k in cur.slots.filled() if k not in ("consumed", "query")}
    if cur.slots.model is None and not bare and len(text.tokens) <= 6:
        marked = True  # "what's the growth?" right after a knockout: of that mutant
    if cur.intent == prev.intent == "phenotypes" and cur.slots.phenotype_data is None:
        marked = True  # "propose fixes" after a phenotype comparison: for the same data
    if cur.intent != "unknown" and not marked:
        return cur  # a question of its own
    if _UNDO.search(text.raw) or (step and steps.WILD_TYPE.search(text.raw) and
                                  not cur.slots.knockouts):  # "(3) the wild type again"
        # "undo the knockout and make it anaerobic instead"
        prev = replace(prev, slots=prev.slots.set(knockouts=(), genes=(), reactions=(),
                                                   aliases=()),
                       intent="growth" if prev.intent == "knockout" else prev.intent)
        if cur.intent in ("unknown", "knockout"):
            cur = replace(cur, intent=prev.intent)
    floor_only = cur.intent == "growth" and (cur.slots.growth_floor is not None or
                                             cur.slots.floor_fraction is not None)
    if floor_only and prev.intent in ("production", "fva", "minimal_medium", "pfba"):
        cur = replace(cur, intent=prev.intent)  # "and with 50% growth required?": a floor
    ps = prev.slots
    if prev.intent == "essential" and re.search(
            r"\b(?:how\s+many|which|what)\s+(?:of\s+)?(?:those|these|them)\b[^?]{0,40}\bexchanges?\b",
            text.norm):  # "and how many of those are exchange reactions?": that subset
        return replace(prev, slots=ps.set(boundary="exchanges", target="reactions"),
                       follow_up=True)
    if cur.intent in ("fva", "flux") and prev.intent in ("flux", "fva", "production") and not (
            cur.slots.reactions or cur.slots.product) and _ANAPHORA.search(text.raw):
        # "and what's its range at 90% of optimal growth?": the same reactions' range
        named = ps.reactions or ((f"{ps.product} exchange",) if ps.product else ())
        cur = replace(cur, slots=cur.slots.set(reactions=named))
    if cur.intent == "knockout" and not cur.slots.knockouts and _ANAPHORA.search(text.raw) and (
            ps.genes or ps.reactions) and not ps.knockouts:
        # "Knock it out and tell me the growth" after "what does gene b1852 encode?"
        named = ps.genes or ps.reactions
        cur = replace(cur, slots=cur.slots.set(genes=ps.genes, reactions=ps.reactions,
                                               knockouts=named))
    if cur.intent != "unknown" and cur.intent != prev.intent:
        merged = _merge(prev.slots, cur.slots, same_intent=False)
        return replace(cur, slots=merged, follow_up=True)
    s = _bare_mentions(text, prev, cur)
    if not s.filled():
        return cur  # "thanks!" continues nothing
    merged = _merge(prev.slots, s, same_intent=True)
    return replace(prev, slots=merged, follow_up=True, notes=cur.notes,
                   confidence=max(prev.confidence, cur.confidence))


def _turn_text(turn: Turn) -> str:
    """The question plus any reply that clarified what was meant."""
    parts = [turn.question]
    for rationale, reply in human_replies(turn):
        if CLARIFY_INTENT in rationale:
            parts.append(reply)
        elif CLARIFY_ENTITY in rationale:
            parts.append(f"knock out {reply}")
    return ". ".join(p for p in parts if p.strip())


def stepwise(text: Text, whole: Frame) -> Frame:
    """A question of several steps (steps.py): the frame of its last step, which carries
    every step that asks for a result (``Frame.steps``, answered in order); what any step
    leaves unused is not understood. One step: ``whole`` as it is."""
    choice = steps.alternatives(text.raw)
    if choice is not None:
        return _alternatives(text, whole, *choice)
    parts = steps.segments(text.raw)
    if not parts:
        return whole
    prev: Frame | None = None
    asked: list[Frame] = []
    missing: list[str] = []
    for seg, asks in parts:
        t = analyse(seg)
        cur = interpret(t)
        f = cur if prev is None else follow(prev, t, cur, step=True)
        if f.intent == "unknown":  # "Three things for iJO1366:": conditions for what follows
            missing.extend(account.unresolved(t, replace(f, intent="growth")))
        else:
            missing.extend(f.unresolved)
        if asks and f.intent == "unknown" and any(getattr(f.slots, k) != getattr(
                Slots(), k) for k in _CONDITION_SLOTS if k not in ("model", "models")):
            f = replace(f, intent="growth")  # "set glucose to 5, ... growth for both steps"
        prev = f if prev is None or f.intent != "unknown" or f.slots.filled() else prev
        if asks and f.intent not in ("unknown", "help"):
            asked.append(replace(f, steps=()))
    if len(asked) < 2 or prev is None:
        return whole
    unresolved = tuple(dict.fromkeys(missing))
    return replace(asked[-1], steps=tuple(asked), unresolved=unresolved,
                   confidence=min(f.confidence for f in asked) if not unresolved else
                   account.confidence(asked[-1], unresolved))


def _alternatives(text: Text, whole: Frame, head: str, options: list[str],
                  choose: str) -> Frame:
    """Each alternative applied on its own to the conditions of the question's context."""
    context = analyse(head)
    base = interpret(context)
    base = replace(base, intent="growth") if base.intent in ("unknown", "help") else base
    missing: list[str] = list(account.unresolved(context, base))
    if base.slots.model is None:  # "What's worse for the core model: ...": named in the cue
        base = replace(base, slots=base.slots.set(model=whole.slots.model,
                                                  models=whole.slots.models))
    asked: list[Frame] = []
    for option in options:
        t = analyse(option)
        f = follow(base, t, interpret(t), step=True)
        if f.intent == "unknown":
            f = replace(f, intent="growth")
        missing.extend(f.unresolved)
        asked.append(replace(f, steps=()))
    unresolved = tuple(dict.fromkeys(missing))
    return replace(asked[-1], steps=tuple(asked), choices=tuple(options), choose=choose,
                   unresolved=unresolved, confidence=min(f.confidence for f in asked)
                   if not unresolved else account.confidence(asked[-1], unresolved))


def frame_of(thread: Thread) -> tuple[Frame, Text]:
    """The frame of the thread's current question (and the analysed text of it)."""
    prev: Frame | None = None
    frame = Frame(intent="unknown")
    text = analyse("")
    for turn in turns(thread):
        text = analyse(_turn_text(turn))
        cur = stepwise(text, interpret(text))
        frame = follow(prev, text, cur) if prev is not None and not text.empty else cur
        if frame.intent not in ("unknown", "help"):
            prev = frame
    return frame, text
