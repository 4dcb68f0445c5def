"""Biochemistry questions in plain language: ModelSEED lookups, id translations between
namespaces, and the genome files a draft model is built from.

'the KEGG id of succinate', 'BiGG pyr -> ModelSEED and KEGG', 'EC number of rxn00558',
'build a model from genome.json': the patterns read the shape of the phrase and return the
query, the ids and the target namespaces; the tools link them to the biochemistry.
"""

from __future__ import annotations

import re

from fluxagent.llm.offline import lexicon as lx

#: Words before a file that make it an annotated genome, not a model to load.
_GENOME_CUE = re.compile(r"\b(genomes?|annotat\w*|rast|features?)\b|\b(build|construct|"
                         r"reconstruct|create|make|generate|draft)\w*\b.*\bfrom\b")
_NAMESPACE = r"(modelseed|model\s?seed|seed|bigg|kegg|metacyc)"
_TRANSLATE = re.compile(
    rf"\b(?:translat|convert|map)\w*\s+(?:the\s+)?(?:(?:bigg|kegg|metacyc|modelseed)\s+)?"
    rf"(?:ids?\s+|compounds?\s+|reactions?\s+)?(?:of\s+)?(.+?)\s+(?:from\s+\w+\s+)?"
    rf"(?:to|into)\s+(?:the\s+|an?\s+|its\s+|their\s+)?{_NAMESPACE}\b", re.IGNORECASE)
_LOOKUP = re.compile(
    r"\b(?:look\s?up|search(?:\s+for)?|find)\s+(?:the\s+)?(?:modelseed\s+)?"
    r"(?:(?:compound|reaction|metabolite)s?\s+)?(?:for\s+|named\s+|called\s+|with\s+)?"
    r"[\"']?(.+?)[\"']?\s*(?:\b(?:in|from)\s+(?:the\s+)?(?:modelseed|biochemistry|database)"
    r"\b.*)?[?.!]*$", re.IGNORECASE)


def genome_files(raw: str, spans: list[tuple[int, int, str]]) -> list[str]:
    """File mentions that the words before them make a genome ("build a model from X")."""
    return [m for a, _, m in spans
            if lx.is_file(m) and _GENOME_CUE.search(raw[:a].lower())]


def translation(raw: str) -> tuple[tuple[str, ...], str | None]:
    """'translate glc__D and succ to ModelSEED' -> (('glc__D', 'succ'), 'modelseed')."""
    m = _TRANSLATE.search(raw)
    if m is None:
        return (), None
    ids = tuple(i.strip("'\"") for i in re.split(r"\s*(?:,|\band\b|\s)\s*", m.group(1).strip(" ,"))
                if i and i.lower() not in lx.FILLER - {"medium"})
    target = re.sub(r"\s", "", m.group(2).lower())
    return ids, "modelseed" if target in ("modelseed", "seed") else target


def target_namespaces(raw: str) -> tuple[str, ...]:
    """'to ModelSEED and KEGG' -> ('modelseed', 'kegg')."""
    m = re.search(rf"\b(?:to|into|in)\s+(?:the\s+)?({_NAMESPACE}(?:\s*(?:,|and|&|/|or|\+)\s*"
                  rf"{_NAMESPACE})+)", raw, re.IGNORECASE)
    if m is None:
        return ()
    out = []
    for ns in re.findall(_NAMESPACE, m.group(1), re.IGNORECASE):
        ns = re.sub(r"\s", "", ns.lower())
        out.append("modelseed" if ns in ("modelseed", "seed") else ns)
    return tuple(dict.fromkeys(out))


_ARROW = re.compile(
    rf"\b{_NAMESPACE}\s+(?:compound\s+|reaction\s+|metabolite\s+|ids?\s+)?([\w.-]+)\s*"
    rf"(?:->|→|=>|:|\bto\b|\binto\b|\bin\b)\s*(?:the\s+|its\s+|their\s+)?((?:{_NAMESPACE}[\w\s,&/]*?)+)"
    r"(?:\s+(?:compound|reaction|rxn|cpd)?\s*ids?)?\s*[?.!]*$", re.IGNORECASE)
_CORRESPONDS = re.compile(
    rf"\b(?:which|what|the)\s+(?:is\s+the\s+|are\s+the\s+)?{_NAMESPACE}\s+"
    r"(?:compound|reaction|metabolite|id)\w*(?:\(s\))?\s+(?:ids?\s+|identifiers?\s+)?"
    rf"(?:\w+\s+)?(?:corresponds?|maps?|is\s+equivalent|matches|is\s+the\s+same\s+as)\s+"
    rf"(?:to\s+|with\s+)?(?:the\s+)?{_NAMESPACE}(?:'s)?\s+(?:compound\s+|reaction\s+|id\s+)?"
    r"([\w.-]+)", re.IGNORECASE)
