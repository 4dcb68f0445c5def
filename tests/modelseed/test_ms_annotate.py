"""annotate_genome: clear errors offline, and a round trip through a RAST-compatible server.

The server here is a local JSON-RPC stub that speaks RAST's GenomeAnnotation.run_pipeline (like
the stub LLM servers of the agent tests): it assigns functions from a fixed table, so the test
exercises the real HTTP client, the answer parsing and the file the builder reads.
"""

from __future__ import annotations

import json
import socket
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, HTTPServer
from pathlib import Path

import pytest
from mskit import ctx, err, run

from fluxagent.config import Settings

FUNCTIONS = {"p1": "Glucose-6-phosphate isomerase (EC 5.3.1.9)",
             "p2": "Citrate synthase (si) (EC 2.3.3.1)"}


class _Rast(BaseHTTPRequestHandler):
    def do_POST(self) -> None:
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        assert body["method"] == "GenomeAnnotation.run_pipeline"
        feats = [{"id": f["id"], "protein_translation": f["protein_translation"],
                  **({"function": FUNCTIONS[f["id"]]} if f["id"] in FUNCTIONS else {})}
                 for f in body["params"][0]["features"]]
        out = json.dumps({"version": "1.1", "id": body["id"],
                          "result": [{"features": feats}]}).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(out)))
        self.end_headers()
        self.wfile.write(out)

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def rast_url() -> Iterator[str]:
    server = HTTPServer(("127.0.0.1", 0), _Rast)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}/"
    server.shutdown()


@pytest.fixture
def faa(tmp_path: Path) -> Path:
    path = tmp_path / "proteins.faa"
    path.write_text(">p1 pgi\nMKNINPTQTAAWQALQKHFDEMKDVTIADLFAKDGDRFSKFSATFDDQMLVDYSKNRITEE\n"
                    "TLAKLQDLAKEC\n>p2\nMADTKAKLTLNGDTAVELDVLKGTLGQDVIDIRTLGSKGVFTFDPGFTSTASCESKITFIDGDEG\n"
                    ">p3\nMSTKPLRVAIIGAGQIGRQHLE\n")
    return path


def test_without_a_configured_service_it_fails_fast(fresh: Settings, faa: Path) -> None:
    start = time.perf_counter()
    e = err("annotate_genome", {"genome": str(faa)}, ctx(fresh))
    assert time.perf_counter() - start < 1.0
    assert e.kind == "bad_arguments" and "FLUXAGENT_RAST_URL" in e.hint


def test_an_unreachable_service_fails_fast(fresh: Settings, faa: Path) -> None:
    with socket.socket() as sock:  # a port nobody listens on
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    s = fresh.model_copy(update={"rast_url": f"http://127.0.0.1:{port}/"})
    start = time.perf_counter()
    e = err("annotate_genome", {"genome": str(faa)}, ctx(s))
    assert time.perf_counter() - start < 10.0
    assert e.kind == "provider_error" and "cannot reach" in e.message
    assert "FLUXAGENT_RAST_URL" in e.hint and e.retryable


def test_annotation_round_trip_feeds_the_builder(fresh: Settings, faa: Path,
                                                 rast_url: str) -> None:
    s = fresh.model_copy(update={"rast_url": rast_url})
    res = run("annotate_genome", {"genome": str(faa), "name": "tiny"}, ctx(s))
    assert res.data["proteins"] == 3 and res.data["annotated"] == 2
    path = Path(res.data["path"])
    genome = json.loads(path.read_text())
    assert {f["id"]: f["functions"] for f in genome["features"]}["p1"] == [FUNCTIONS["p1"]]
    built = run("build_model_from_genome", {"genome": str(path)}, ctx(s)).data
    assert built["genes"] == 2 and built["annotated_features"] == 2


def test_inputs_without_proteins(fresh: Settings, tmp_path: Path, rast_url: str) -> None:
    s = fresh.model_copy(update={"rast_url": rast_url})
    from mskit import EXAMPLE_GENOME
    e = err("annotate_genome", {"genome": str(EXAMPLE_GENOME)}, ctx(s))
    assert e.kind == "bad_arguments" and "no protein sequence" in e.message
    e = err("annotate_genome", {"genome": str(tmp_path / "none.faa")}, ctx(s))
    assert e.kind == "bad_arguments"
