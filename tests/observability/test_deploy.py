"""deploy/: the alert rules pass `promtool check rules` and their unit tests (which fail when
a threshold is changed), the dashboard is valid for Grafana's own dashboard types
(``@grafana/schema``, checked by the TypeScript compiler: grafana_types.py) and queries only
metrics fluxagent exports, and the compose file and Kubernetes manifests
refer to real commands, settings and objects."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
import typer
import yaml
from grafana_types import installed, type_errors

from fluxagent.cli import app as cli_app
from fluxagent.config import Settings
from fluxagent.observability import metrics
from fluxagent.store.memory import MemoryStore

ROOT = Path(__file__).resolve().parents[2]
DEPLOY = ROOT / "deploy"
RULES = DEPLOY / "prometheus" / "alerts.yml"
DASHBOARD = DEPLOY / "grafana" / "fluxagent.json"
#: Variables the manifests set that are not Settings fields, and who reads them.
NOT_SETTINGS = {"FLUXAGENT_LOG_LEVEL": "observability/logs.py",
                "FLUXAGENT_METRICS_PORT": "the worker (observability/process.py)"}
#: CLI commands the manifests run that another part adds (none left).
FROM_TEMPORAL_BRANCH: set[str] = set()


@pytest.fixture(scope="module")
def promtool() -> str:
    found = shutil.which("promtool")
    if found is None:
        proc = subprocess.run(["bash", str(ROOT / "scripts" / "ensure_prometheus.sh")],
                              capture_output=True, text=True)
        found = shutil.which("promtool")
        if found is None:
            pytest.fail(f"no promtool, and ensure_prometheus.sh failed: {proc.stderr[-800:]}",
                        pytrace=False)
    return found


def run(*cmd: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(cmd, capture_output=True, text=True, cwd=cwd, timeout=120)


def test_alert_rules_check_and_pass_their_unit_tests(promtool: str) -> None:
    checked = run(promtool, "check", "rules", str(RULES), cwd=RULES.parent)
    assert checked.returncode == 0 and "SUCCESS: 6 rules found" in checked.stdout, \
        checked.stdout + checked.stderr
    tested = run(promtool, "test", "rules", "alerts_test.yml", cwd=RULES.parent)
    assert tested.returncode == 0 and "SUCCESS" in tested.stdout, tested.stdout + tested.stderr


@pytest.mark.parametrize("change", [("> 900", "> 3600"), ("> 0.25", "> 0.6"),
                                    ("for: 2m", "for: 30m")])
def test_the_rule_unit_tests_catch_a_changed_rule(promtool: str, tmp_path: Path,
                                                  change: tuple[str, str]) -> None:
    text = RULES.read_text()
    assert change[0] in text
    (tmp_path / "alerts.yml").write_text(text.replace(change[0], change[1]))
    shutil.copy(RULES.parent / "alerts_test.yml", tmp_path)
    tested = run(promtool, "test", "rules", "alerts_test.yml", cwd=tmp_path)
    assert tested.returncode != 0 and "FAILED" in tested.stdout + tested.stderr


def test_prometheus_config_is_valid(promtool: str, tmp_path: Path) -> None:
    config = yaml.safe_load((DEPLOY / "prometheus" / "prometheus.yml").read_text())
    assert config["rule_files"] == ["/etc/prometheus/alerts.yml"]  # as compose mounts it
    config["rule_files"] = [str(RULES)]
    (tmp_path / "prometheus.yml").write_text(yaml.safe_dump(config))
    checked = run(promtool, "check", "config", "prometheus.yml", cwd=tmp_path)
    assert checked.returncode == 0, checked.stdout + checked.stderr
    jobs = {job["job_name"] for job in config["scrape_configs"]}
    assert jobs == {"fluxagent-server", "fluxagent-worker"}
    assert set(re.findall(r'job="([^"]+)"', RULES.read_text())) <= jobs


def exported_names() -> set[str]:
    """Every series name fluxagent exposes (counters with _total, histograms with _bucket...)."""
    names = {s.name for fam in metrics.REGISTRY.collect() for s in fam.samples}
    names |= {fam.name + suffix for fam in metrics.REGISTRY.collect() if fam.type == "counter"
              for suffix in ("_total",)}
    names |= {fam.name + suffix for fam in metrics.REGISTRY.collect()
              if fam.type == "histogram" for suffix in ("_bucket", "_count", "_sum")}
    state = metrics.StateCollector(MemoryStore(), lambda: {"active": 0, "queued": 0})
    names |= {s.name for fam in state.collect() for s in fam.samples}
    return names | {"up"}  # Prometheus's own series per target


_FUNCS = {"sum", "max", "min", "rate", "increase", "histogram_quantile", "by", "absent",
          "and", "or", "le", "clamp_min", "count", "avg"}


def metric_names(expr: str) -> set[str]:
    expr = re.sub(r"\{[^}]*\}", "", expr)  # label matchers
    expr = re.sub(r"\[[^\]]*\]", "", expr)  # ranges
    expr = re.sub(r"\bby \([^)]*\)", "", expr)  # grouping labels
    return {w for w in re.findall(r"[a-zA-Z_:][a-zA-Z0-9_:]*", expr) if w not in _FUNCS}


def dashboard_exprs(doc: dict[str, Any]) -> list[str]:
    return [t["expr"] for p in doc["panels"] for t in p.get("targets", [])]


@pytest.fixture(scope="module")
def grafana_types() -> None:
    if installed() is not None:
        proc = subprocess.run(["bash", str(ROOT / "scripts" / "ensure_npm_tools.sh")],
                              capture_output=True, text=True)
        why = installed()
        if why is not None:
            pytest.fail(f"{why}; ensure_npm_tools.sh said: {proc.stderr[-800:]}",
                        pytrace=False)


def _broken(doc: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """The dashboard with one mistake each (a misspelled field, a wrong type, a bad enum)."""
    panel, row = doc["panels"][1], doc["panels"][0]
    first = [doc["panels"][0]]
    return {
        "misspelled top-level field": {**{k: v for k, v in doc.items() if k != "refresh"},
                                       "refersh": doc["refresh"]},
        "misspelled panel field": {**doc, "panels": [*first, {**panel, "descripton": "x"}]},
        "misspelled grid field": {**doc, "panels": [*first, {**panel, "gridPos": {
            "h": 8, "width": 8, "x": 0, "y": 1}}]},
        "misspelled field option": {**doc, "panels": [*first, {**panel, "fieldConfig": {
            "defaults": {"unitt": "short"}, "overrides": []}}]},
        "wrong type: grid width": {**doc, "panels": [*first, {**panel, "gridPos": {
            **panel["gridPos"], "w": "8"}}]},
        "wrong type: schemaVersion": {**doc, "schemaVersion": "39"},
        "wrong type: row collapsed": {**doc, "panels": [{**row, "collapsed": "no"}]},
        "graphTooltip out of its enum": {**doc, "graphTooltip": 3},
    }


def test_dashboard_is_valid_for_the_grafana_schema(grafana_types: None,
                                                   tmp_path: Path) -> None:
    doc = json.loads(DASHBOARD.read_text())
    errors = type_errors({"dashboard": doc, **_broken(doc)}, tmp_path)
    assert errors.pop("dashboard") == []
    # the check bites: each mistake is a type error that names it
    for case, found in errors.items():
        assert found, f"{case}: Grafana's types accepted it"
    assert any("'\"refersh\"' does not exist in type 'Dashboard'" in e
               for e in errors["misspelled top-level field"])
    assert any("'\"descripton\"' does not exist" in e for e in errors["misspelled panel field"])
    assert any("'\"width\"' does not exist in type 'GridPos'" in e
               for e in errors["misspelled grid field"])
    assert any("not assignable to type 'number'" in e for e in errors["wrong type: grid width"])
    assert any("DashboardCursorSync" in e for e in errors["graphTooltip out of its enum"])


def test_dashboard_layout_and_queries() -> None:
    """What Grafana's types leave open: the panels fit the 24-column grid without overlapping,
    ids are unique, each query (plugin-defined in the schema) has its refId and queries the
    Prometheus data source variable, and the uid fits Grafana's 40 characters."""
    doc = json.loads(DASHBOARD.read_text())
    assert 1 <= len(doc["uid"]) <= 40
    panels = doc["panels"]
    assert len({p["id"] for p in panels}) == len(panels)
    cells: dict[tuple[int, int], int] = {}
    for p in panels:  # no two panels share a grid cell, and none leaves the 24 columns
        g = p["gridPos"]
        assert g["x"] + g["w"] <= 24, p["title"]
        for x in range(g["x"], g["x"] + g["w"]):
            for y in range(g["y"], g["y"] + g["h"]):
                assert (x, y) not in cells, f"{p['title']} overlaps panel {cells[(x, y)]}"
                cells[(x, y)] = p["id"]
    assert all(t.get("refId") for p in panels for t in p.get("targets", []))
    variables = {v["name"] for v in doc["templating"]["list"]}
    for p in panels:
        for ref in [p.get("datasource") or {}] + [t["datasource"] for t in p.get("targets", [])]:
            if ref:
                assert ref["type"] == "prometheus"
                assert ref["uid"].removeprefix("${").removesuffix("}") in variables