#: "Which KEGG compound does BiGG atp_c map to?": the target first, the id after its namespace
_MAPS_TO = re.compile(
    rf"\b(?:which|what)\s+{_NAMESPACE}\s+(?:compound|reaction|metabolite|id|entry)?\w*\s*"
    rf"(?:does|do|would|will|should)\s+(?:the\s+)?{_NAMESPACE}\s+(?:compound\s+|reaction\s+|"
    r"metabolite\s+|id\s+)?['\"]?([\w.-]+?)['\"]?\s+(?:map|correspond|translate|match|"
    r"equal|link)\w*\b", re.IGNORECASE)
#: "ModelSEED reaction for BiGG PGI", "KEGG id of the BiGG compound glc__D"
_FOR_OTHER = re.compile(
    rf"\b{_NAMESPACE}\s+(?:compound\s+|reaction\s+|metabolite\s+|cpd\s+|rxn\s+)?"
    rf"(?:(?:ids?|id\(s\)|identifiers?)\s+)?(?:for|of)\s+(?:the\s+)?{_NAMESPACE}\s+(?:compound\s+|reaction\s+|metabolite\s+|ids?\s+)?"
    r"([\w.-]+)", re.IGNORECASE)
_USES_FOR = re.compile(
    rf"\b(?:cpd|rxn|compound|reaction)\s+ids?\s+(?:does|do|is)\s+(?:the\s+)?{_NAMESPACE}\s+"
    r"(?:use|used|have|give)\s+for\s+(?:the\s+)?([^?.!]+)", re.IGNORECASE)
_ID_OF = re.compile(
    rf"\b{_NAMESPACE}\s+(?:compound\s+|reaction\s+|metabolite\s+|cpd\s+|rxn\s+)?(?:ids?|identifiers?|"
    r"numbers?|entry|entries|equivalents?)\s+(?:of|for)\s+(?:the\s+)?(?:compound\s+|"
    r"metabolite\s+|reaction\s+)?[\"']?(.+?)[\"']?\s*(?:\bin\b.*)?[?.!]*$", re.IGNORECASE)
#: "What is L-lysine called in ModelSEED", "acetyl-CoA -> ModelSEED compound id?"
_CALLED = re.compile(
    rf"\b(?:what\s+is|what's|how\s+is)\s+(?:the\s+)?(.+?)\s+(?:called|named|known\s+as)\s+in\s+"
    rf"(?:the\s+)?{_NAMESPACE}\b|^\s*(?:the\s+)?([^>]+?)\s*(?:->|→|=>)\s*{_NAMESPACE}\s*"
    r"(?:compound|reaction|metabolite|cpd|rxn)?\s*(?:ids?|identifiers?)?\s*[?.!]*$",
    re.IGNORECASE)
_EC_OF = re.compile(r"\bec\s+(?:number|numbers|class)\s+(?:of|for)\s+(?:the\s+)?(?:(?:modelseed|"
                    r"kegg|bigg|metacyc)\s+)?(?:reaction\s+)?(\w+)", re.IGNORECASE)
_WHAT_IS = re.compile(r"\b(?:name|formula|charge|equation|definition|mass)\s+of\s+"
                      r"(cpd\d{5}|rxn\d{5})|\bwhat\s+(?:is|does|are)\s+(cpd\d{5}|rxn\d{5})\b|"
                      r"\bwhich\s+(?:modelseed\s+)?(?:compound|reaction|metabolite)\s+(?:is|has)\s+"
                      r"(?:the\s+)?(?:id\s+)?[\"']?([^?\"']+?)[\"']?\s*[?.!]*$", re.IGNORECASE)
#: "ModelSEED: what is the charge of citrate, and its compound id?"
_PROPERTY_OF = re.compile(r"\b(?:name|formula|charge|mass|molecular\s+(?:mass|weight)|mw|"
                          r"inchikey|smiles|structure)\s+(?:of|does\s+(?:the\s+)?(?:model\s?seed|"
                          r"seed)\s+(?:list|give|have|report|store)\s+for)\s+(?:the\s+)?"
                          r"(?:compound\s+)?([a-z0-9][\w'+-]*(?:\s[a-z][\w-]*)?)\s*"
                          r"(?=,|\band\b|[?.!]|$)", re.IGNORECASE)
