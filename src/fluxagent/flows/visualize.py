"""Pictures of a flow: Mermaid text (for docs and issues) and a standalone SVG.

The SVG uses a simple layered layout written here (no graphviz needed): a state's layer is its
breadth-first distance from the start, states in a layer sit side by side, forward edges are
straight lines and edges that go back up are curves on the right.
"""

from __future__ import annotations

from collections import deque
from html import escape

from fluxagent.flows.schema import Flow, State

NODE_H, LAYER_GAP, NODE_GAP, MARGIN, CHAR_W = 46, 92, 36, 40, 7.2
COLORS = {"tool": "#dbeafe", "decider": "#ede9fe", "human": "#fef3c7", "end": "#dcfce7"}


def _subtitle(st: State) -> str:
    if st.kind == "tool":
        return f"tool: {st.tool}"
    if st.kind == "decider":
        assert st.decider is not None
        return f"decider ({len(st.decider.tools)} tools)"
    if st.kind == "human":
        assert st.human is not None
        return f"human: {st.human.kind}"
    return "end"


def _edge_label(when: str | None, note: str) -> str:
    if note == "on error":
        return "on error"
    return when or ""


def _mm(text: str) -> str:
    return text.replace('"', "#quot;").replace("<", "#lt;").replace(">", "#gt;")


def mermaid(flow: Flow) -> str:
    """Mermaid ``flowchart`` text of the flow."""
    shapes = {"tool": ('["', '"]'), "decider": ('{{"', '"}}'), "human": ('[/"', '"/]'),
              "end": ('(["', '"])')}
    lines = ["flowchart TD", "  __start((start))"]
    for name, st in flow.states.items():
        left, right = shapes[st.kind]
        lines.append(f"  {name}{left}{_mm(name)}<br/><small>{_mm(_subtitle(st))}</small>{right}")
    lines.append(f"  __start --> {flow.start}")
    for name, st in flow.states.items():
        for e in st.edges():
            label = _edge_label(e.when, e.note)
            arrow = "-.->" if e.note == "on error" else "-->"
            lines.append(f"  {name} {arrow}|\"{_mm(label)}\"| {e.to}" if label
                         else f"  {name} {arrow} {e.to}")
    if flow.limits.on_limit:
        lines.append(f"  %% on any limit: {flow.limits.on_limit}")
    for kind, color in COLORS.items():
        lines.append(f"  classDef {kind} fill:{color},stroke:#555")
        members = [n for n, s in flow.states.items() if s.kind == kind]
        if members:
            lines.append(f"  class {','.join(members)} {kind}")
    return "\n".join(lines) + "\n"


def layers(flow: Flow) -> list[list[str]]:
    """States grouped by breadth-first distance from the start (unreachable ones last)."""
    depth: dict[str, int] = {}
    queue: deque[str] = deque()
    if flow.start in flow.states:
        depth[flow.start] = 0
        queue.append(flow.start)
    while queue:
        name = queue.popleft()
        for e in flow.states[name].edges():
            if e.to in flow.states and e.to not in depth:
                depth[e.to] = depth[name] + 1
                queue.append(e.to)
    last = max(depth.values(), default=-1) + 1
    for name in flow.states:
        depth.setdefault(name, last)
    out: list[list[str]] = [[] for _ in range(max(depth.values()) + 1)]
    for name in flow.states:  # file order within a layer
        out[depth[name]].append(name)
    return [layer for layer in out if layer]


