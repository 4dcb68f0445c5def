"""annotate_genome: RAST functions for protein sequences, from a configured remote service.

fluxagent runs offline, so annotation is the one step that needs a service: any server that
speaks RAST's JSON-RPC ``GenomeAnnotation.run_pipeline`` (the public SEED endpoint, or a local
RASTtk). Its URL is ``FLUXAGENT_RAST_URL``; without one, or when it cannot be reached within a
few seconds, the tool fails at once with a ToolError saying what to configure (never a hang).
The annotated genome is written as JSON under the data dir for build_model_from_genome.
"""

from __future__ import annotations

import gzip
import json
import re
import uuid
from pathlib import Path
from typing import Any

import httpx
from pydantic import BaseModel, Field

from fluxagent.paths import PathPolicy
from fluxagent.tools.modelseed._common import atomic_write, versions
from fluxagent.tools.registry import REGISTRY, ToolContext
from fluxagent.tools.results import Provenance, ToolFailure, ToolResult

CONNECT_TIMEOUT_S = 5.0
STAGES = [{"name": "annotate_proteins_kmer_v2", "kmer_v2_parameters": {}},
          {"name": "annotate_proteins_similarity",
           "similarity_parameters": {"annotate_hypothetical_only": 1}}]
_AA = re.compile(r"^[A-Za-z*\-]+$")


class AnnotateArgs(BaseModel):
    genome: str = Field(..., description="Protein FASTA (.faa) or a genome JSON whose features "
                        "carry protein_translation.")
    name: str | None = Field(None, description="Name of the annotated genome file "
                             "(default: from the input file name).")


def read_proteins(path: str, max_bytes: int,
                  paths: PathPolicy | None = None) -> dict[str, str]:
    """feature id -> protein sequence, from FASTA or genome JSON (a file the path policy
    allows)."""
    p = paths.resolve(path, "genome file") if paths is not None else Path(path).expanduser()
    if not p.is_file():
        raise ToolFailure("bad_arguments", f"genome file not found: {path}",
                          hint="give a protein FASTA (.faa) or a genome JSON with "
                          "protein_translation on its features")
    if p.stat().st_size > max_bytes:
        raise ToolFailure("bad_arguments", f"{p.name} is larger than {max_bytes / 1e6:.0f} MB")
    raw = p.read_bytes()
    text = (gzip.decompress(raw) if raw[:2] == b"\x1f\x8b" else raw).decode("utf-8", "replace")
    seqs: dict[str, str] = {}
    if text.lstrip().startswith("{"):
        try:
            data = json.loads(text)
        except ValueError as exc:
            raise ToolFailure("bad_arguments", f"{p.name} is not valid JSON: {exc}") from None
        for f in data.get("features", []) if isinstance(data, dict) else []:
            if not isinstance(f, dict):
                continue
            seq = f.get("protein_translation") or f.get("seq") or ""
            if f.get("id") and seq:
                seqs[str(f["id"])] = str(seq)
    else:
        fid = None
        for line in text.splitlines():
            if line.startswith(">"):
                fid = line[1:].split()[0] if line[1:].strip() else None
                if fid:
                    seqs[fid] = ""
            elif fid and line.strip():
                seqs[fid] += line.strip()
    seqs = {k: v for k, v in seqs.items() if v and _AA.match(v)}
    if not seqs:
        raise ToolFailure("bad_arguments", f"{p.name} holds no protein sequence",
                          hint="RAST annotates protein sequences: give a .faa file or a genome "
                          "JSON with protein_translation (the example genome has none)")
    return seqs