#: "cpd00023 - name, formula and charge please": the id first, then what is asked of it.
_ID_FIRST = re.compile(r"^\s*((?:cpd|rxn)\d{5})\b[\s:,-]*(?:what\s+(?:is|are)\s+its\s+)?(?:name|"
                       r"formula|charge|mass|equation|definition|ec\b)", re.IGNORECASE)
_ID_SHAPE = re.compile(r"^(?:cpd\d{5}|rxn\d{5}|C\d{5}|R\d{5}|[A-Za-z0-9]+__[A-Za-z]\w*|"
                       r"[a-z0-9]+_[a-z]\d?|[A-Z0-9]{2,}[a-z]?\d*)$")


def _ns(text: str) -> str:
    low = re.sub(r"\s", "", text.lower())
    return "modelseed" if low in ("modelseed", "seed") else low


_PRONOUN = frozenset({"it", "this", "that", "they", "them", "these", "those", "one"})


def modelseed_question(raw: str) -> tuple[str, str | None, tuple[str, ...], tuple[str, ...]]:
    """('lookup' | 'translate' | '', query, ids, target namespaces) of a biochemistry question:
    'the KEGG id of succinate', 'BiGG pyr -> ModelSEED and KEGG', 'EC number of rxn00558'.
    A pronoun ("which ModelSEED reaction is it?") stands for the id named before it."""
    kind, query, ids, wanted = _modelseed_question(raw)
    ids = tuple(i.rstrip(".,;:!?") for i in ids)  # "... the BiGG reaction PFK."
    # "cpd00363 - what compound is it, and its KEGG id?": the lookup names it and lists its
    # KEGG ids too
    own = re.search(r"\b((?:cpd|rxn)\d{5})\b", raw)
    if kind == "translate" and own and re.search(
            r"\bwhat\s+(?:compound|reaction|metabolite)\s+is\s+(?:it|this|that)\b|\bwhat\s+is\s+"
            r"(?:it|this|that)\b|\b(?:its|the)\s+name\b", raw, re.IGNORECASE):
        return "lookup", own.group(1), (), wanted
    pronoun = (query or "").lower().strip(" ?.") in _PRONOUN or (
        not kind and re.search(r"\b(?:it|this|that)\b", raw, re.IGNORECASE))
    if not pronoun:
        return kind, query, ids, wanted
    named = re.search(rf"{_NAMESPACE}\s+(?:(?:reaction|compound|metabolite|id)\s*)?['\"‘“]?"
                      r"(?!(?:reaction|compound|metabolite|id)\b)([A-Za-z0-9_.+-]+)", raw,
                      re.IGNORECASE)
    if named is None or named.group(2).lower() in _PRONOUN:
        return "", None, (), ()
    found = [_ns(x) for x in re.findall(_NAMESPACE, raw, re.IGNORECASE)]
    source = _ns(named.group(1))
    targets = tuple(dict.fromkeys(n for n in found if n != source)) or wanted
    if not targets:
        return kind, query, ids, wanted
    return "translate", None, (named.group(2),), targets


