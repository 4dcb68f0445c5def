"""The presentation parts on real results: tables and CSV of a real FBA/FVA result, the
inline plot (labels escaped), and the timeline of a real gated call."""

from __future__ import annotations

import csv
import io

from fluxagent.core.events import Thread, new_event
from fluxagent.web import charts, timeline
from fluxagent.web.tables import tables

EVIL = '<script>alert(1)</script>"&'


def test_tables_and_plot_of_a_real_fba_result() -> None:
    import cobra
    model = cobra.io.load_model("textbook")
    solution = model.optimize()
    data = {"growth_rate": solution.objective_value, "fluxes": solution.fluxes.to_dict(),
            "ranges": [{"id": EVIL, "name": "=HYPERLINK(\"x\")", "minimum": -2.0,
                        "maximum": 3.0}]}
    found = {t.key: t for t in tables(data)}
    assert set(found) == {"fluxes", "ranges"}
    rows = list(csv.DictReader(io.StringIO(found["fluxes"].csv().decode())))
    assert len(rows) == len(model.reactions)
    assert float(next(r for r in rows if r["id"] == "PFK")["flux"]) == \
        solution.fluxes["PFK"]
    ranged = list(csv.DictReader(io.StringIO(found["ranges"].csv().decode())))
    assert ranged[0]["name"].startswith("'=")  # a spreadsheet does not run it
    svg = charts.plot("run_fba", data)
    assert svg is not None and str(svg).count("<rect") == charts.TOP
    drawn = charts.plot("run_fva", {"ranges": data["ranges"]})
    assert drawn is not None and "<script" not in str(drawn)
    assert "&lt;script&gt;alert(1)&lt;/script&gt;&quot;&amp;" in str(drawn)


def test_timeline_pairs_a_rejected_call_with_its_decision() -> None:
    thread = Thread("s1")
    for ev in (new_event("user_message", {"text": "fill the gaps"}),
               new_event("tool_call", {"name": "gapfill", "args": {"min_growth": 0.05}},
                         call_id="c1"),
               new_event("approval_request", {"tool": "gapfill", "args": {}}, call_id="c1"),
               new_event("approval_decision", {"decision": "reject", "comment": EVIL},
                         call_id="c1"),
               new_event("final_answer", {"answer": "no gap filling", "data": {
                   "interpretation": {"model": "e_coli_core"}, "unresolved": ["x"]}})):
        thread = thread.append(ev)
    items = timeline.items(thread)
    assert [i.kind for i in items] == ["question", "call", "approval", "answer"]
    call, approval, answer = items[1], items[2], items[3]
    assert call.result is None and call.answer is not None
    assert call.answer.data["comment"] == EVIL and approval.answer is call.answer
    assert answer.interpretation == {"model": "e_coli_core"} and answer.unresolved == ["x"]
    assert call.map_url == ""