def call_rast(url: str, proteins: dict[str, str], read_timeout: float) -> list[dict[str, Any]]:
    payload = {"method": "GenomeAnnotation.run_pipeline", "version": "1.1",
               "id": uuid.uuid4().hex,
               "params": [{"features": [{"id": k, "protein_translation": v}
                                        for k, v in proteins.items()]}, {"stages": STAGES}]}
    timeout = httpx.Timeout(read_timeout, connect=CONNECT_TIMEOUT_S)
    try:
        resp = httpx.post(url, json=payload, timeout=timeout)
    except httpx.ConnectError as exc:
        raise ToolFailure("provider_error", f"cannot reach the RAST service at {url}: {exc}",
                          hint="check FLUXAGENT_RAST_URL and the network; offline, annotate "
                          "elsewhere and pass the annotated genome to build_model_from_genome"
                          ) from None
    except httpx.TimeoutException:
        raise ToolFailure("timeout", f"the RAST service at {url} did not answer in time",
                          hint="try again later or annotate a smaller set of proteins") from None
    except httpx.HTTPError as exc:
        raise ToolFailure("provider_error", f"RAST request failed: {exc}") from None
    if resp.status_code >= 400:
        raise ToolFailure("provider_error", f"the RAST service answered HTTP "
                          f"{resp.status_code}", hint=resp.text[:300])
    try:
        body = resp.json()
    except ValueError:
        raise ToolFailure("provider_error", "the RAST service did not answer JSON",
                          hint=resp.text[:300]) from None
    if body.get("error"):
        err = body["error"]
        msg = err.get("message", str(err)) if isinstance(err, dict) else str(err)
        raise ToolFailure("provider_error", f"RAST error: {msg[:300]}")
    result = body.get("result")
    genome = result[0] if isinstance(result, list) and result else result
    feats = genome.get("features") if isinstance(genome, dict) else None
    if not isinstance(feats, list):
        raise ToolFailure("provider_error", "the RAST answer has no features",
                          hint="is FLUXAGENT_RAST_URL a GenomeAnnotation JSON-RPC endpoint?")
    return feats


@REGISTRY.tool("annotate_genome", "Annotate protein sequences with RAST functions through the "
               "configured RAST-compatible service (FLUXAGENT_RAST_URL); writes an annotated "
               "genome JSON for build_model_from_genome.", AnnotateArgs, long_running=True,
               writes=True)
def annotate_genome(args: AnnotateArgs, ctx: ToolContext) -> ToolResult:
    url = ctx.settings.rast_url.strip()
    if not url:
        raise ToolFailure("bad_arguments", "no annotation service is configured",
                          hint="set FLUXAGENT_RAST_URL to a RAST-compatible JSON-RPC endpoint "
                          "(e.g. https://tutorial.theseed.org/services/genome_annotation or a "
                          "local RASTtk), or annotate with RAST elsewhere and pass the "
                          "annotated genome JSON to build_model_from_genome")
    proteins = read_proteins(args.genome, ctx.settings.max_model_bytes, ctx.paths)
    ctx.progress(0.1, f"sending {len(proteins)} proteins to {url}")
    feats = call_rast(url, proteins, ctx.settings.tool_time_limit_s)
    out_feats = []
    for f in feats:
        fn = f.get("function") or ""
        roles = [r for r in re.split(r"; | / | @ ", fn) if r] if fn else []
        out_feats.append({"id": f.get("id"), "type": "gene", "functions": [fn] if fn else [],
                          "roles": roles})
    name = args.name or Path(args.genome).name.split(".")[0]
    name = re.sub(r"[^A-Za-z0-9_.-]+", "_", name) or "genome"
    genome = {"id": name, "features": out_feats, "source": url}
    path = Path(ctx.settings.data_dir) / "genomes" / f"{name}.annotated.json"
    atomic_write(path, json.dumps(genome, indent=1).encode())
    annotated = sum(1 for f in out_feats if f["functions"])
    return ToolResult(tool="annotate_genome",
                      summary=f"Annotated {annotated} of {len(proteins)} proteins with RAST "
                      f"functions via {url}; saved {path}. Next: build_model_from_genome("
                      f"genome='{path}').",
                      data={"path": str(path), "proteins": len(proteins),
                            "annotated": annotated, "service": url},
                      provenance=Provenance(parameters=args.model_dump(),
                                            versions={**versions(), "rast_url": url}))