def _modelseed_question(raw: str) -> tuple[str, str | None, tuple[str, ...], tuple[str, ...]]:
    def targets(text: str, source: str | None = None) -> tuple[str, ...]:
        found = [_ns(x) for x in re.findall(_NAMESPACE, text, re.IGNORECASE)]
        return tuple(dict.fromkeys(n for n in found if n != source))

    m = _EC_OF.search(raw)
    if m:
        return "lookup", m.group(1), (), ()
    m = _CORRESPONDS.search(raw)
    if m:
        return "translate", None, (m.group(3),), (_ns(m.group(1)),)
    m = _MAPS_TO.search(raw)
    if m and _ns(m.group(1)) != _ns(m.group(2)):
        return "translate", None, (m.group(3),), (_ns(m.group(1)),)
    m = _CALLED.search(raw)
    if m:
        what = (m.group(1) or m.group(3)).strip(" '\"")
        ns = _ns(m.group(2) or m.group(4))
        given = re.match(rf"{_NAMESPACE}\s+(?:reaction|compound|metabolite|id)?\s*(\S+)$", what,
                         re.IGNORECASE)  # "BiGG reaction TPI -> ModelSEED rxn id?"
        if given:
            return "translate", None, (given.group(2),), (ns,)
        if _ID_SHAPE.match(what) and not lx.is_metabolite(what.lower()):
            return "translate", None, (what,), (ns,)
        return "lookup", what, (), (ns,)
    m = _FOR_OTHER.search(raw)
    if m and _ns(m.group(1)) != _ns(m.group(2)):  # "the ModelSEED and KEGG ids for BiGG akg"
        return "translate", None, (m.group(3),), targets(raw[:m.start(2)], _ns(m.group(2))) or (
            _ns(m.group(1)),)
    m = _ARROW.search(raw)
    if m and targets(m.group(3)):
        return "translate", None, (m.group(2),), targets(m.group(3), _ns(m.group(1)))
    explicit = re.search(r"\b((?:cpd|rxn)\d{5})(?:_[a-z]\d)?\b", raw)
    if explicit and not re.search(r"\b(?:kegg|bigg|metacyc)\b", raw, re.IGNORECASE):
        return "lookup", explicit.group(1), (), ()
    m = _USES_FOR.search(raw)
    if m:
        return "lookup", m.group(2).strip(), (), (_ns(m.group(1)),)
    m = _ID_OF.search(raw)
    if m:
        given = re.match(rf"^(?:the\s+)?{_NAMESPACE}\s+", m.group(2).strip(), re.IGNORECASE)
        what = re.sub(rf"^(?:(?:the\s+)?{_NAMESPACE}\s+)?(?:compound|reaction|metabolite|id)?\s*",
                      "", m.group(2).strip(" ,?."), flags=re.IGNORECASE) or m.group(2)
        what = re.sub(r",?\s*(?:please|pls|plz|thanks?|thx)\W*$", "", what, flags=re.IGNORECASE)
        what = re.sub(r",?\s*\band\s+(?:its|the)\s+(?:formula|charge|name|mass|structure|"
                      r"equation|ec(?:\s+number)?|kegg\s+id|aliases?)\b.*$", "", what,
                      flags=re.IGNORECASE) or what  # "the id of L-glutamate and its formula"
        what = re.sub(r"\s*\((?:[^()]*)\)\s*$", "", what) or what  # "citrate synthase (BiGG CS)"
        wanted = targets(raw[:m.end(1)], _ns(given.group(1)) if given else None) or \
            (_ns(m.group(1)),)
        if given or (_ID_SHAPE.match(what) and not lx.is_metabolite(what.lower())):
            return "translate", None, (what,), wanted
        return "lookup", what, (), wanted
    m = _WHAT_IS.search(raw) or _ID_FIRST.search(raw)
    if m:
        return "lookup", next(g for g in m.groups() if g), (), ()
    m = _PROPERTY_OF.search(raw)
    if m and re.search(r"\b(?:model\s?seed|seed)\b", raw, re.IGNORECASE) and \
            lx.is_metabolite(m.group(1).lower()):
        return "lookup", m.group(1), (), ("modelseed",)  # "the charge of citrate, and its id"
    m = re.search(r"\b(?:ec\s*(?:number\s*)?:?\s*)(\d+\.[\d-]+\.[\d-]+\.[\d-]+)", raw,
                  re.IGNORECASE)
    if m:
        return "lookup", m.group(1), (), ()
    return _id_in_other_namespace(raw)


def _own_namespace(token: str) -> str:
    return "kegg" if re.match(r"^[CR]\d{5}$", token) else \
        "modelseed" if re.match(r"^(?:cpd|rxn)\d{5}", token) else "bigg"


def _id_in_other_namespace(raw: str) -> tuple[str, str | None, tuple[str, ...], tuple[str, ...]]:
    """One id of one namespace and another namespace named ("KEGG compound C00022 - what is
    it in ModelSEED terms?"): a translation into the namespaces the id is not from."""
    named = [_ns(x) for x in re.findall(_NAMESPACE, raw, re.IGNORECASE)]
    shaped = [w for w in re.findall(r"[A-Za-z0-9_.-]+", raw)
              if re.match(r"^(?:[CR]\d{5}|(?:cpd|rxn)\d{5}(?:_[a-z]\d)?)$", w)]
    bigg = re.search(r"\bbigg\s+(?:metabolite|compound|reaction)?\s*(?:id|identifier)s?\s*(?:is\s+|"
                     r"of\s+|=\s*|:\s*)?['\"‘“]([A-Za-z0-9_]+)['\"’”]", raw, re.IGNORECASE)
    if not shaped and bigg:  # "I have the BiGG metabolite id 'akg': the ModelSEED compound?"
        shaped = [bigg.group(1)]
    if len(shaped) != 1:
        return "", None, (), ()
    targets = tuple(dict.fromkeys(n for n in named if n != _own_namespace(shaped[0])))
    return ("translate", None, (shaped[0],), targets) if targets else ("", None, (), ())


def lookup_query(raw: str) -> str | None:
    m = _LOOKUP.search(raw)
    query = re.sub(r"^(kegg|bigg|metacyc|chebi|rhea|metanetx|modelseed)\s+(id\s+)?", "",
                   m.group(1).strip(" ,"), flags=re.IGNORECASE) if m else ""
    return query or None
