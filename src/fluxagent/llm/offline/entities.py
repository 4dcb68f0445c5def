"""Gene and reaction mentions of a question: ids, E. coli gene names, locus tags, lists after
"knock out", enzyme names and exchange phrases ("the acetate exchange").

A mention is the user's word; the tools link it to the model's ids. What follows a knockout
verb is a knockout; a word shaped like an id is an entity whatever precedes it.
"""

from __future__ import annotations

import re

from fluxagent.llm.offline import lexicon as lx
from fluxagent.llm.offline.text import words

_KO_TRIGGER = re.compile(r"^(knock\w*|ko|delet\w*|remov\w*|disabl\w*|(?:de|in)activat\w*|"
                         r"silenc\w*|minus|"
                         r"los(?:e|es|ing)|loss|"
                         r"disrupt\w*|block|blocking|δ|delta|kill\w*|without|lacking|mutat\w*)$")
#: What a cell "can no longer" do with an enzyme it lacks ("cannot express pgi").
_MAKE = frozenset({"make", "makes", "produce", "produces", "express", "expresses", "synthesize",
                   "synthesise", "synthesizes", "synthesises", "form", "have", "has"})
#: "switch off X", "turn off X", "shut down X"; and "X switched off".
_PHRASAL = frozenset({"switch", "switching", "turn", "turning", "shut", "shutting"})
_PHRASAL_DONE = frozenset({"switched", "turned", "shut"})
_LIST_SEP = frozenset({"and", ",", "/", "+", "&", "plus", "or"})
_SKIP = frozenset({"the", "a", "an", "of", "both", "gene", "genes", "reaction", "reactions",
                   "out", "enzyme", "enzymes", "i", "we", "you", "also", "additionally",
                   "simultaneously", "together", "single", "double", "triple"})
#: Words that follow "knock out" without naming what is knocked out.
_NOT_A_NAME = words("""
raise raising lower lowering set setting cap capping limit limiting increase decrease add adding
remove removing block blocking knock delete report give tell compute show run make switch keep
fix grow growth use allow open close then also what how hmm um uh ok okay please thanks
leaves leave gives causes results reduces lowers hurts affects kills costs hits drops does has
alone singly individually separately
list name find print rank count score check
hurt hurts lower lowers reduce reduces affect affects harm harms impair impairs most least
kill kills killed abolish abolishes stop stops prevent prevents eliminate eliminates slow slows
but yet though although
undo revert restore reverse once when whenever while after before unless until since if
come comes came turn turns seem seem test tests pass fail fails stay stays show shows look
cut cuts cutting shut shutting turn turned switched put puts got get gets been being off down away
feed feeds feeding give gives giving supply supplies supplying provide provides offer offers adds
cost costs costing causes drops leads has have would does
grown grew grows cultured cultivated fed incubated kept placed simulated modelled modeled
synthetic synthetically lethal lethality
screen scan analysis study studies simulation experiment effect effects strain strains mutant
mutants every each all any some one two three them it its this that these those in on from of
under with and then to for at by genes reactions gene reaction both everything anything
must need needs have has are is was were been can could should would will may might does did
that which who whose when where why whether such like than into onto upon over
""")
_NOT_ENTITY = words("""
fba fva pfba ko id ids dna rna lp milp glpk highs sbml bigg mmol gdw atp adp nadh nadph co2 o2
h2o nh4 pi ph ec kegg json xml csv svg png ok usa uk
hmm umm uhm okay yes yeah nope thx pls gpr gprs modelseed metacyc chebi rhea metanetx biolog
mcc memote sbo go
tca ppp emp ed etc oxphos
""")


#: Words after what they knock out ("the pgi mutant", "with PDH blocked").
_POSTFIX_KO = frozenset({"knockout", "knockouts", "deletion", "deletions", "mutant", "mutants",
                         "essential", "deficient", "null", "deleted", "knocked", "removed",
                         "disabled", "blocked", "inactivated", "deactivated", "inhibited",
                         "silenced", "gone", "missing", "absent", "defective", "nonfunctional",
                         "non-functional", "inactive"})
#: Words around a protein-style gene name ("Pgi") that make it a gene, not a capitalised word.
_PROTEIN_CONTEXT = frozenset({",", "and", "or", ":", "+", "&", "/", "?", "double", "mutant",
                              "mutants", "knockout", "knockouts", "deletion", "deleted",
                              "essential", "lethal", "(", ")"})
#: Words that make a known gene name after "of"/"with" a gene ("partners of pgi").
_GENE_TALK = frozenset({"lethal", "lethality", "synthetic", "synthetically", "essential",
                        "knockout", "knock", "delete", "deletion", "mutant", "partners",
                        "partner", "gene", "genes"})