def test_dashboard_and_alerts_query_only_exported_metrics(promtool: str,
                                                          tmp_path: Path) -> None:
    exported = exported_names()
    doc = json.loads(DASHBOARD.read_text())
    exprs = dashboard_exprs(doc)
    alerts = [r["expr"] for g in yaml.safe_load(RULES.read_text())["groups"]
              for r in g["rules"]]
    for expr in exprs + alerts:
        assert metric_names(expr) and metric_names(expr) <= exported, \
            (expr, metric_names(expr) - exported)
    for needed in ("fluxagent_sessions", "fluxagent_steps_total",
                   "fluxagent_decider_seconds_bucket", "fluxagent_tool_seconds_bucket",
                   "fluxagent_tokens_total", "fluxagent_errors_total",
                   "fluxagent_requests_pending", "fluxagent_request_oldest_age_seconds",
                   "fluxagent_runs", "fluxagent_lease_takeovers_total"):
        assert any(needed in metric_names(e) for e in exprs), f"no panel shows {needed}"
    # every panel query is valid PromQL: promtool parses them as recording rules
    rules = {"groups": [{"name": "dashboard", "rules": [
        {"record": f"fluxagent:panel_{i}", "expr": e.replace("$__rate_interval", "5m")}
        for i, e in enumerate(exprs)]}]}
    (tmp_path / "panels.yml").write_text(yaml.safe_dump(rules))
    checked = run(promtool, "check", "rules", "panels.yml", cwd=tmp_path)
    assert checked.returncode == 0, checked.stdout + checked.stderr