def svg(flow: Flow) -> str:
    """A standalone SVG picture of the flow."""
    rows = layers(flow)
    size: dict[str, float] = {}
    for name, st in flow.states.items():
        size[name] = max(len(name), len(_subtitle(st))) * CHAR_W + 28
    row_w = [sum(size[n] for n in row) + NODE_GAP * (len(row) - 1) for row in rows]
    width = max(row_w, default=200) + 2 * MARGIN + 160
    height = len(rows) * (NODE_H + LAYER_GAP) + 2 * MARGIN
    pos: dict[str, tuple[float, float]] = {}
    layer_of: dict[str, int] = {}
    for i, row in enumerate(rows):
        x = (width - 160 - row_w[i]) / 2
        y = MARGIN + 30 + i * (NODE_H + LAYER_GAP)
        for name in row:
            pos[name] = (x + size[name] / 2, y + NODE_H / 2)
            layer_of[name] = i
            x += size[name] + NODE_GAP
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width:.0f}" '
             f'height="{height:.0f}" viewBox="0 0 {width:.0f} {height:.0f}" '
             'font-family="Helvetica, Arial, sans-serif">',
             '<defs><marker id="arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" '
             'markerHeight="7" orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" '
             'fill="#444"/></marker></defs>',
             '<rect width="100%" height="100%" fill="white"/>',
             f'<text x="{MARGIN}" y="{MARGIN - 10}" font-size="16" font-weight="bold">'
             f'{escape(flow.name)}</text>']
    if flow.start in pos:
        sx, sy = pos[flow.start]
        parts.append(f'<circle cx="{sx:.1f}" cy="{sy - NODE_H / 2 - 24:.1f}" r="6" '
                     'fill="#444"/>')
        parts.append(_line(sx, sy - NODE_H / 2 - 18, sx, sy - NODE_H / 2, ""))
    bend = 0
    for name, st in flow.states.items():
        x1, y1 = pos[name]
        for e in st.edges():
            if e.to not in pos:
                continue
            x2, y2 = pos[e.to]
            label = _edge_label(e.when, e.note)
            dashed = e.note == "on error"
            if layer_of[e.to] > layer_of[name]:
                parts.append(_line(x1, y1 + NODE_H / 2, x2, y2 - NODE_H / 2, label, dashed))
            elif layer_of[e.to] == layer_of[name] and e.to != name:  # side by side
                sign = 1 if x2 > x1 else -1
                parts.append(_line(x1 + sign * size[name] / 2, y1,
                                   x2 - sign * size[e.to] / 2, y2, label, dashed))
            else:  # back or sideways: a curve out to the right
                bend += 1
                right = max(x1 + size[name] / 2, x2 + size[e.to] / 2) + 30 + 14 * bend
                parts.append(_curve(x1 + size[name] / 2, y1, x2 + size[e.to] / 2, y2, right,
                                    label, dashed))
    for name, st in flow.states.items():
        parts.append(_node(name, st, *pos[name], size[name]))
    parts.append("</svg>")
    return "\n".join(parts) + "\n"


def _label(x: float, y: float, text: str) -> str:
    if not text:
        return ""
    short = text if len(text) <= 40 else text[:39] + "…"
    w = len(short) * 6 + 8
    return (f'<rect x="{x - w / 2:.1f}" y="{y - 8:.1f}" width="{w:.1f}" height="15" rx="3" '
            f'fill="white" fill-opacity="0.9"/><text x="{x:.1f}" y="{y + 3:.1f}" '
            f'font-size="10" text-anchor="middle" fill="#333">{escape(short)}</text>')


def _line(x1: float, y1: float, x2: float, y2: float, label: str, dashed: bool = False) -> str:
    dash = ' stroke-dasharray="5,4"' if dashed else ""
    return (f'<line x1="{x1:.1f}" y1="{y1:.1f}" x2="{x2:.1f}" y2="{y2:.1f}" stroke="#444" '
            f'stroke-width="1.3" marker-end="url(#arrow)"{dash}/>'
            + _label((x1 + x2) / 2, (y1 + y2) / 2, label))


def _curve(x1: float, y1: float, x2: float, y2: float, right: float, label: str,
           dashed: bool) -> str:
    dash = ' stroke-dasharray="5,4"' if dashed else ""
    return (f'<path d="M{x1:.1f},{y1:.1f} C{right:.1f},{y1:.1f} {right:.1f},{y2:.1f} '
            f'{x2:.1f},{y2:.1f}" fill="none" stroke="#444" stroke-width="1.3" '
            f'marker-end="url(#arrow)"{dash}/>'
            + _label(right - 10, (y1 + y2) / 2, label))


def _node(name: str, st: State, cx: float, cy: float, w: float) -> str:
    x, y, h, fill = cx - w / 2, cy - NODE_H / 2, NODE_H, COLORS[st.kind]
    style = f'fill="{fill}" stroke="#555" stroke-width="1.2"'
    if st.kind == "end":
        shape = f'<rect x="{x:.1f}" y="{y:.1f}" width="{w:.1f}" height="{h}" rx="{h / 2}" {style}/>'
    elif st.kind == "human":
        k = 10
        shape = (f'<polygon points="{x + k:.1f},{y:.1f} {x + w:.1f},{y:.1f} {x + w - k:.1f},'
                 f'{y + h:.1f} {x:.1f},{y + h:.1f}" {style}/>')
    elif st.kind == "decider":
        k = 12
        shape = (f'<polygon points="{x + k:.1f},{y:.1f} {x + w - k:.1f},{y:.1f} {x + w:.1f},'
                 f'{cy:.1f} {x + w - k:.1f},{y + h:.1f} {x + k:.1f},{y + h:.1f} {x:.1f},'
                 f'{cy:.1f}" {style}/>')
    else:
        shape = f'<rect x="{x:.1f}" y="{y:.1f}" width="{w:.1f}" height="{h}" rx="5" {style}/>'
    return (f'<g class="state {st.kind}" id="state-{escape(name)}">{shape}'
            f'<text x="{cx:.1f}" y="{cy - 3:.1f}" font-size="13" text-anchor="middle" '
            f'font-weight="bold">{escape(name)}</text>'
            f'<text x="{cx:.1f}" y="{cy + 13:.1f}" font-size="10" text-anchor="middle" '
            f'fill="#444">{escape(_subtitle(st))}</text></g>')