def _entity_kind(words: tuple[str, ...], i: int, strong: bool) -> str | None:
    """'gene', 'reaction' or None for the word at ``i`` (``strong``: right after a trigger)."""
    w = words[i]
    low = w.lower()
    prev = words[i - 1].lower() if i > 0 else ""
    nxt = words[i + 1].lower() if i + 1 < len(words) else ""
    if re.match(r"^\d+\.\d+_\d+$", w) and prev in ("gene", "genes", "feature", "locus"):
        return "gene"  # a RAST/PATRIC feature id of a draft's genome: "gene 562.55864_2618"
    if w == "FBA" and any(  # "the flux through PFK and FBA": the aldolase, not the method
            j in range(len(words)) and words[j] != "FBA" and lx.reaction_like(words[j])
            and not lx.is_metabolite(words[j].lower()) and words[(i + j) // 2].lower()
            in (",", "and", "or", "&", "/", "+") for j in (i - 2, i + 2)):
        return "reaction"
    if ((low in lx.FILLER or low in _NOT_ENTITY) and not re.match(r"^[a-z]{3}[A-Z]\d?$", w)) \
            or not re.match(r"^[A-Za-z][\w-]*$", w):  # "manY" is a gene, "many" a word
        return None
    if lx.bnumber(w) or re.match(r"^(?:STM|stm)_?\d{3,5}(?:\.\d)?$", w):
        return "gene"  # E. coli b-numbers and Salmonella locus tags
    if low == "pts" and nxt != "(":
        return None  # the PTS is a system; "the glucose PTS (GLCpts)" names its reaction
    if re.fullmatch(r"[a-z]{3,}ing", w):
        return None  # "without touching anything": a gerund, not a name
    if nxt in ("locus", "loci"):
        return None  # "the STM locus tags STM1378 ...": a prefix, not an id
    if lx.known_gene_name(w) and w[0].islower() and not lx.is_metabolite(low) and (
            strong or w != low or prev in (",", "and", "or", ":", "/", "+", "&", "vs",
                                           "versus") or (
                prev == "by" and i > 1 and re.match(r"^(encoded|catalys|catalyz|controlled)",
                                                    words[i - 2].lower())) or (
                prev in ("of", "with", "for") and _GENE_TALK.intersection(
                    x.lower() for x in words)) or nxt in (
                ",", "and", "or", "/", "+", "&", "vs", "versus", "essential", "lethal", "required",
                "needed",
                "necessary", "indispensable", "mutant", "mutants", "knockout", "deletion", "null",
                "encode", "encodes", "code", "codes", "catalyse", "catalyses", "catalyze",
                "catalyzes") or (
                nxt == "(" and lx.bnumber(words[i + 2] if i + 2 < len(words) else "")) or (
                _GENE_TALK.intersection(x.lower() for x in words) and (
                    lx.known_gene_name(nxt) or lx.known_gene_name(prev)))):
        return "gene"  # "hurts most: pgi, zwf, or sdhA", "pgi (b4025)", "the pgi zwf pair"
    protein = re.match(r"^[A-Z][a-z]{2}[A-Z]?\d?$", w) is not None and \
        lx.known_gene_name(w[0].lower() + w[1:])
    if protein and ((i > 0 and prev in _PROTEIN_CONTEXT) or nxt in _PROTEIN_CONTEXT or (
            re.match(r"^[A-Z][a-z]{2}[A-Z]?\d?$", nxt) and lx.known_gene_name(
                nxt[0].lower() + nxt[1:]))):
        return "gene"  # "which knockout hurts most: Pgi, Zwf or Gnd?", "Pgi + Zwf"
    if (prev in ("reaction", "reactions") or nxt in ("reaction", "reactions")) and \
            re.search(r"[A-Z0-9_]", w) and not w.endswith("_"):  # "EX_ reactions": a prefix
        return "reaction"
    if (prev in ("gene", "genes") or nxt in ("gene", "genes")) and low not in _NOT_A_NAME and \
            re.match(r"^([a-z]{3,4}[A-Z]?\d?|[A-Za-z]+\d+[A-Za-z0-9_.]*)$", w):
        return "gene"
    if re.match(r"^[a-z]{3}[A-Z][0-9]?$", w):
        return "gene"
    if lx.reaction_like(w) and not lx.is_metabolite(low):
        return "reaction"
    if strong and re.match(r"^[a-z]{3,4}[A-Z]?\d?$", w) and not lx.is_metabolite(low) \
            and low not in _NOT_A_NAME:
        return "gene"
    if strong and i > 0 and re.match(r"^[A-Z][a-z]{2}[A-Z]?$", w):
        return "gene"  # "Pgi" (protein-style), but not a capitalised first word ("Run")
    listed = prev in (",", "and", "or", "&", "+") and i > 1 and (
        lx.gene_like(words[i - 2]) or lx.bnumber(words[i - 2]) or
        bool(re.match(r"^[a-z]{3,4}[A-Z]?\d?$", words[i - 2])))
    if strong and i > 0 and (prev == "out" or _KO_TRIGGER.match(prev) or listed) \
            and re.match(r"^[a-z][\w-]{2,}$", w) \
            and not lx.is_metabolite(low) and low not in _SKIP and low not in _NOT_A_NAME \
            and not _KO_TRIGGER.match(low):
        return "gene"  # "knock out pgi, notagene and zwf": the tool links it or names it
    return None


def _first_entity(words: tuple[str, ...], j: int, reach: int = 6) -> int | None:
    """The index of an id-like word a few descriptive words after ``j`` ("the cytochrome
    oxidase CYTBD", "the pyruvate dehydrogenase reaction (PDH)"), if ``words[j]`` is itself
    a plain word; else None."""
    if re.search(r"\d", words[j]) or not re.match(r"^[A-Za-z]+$", words[j]) or \
            lx.known_gene_name(words[j]) or words[j].lower() in _NOT_A_NAME | {
                "ignore", "ignoring", "except", "excluding", "exclude", "not", "counting"}:
        return None  # "remove zwf (b1852)": zwf is the gene, b1852 its alias
    for k in range(j + 1, min(len(words), j + 1 + reach)):
        w = words[k]
        if w == "(" and ")" in words[k + 2:k + 4]:
            continue  # the id in parentheses after its name: "(PDH)", "(reaction CS)"
        if w in (",", ".", ";", ":", "?", "(", ")") or w.lower() in _LIST_SEP:
            return None
        if lx.bnumber(w) or re.match(r"^(?:STM|stm)_?\d{3,5}", w) or (
                lx.reaction_like(w) and not lx.is_metabolite(w.lower())
                and re.search(r"[A-Z0-9]", w) and (words[j].islower() or (
                    words[k - 1].lower() == "reaction"))):  # "the PTS glucose uptake
            return k  # reaction GLCptspp": the id named after the word "reaction"
        after = words[k + 1].lower() if k + 1 < len(words) else ""
        if lx.known_gene_name(w) and (re.match(r"^[a-z]{3}[A-Z]\d?$", w) or not re.match(
                r"^[a-z]+$", after) or after in _LIST_SEP or after in ("gene", "in", "from")):
            return k  # "take out the ATP synthase subunit atpA", "the ... dehydrogenase icd"
        if not re.match(r"^[a-z][a-z0-9-]*$", w):  # "cytochrome bo3 oxidase (reaction X)"
            return None
    return None


def gene_and_reaction_mentions(masked_words: tuple[str, ...]) -> tuple[list[str], list[str],
                                                     list[tuple[str, str]], list[str]]:
    """Genes, reactions, (name, alias) pairs, and the mentions that sit where a knockout's
    target goes ("knock out X", "the X mutant") as opposed to an analysis target."""
    words = masked_words
    genes: list[str] = []
    reactions: list[str] = []
    aliases: list[tuple[str, str]] = []
    strong_at: set[int] = set()
    ko_at: set[int] = set()
    n = len(words)
    for i, w in enumerate(words):
        lw = w.lower()
        phrasal = (lw in _PHRASAL and i + 1 < n and words[i + 1].lower() in ("off", "down")) or (
            lw in ("take", "takes", "taking", "took") and i + 1 < n
            and words[i + 1].lower() == "out")  # "take out the ATP synthase subunit atpA"
        shut = lw in ("shut", "shuts") and i + 1 < n and words[i + 1].lower() not in (
            "off", "down")  # "shut the PTS glucose uptake reaction GLCptspp", "shut PGI"
        zeroed = (lw == "zero" and i + 2 < n and words[i + 1].lower() in ("the", "out") and
                  words[i + 2].lower() in ("flux", "the")) or (  # "zero the flux through ENO"
            lw in ("no", "zero") and i + 2 < n and words[i + 1].lower() == "flux" and
            words[i + 2].lower() in ("through", "in", "via"))  # "with no flux through TPI"
        carries_none = lw in ("carries", "carry", "carrying", "has", "have", "having") and \
            i > 0 and i + 2 < n and words[i + 1].lower() in ("no", "zero") and \
            words[i + 2].lower() == "flux"  # "what if TPI carries no flux"
        postfix = lw in ("knockout", "knockouts", "deletion", "deletions") and i > 0 and \
            _entity_kind(words, i - 1, True) is not None  # "the ppc knockout grown on ..."
        cannot = i >= 2 and words[i - 1].lower() == "be" and words[i - 2].lower() in (
            "can't", "cannot", "not", "never", "couldn't", "mustn't", "won't")  # "which
        # reactions can't be removed": essentiality, not a knockout of the next word
        unmade = lw in _MAKE and i > 0 and (words[i - 1].lower() in ("cannot", "can't", "never")
                                           or " ".join(x.lower() for x in words[max(0, i - 2):i])
                                           in ("no longer", "can not", "unable to", "fails to",
                                               "fail to"))  # "can no longer make PDH"
        if ((_KO_TRIGGER.match(lw) and not postfix) or lw.startswith("δ") or phrasal or zeroed
                or shut or unmade) and not cannot:
            j = i + 2 if phrasal else i + 1  # "switch off PDH", "turn off the CS reaction"
            while zeroed and j < n and words[j].lower() in ("the", "out", "flux", "through",
                                                             "of", "in"):
                j += 1
            if lw.startswith("δ") and len(w) > 1:
                strong_at.add(i)  # "Δpgi" is one token; handled below
                ko_at.add(i)
            while j < n:
                if words[j].lower() in _SKIP:
                    j += 1
                    continue
                if words[j] in ("(", ")"):
                    j += 1
                    continue
                ahead = _first_entity(words, j)
                if ahead is not None:  # "block the cytochrome oxidase CYTBD"
                    j = ahead
                strong_at.add(j)
                ko_at.add(j)
                k = j + 1
                if k + 2 < n and words[k] == "(" and words[k + 2] == ")":
                    k += 3  # "b4025 (pgi) and b1852 (zwf)": the alias sits between
                if k < n and words[k].lower() in ("gene", "genes", "reaction", "reactions"):
                    k += 1  # "the pgi gene and zwf"
                if k < n and words[k].lower() in _LIST_SEP:
                    j = k + 1
                    continue
                break
        off = lw in ("off", "down") and i > 0 and words[i - 1].lower() in _PHRASAL_DONE
        bare_off = lw == "off" and not off and i > 0 and (
            words[i - 1] == ")" or _entity_kind(words, i - 1, True) is not None) and (
            i + 1 >= n or words[i + 1].lower() not in ("the", "a", "an", "of", "from")
        )  # "(PDH) off. mu?", "with PFK off"
        if off or bare_off or carries_none or lw in _POSTFIX_KO:
            j = i - 2 if off else i - 1  # "with PDH switched off"
            while j >= 0 and words[j].lower() in _SKIP | {"is", "are", "be", "-", "s", "'s",
                                                          "complex", "enzyme", "activity",
                                                          "were", "was"}:
                j -= 1
            while j >= 0:
                opened = next((p for p in range(j - 1, max(-1, j - 9), -1) if words[p] == "("),
                              None) if words[j] == ")" else None
                if opened is not None and opened < j - 2 and opened >= 1 and _entity_kind(
                        words, opened - 1, True) is not None:
                    j = opened - 1  # "CYTBD (cytochrome oxidase bd) switched off": a gloss
                    continue
                if words[j] == ")" and j >= 3 and words[j - 2] == "(":
                    # "b3236 (mdh), b1612 (fumA) deletions": the id before its alias; but
                    # "triose-phosphate isomerase (TPI) carries no flux": the id inside
                    j -= 3 if _entity_kind(words, j - 3, True) is not None else 1
                    continue
                strong_at.add(j)
                if lw != "essential":
                    ko_at.add(j)
                if j - 1 >= 0 and words[j - 1].lower() in _LIST_SEP:
                    j -= 2
                    continue
                if j - 1 >= 0 and _entity_kind(words, j - 1, True) is not None \
                        and words[j - 1].lower() not in _SKIP:
                    j -= 1  # "pgi zwf double mutant"
                    continue
                break
    seen: set[str] = set()
    knockouts: list[str] = []
    for i, w in enumerate(words):
        word = w[1:] if w.lower().startswith("δ") and len(w) > 1 else w
        probe = (*words[:i], word, *words[i + 1:])
        kind = _entity_kind(probe, i, i in strong_at)
        if kind is None and word != w and re.match(r"^[A-Z][a-z]{2}[A-Z]?\d?$", word):
            kind = "gene"  # "ΔPgi" opening the question: the protein-style name of pgi
        if kind is None or word in seen:
            continue
        seen.add(word)
        # "gapA (b1779)": the parenthesised word names the same thing
        if i + 2 < n and words[i + 1] == "(" and words[i + 3:i + 4] == (")",):
            alias = words[i + 2]
            if _entity_kind((*words[:i + 2], alias, *words[i + 3:]), i + 2, True) == kind:
                aliases.append((word, alias))
                seen.add(alias)
        (genes if kind == "gene" else reactions).append(word)
        if i in ko_at:
            knockouts.append(word)
    _paired_aliases(words, genes, aliases, knockouts)
    return genes, reactions, aliases, knockouts


def _paired_aliases(words: tuple[str, ...], genes: list[str], aliases: list[tuple[str, str]],
                    knockouts: list[str]) -> None:
    """'the rpiA/rpiB pair (b2914 and b4090)': ids in parentheses after as many names, in
    the same order, are those names' aliases."""
    for i, w in enumerate(words):
        if w != "(" or i + 4 >= len(words) or words[i + 4] != ")" or \
                words[i + 2].lower() not in ("and", ",", "/", "&", "+"):
            continue
        ids = [words[i + 1], words[i + 3]]
        before = [x for x in words[max(0, i - 5):i] if x in genes and x not in ids]
        if len(before) == 2 and all(x in genes for x in ids) and not any(
                a in before for a, _ in aliases):
            for name, alias in zip(before, ids, strict=True):
                aliases.append((name, alias))
                genes.remove(alias)
                if alias in knockouts:
                    knockouts.remove(alias)


def enzyme_mentions(low: str) -> list[str]:
    """Enzyme names ('phosphofructokinase', 'citrate synthase') name reactions."""
    out = []
    def named(words_: list[str]) -> bool:
        """A known name ("glucose 6-phosphate") or metabolite words ("pyruvate formate")."""
        known = lx.metabolite_names()
        return " ".join(words_) in known or "-".join(words_) in known or all(
            lx.is_metabolite(w) or re.fullmatch(r"[a-z]+(?:-\d+(?:,\d+)*)+-[a-z]+", w)
            for w in words_)  # "ribose-5-phosphate isomerase": a chemical name with locants
    for m in re.finditer(r"\b((?:[a-z0-9-]+\s){0,2}[a-z0-9-]+ase)\b", low):
        parts = m.group(1).split()
        while len(parts) > 1 and (parts[0] in lx.FILLER or not named(parts[:-1])):
            parts = parts[1:]  # "through phosphofructokinase" -> the enzyme only
        phrase = " ".join(parts)  # "glucose 6-phosphate dehydrogenase" stays whole
        if phrase in ("increase", "decrease", "case", "base", "database", "phase", "release",
                      "please", "purchase", "erase", "lease", "chase", "phrase") or \
                phrase.endswith(("increase", "decrease", "database")):
            continue
        out.append(phrase)
    return out


#: A cell that "can no longer make" an enzyme lacks it: a knockout of what follows.
_CANNOT_MAKE = (r"(?:no\s+longer|cannot|can't|can\s+not|unable\s+to|fails?\s+to|never)\s+"
                r"(?:make|makes|produce|produces|express|expresses|synthesi[sz]es?|form|have|has)")
#: A knockout verb a few words before an enzyme name ("block the transaldolase reaction").
_KO_BEFORE = (r"\b(?:knock\w*(?:\s+out)?|ko|delet\w*|remov\w*|disabl\w*|(?:de|in)activat\w*|"
              r"block\w*|kill\w*|without|lacking|los(?:e|es|ing|t)|loss\s+of|"
              rf"(?:shut|switch\w*|turn\w*)\s+(?:off|down)|{_CANNOT_MAKE})"
              r"\s+(?:the\s+|both\s+(?:the\s+)?|its\s+|an?\s+)?['\"]?(?:[a-z0-9-]+\s+)?['\"]?")
_KO_AFTER = (r"(?:\s+(?:reaction|enzyme|step|activity))?(?:\s*\([^()]{1,30}\))?\s+"
             r"(?:is\s+|was\s+|being\s+|gets\s+|got\s+)?"
             r"(?:knocked\s+out|deleted|removed|disabled|(?:de|in)activated|blocked|switched\s+off|"
             r"turned\s+off|shut\s+(?:off|down)|knockout|mutant|deficient)\b")


def enzyme_knockouts(low: str, enzymes: list[str]) -> list[str]:
    """The enzyme names a knockout verb is about: "block the transaldolase reaction", "with
    citrate synthase deleted", "a fumarase knockout"."""
    return [e for e in enzymes if re.search(_KO_BEFORE + re.escape(e) + r"\b", low) or
            re.search(r"\b" + re.escape(e) + _KO_AFTER, low)]