def cli_commands() -> dict[str, set[str]]:
    """Every `fluxagent` command path (``"sessions list"``) with its option names."""
    out: dict[str, set[str]] = {}

    def walk(cmd: Any, prefix: str) -> None:
        for name, sub in getattr(cmd, "commands", {}).items():
            path = f"{prefix} {name}".strip()
            out[path] = {o for p in sub.params for o in getattr(p, "opts", [])}
            walk(sub, path)
    walk(typer.main.get_command(cli_app), "")
    return out


def check_command(argv: list[str], commands: dict[str, set[str]]) -> None:
    if argv[:2] == ["sh", "-c"]:
        for part in argv[2].split("&&"):
            check_command(part.split(">")[0].split(), commands)
        return
    assert argv[0] == "fluxagent", argv
    words = [a for a in argv[1:] if not a.startswith("-")]
    path = " ".join(words[:2]) if " ".join(words[:2]) in commands else words[0]
    if path in FROM_TEMPORAL_BRANCH and path not in commands:
        return
    assert path in commands, f"no command `fluxagent {path}`"
    for opt in (a for a in argv if a.startswith("--")):
        assert opt in commands[path], f"`fluxagent {path}` has no option {opt}"


def test_compose_runs_real_commands_with_real_settings() -> None:
    compose = yaml.safe_load((DEPLOY / "compose.yaml").read_text())
    services = compose["services"]
    assert {"postgres", "temporal", "migrate", "server", "worker", "prometheus",
            "grafana"} <= set(services)
    assert services["worker"]["command"] == ["fluxagent", "worker"]
    commands = cli_commands()
    for name in ("migrate", "server", "worker"):
        check_command(services[name]["command"], commands)
    fields = {f"FLUXAGENT_{k.upper()}" for k in Settings.model_fields}
    env = {k for s in services.values() for k in (s.get("environment") or {})}
    assert "FLUXAGENT_DATABASE_URL" in env
    unknown = {k for k in env if k.startswith("FLUXAGENT_")} - fields - set(NOT_SETTINGS)
    assert not unknown, f"not settings of fluxagent: {unknown}"
    for mount in services["prometheus"]["volumes"] + services["grafana"]["volumes"] + \
            services["postgres"]["volumes"]:
        source = mount.split(":")[0]
        if source.startswith("./"):
            assert (DEPLOY / source).exists(), source


def test_kubernetes_manifests_fit_together() -> None:
    k8s = DEPLOY / "kubernetes"
    kustomization = yaml.safe_load((k8s / "kustomization.yaml").read_text())
    docs = [d for f in kustomization["resources"]
            for d in yaml.safe_load_all((k8s / f).read_text()) if d]
    assert sorted(f.name for f in k8s.glob("*.yaml") if f.name != "kustomization.yaml") == \
        sorted(kustomization["resources"])
    kinds = {(d["kind"], d["metadata"]["name"]) for d in docs}
    for d in docs:
        assert d["apiVersion"] and d["kind"] and d["metadata"]["name"]
    workloads = [d for d in docs if d["kind"] in ("Deployment", "StatefulSet", "Job")]
    assert {d["metadata"]["name"] for d in workloads} >= {
        "postgres", "temporal", "fluxagent-migrate", "fluxagent-server", "fluxagent-worker"}
    commands = cli_commands()
    fields = {f"FLUXAGENT_{k.upper()}" for k in Settings.model_fields}
    config = next(d for d in docs if d["kind"] == "ConfigMap"
                  and d["metadata"]["name"] == "fluxagent-config")
    secret = next(d for d in docs if d["kind"] == "Secret")
    named = set(config["data"]) | set(secret["stringData"])
    labels = []
    for w in workloads:
        spec = w["spec"]["template"]["spec"]
        if w["kind"] != "Job":
            assert w["spec"]["selector"]["matchLabels"].items() <= \
                w["spec"]["template"]["metadata"]["labels"].items(), w["metadata"]["name"]
            labels.append(w["spec"]["template"]["metadata"]["labels"])
        for c in spec["containers"]:
            for ref in c.get("envFrom", []):
                kind, body = next(iter(ref.items()))
                assert ({"configMapRef": "ConfigMap", "secretRef": "Secret"}[kind],
                        body["name"]) in kinds
            for var in c.get("env", []):
                src = var.get("valueFrom", {}).get("secretKeyRef")
                if src:
                    assert ("Secret", src["name"]) in kinds and src["key"] in named
                named.add(var["name"])
            if c["image"].startswith("fluxagent"):
                check_command(c["command"], commands)
        for vol in spec.get("volumes", []):
            if "configMap" in vol:
                assert ("ConfigMap", vol["configMap"]["name"]) in kinds
            if "persistentVolumeClaim" in vol:
                assert ("PersistentVolumeClaim", vol["persistentVolumeClaim"]["claimName"]) \
                    in kinds
    unknown = {k for k in named if k.startswith("FLUXAGENT_")} - fields - set(NOT_SETTINGS)
    assert not unknown, f"not settings of fluxagent: {unknown}"
    for svc in (d for d in docs if d["kind"] == "Service"):
        assert any(svc["spec"]["selector"].items() <= lab.items() for lab in labels), \
            svc["metadata"]["name"]
    worker = next(w for w in workloads if w["metadata"]["name"] == "fluxagent-worker")
    assert worker["spec"]["template"]["spec"]["containers"][0]["command"] == \
        ["fluxagent", "worker"]
