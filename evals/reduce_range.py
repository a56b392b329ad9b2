"""Re-quantise a shipped int8 model's weights to 7 bits, so every x86 CPU computes the same thing.

Both shipped models were quantised by onnxruntime's ``quantize_dynamic`` with 8-bit weights
(``reduce_range=False``). On an x86 CPU without VNNI, onnxruntime multiplies u8 activations by
s8 weights with ``vpmaddubsw``, which adds two byte products into a saturating 16-bit sum: with
weights up to ±127 a pair can reach 2 × 255 × 127 = 64,770 and is clipped to 32,767. On a VNNI
CPU the same sum is kept in 32 bits. So the same answer got a slightly different vector, logit
and sometimes grade on a laptop than on a server (evals/CALIBRATION.md, "One grade on every
CPU"). onnxruntime's own advice for non-VNNI CPUs is ``reduce_range=True`` (7-bit weights).

With every weight in [-64, 64] a pair sums to at most 2 × 255 × 64 = 32,640, which fits, so the
integer products are exact on both kernel families. There are no float weights to re-quantise
from here (the cross-encoder's were never kept), so each int8 weight is halved and rounded and
its per-channel scale doubled: one more rounding of at most half a 7-bit step.

Needs the ``onnx`` package (not a runtime dependency of the app), e.g.
``pip install --target /tmp/onnxlib onnx`` and ``PYTHONPATH=/tmp/onnxlib``.

``--fixture`` writes ``tests/fixtures/int8_kernels.json``: vectors and logits of a few texts
computed with the non-VNNI kernel *emulated* (each MatMulInteger rebuilt from ONNX ops that add
byte products in pairs and clip them to 16 bits, as ``vpmaddubsw`` does). On a VNNI CPU the
emulation of the old 8-bit embedder reproduced the exemplar bank embedded on a non-VNNI CPU
(median cosine 1.00000 over 40 vectors, against 0.99072 for this CPU's own vectors), so the
emulation is the other kernel. ``tests/test_embeddings.py`` checks that this CPU's real kernels
give the fixture's numbers: the same grade on every x86 CPU.

Run: python -m evals.reduce_range interviewer/models/embedder/model.onnx
     python -m evals.reduce_range interviewer/grading/models/cross_encoder/model.onnx
     python -m evals.reduce_range --check <model.onnx>     (exit 1 if a weight is outside ±64)
     python -m evals.reduce_range --fixture tests/fixtures/int8_kernels.json
"""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import numpy as np

LIMIT = 64  # 2 × 255 × 64 = 32,640 ≤ 32,767: no 16-bit pair sum can saturate


def _weights(model) -> list[tuple[str, str, str]]:
    """(weight, scale, zero point) initializer names of every MatMulInteger's weight input."""
    inits = {i.name for i in model.graph.initializer}
    out = []
    for node in model.graph.node:
        if node.op_type != "MatMulInteger":
            continue
        weight, zero = node.input[1], node.input[3]
        if weight not in inits:
            raise SystemExit(f"{node.name}: weight input {weight!r} is not an initializer; not a dynamically quantised model")
        scale = weight.removesuffix("_quantized") + "_scale"
        if scale not in inits:
            raise SystemExit(f"{node.name}: no scale initializer {scale!r}")
        out.append((weight, scale, zero))
    return sorted(set(out))


def widest(model) -> int:
    """The largest |weight| over all MatMulInteger weights."""
    from onnx import numpy_helper

    arrays = {i.name: numpy_helper.to_array(i) for i in model.graph.initializer}
    return max(int(np.abs(arrays[w].astype(np.int32)).max()) for w, _, _ in _weights(model))


def reduce_range(model) -> int:
    """Halve every MatMulInteger weight (rounded) and double its scale, in place; return how many."""
    from onnx import numpy_helper

    by_name = {i.name: i for i in model.graph.initializer}
    done = 0
    for weight, scale, zero in _weights(model):
        w = numpy_helper.to_array(by_name[weight]).astype(np.int32)
        z = numpy_helper.to_array(by_name[zero])
        if np.any(z != 0):
            raise SystemExit(f"{weight}: non-zero weight zero point; only symmetric int8 weights are handled")
        if np.abs(w).max() <= LIMIT:
            continue  # already 7-bit
        w7 = np.clip(np.round(w / 2.0), -LIMIT, LIMIT).astype(np.int8)
        s = numpy_helper.to_array(by_name[scale]).astype(np.float32) * np.float32(2.0)
        by_name[weight].CopyFrom(numpy_helper.from_array(w7, weight))
        by_name[scale].CopyFrom(numpy_helper.from_array(s, scale))
        done += 1
    return done


def emulate_non_vnni(model):
    """A copy of ``model`` whose MatMulInteger nodes compute what onnxruntime's x86 kernel without
    VNNI computes: u8 × s8 byte products added in pairs (k even, k odd) into a 16-bit sum clipped
    to [-32768, 32767], then summed in 32 bits, minus the activation zero point × column sums."""
    import copy

    from onnx import TensorProto, helper, numpy_helper

    model = copy.deepcopy(model)
    graph = model.graph
    arrays = {i.name: numpy_helper.to_array(i) for i in graph.initializer}
    nodes, extra = [], []

    def const(name: str, value) -> str:
        extra.append(numpy_helper.from_array(np.asarray(value), name))
        return name

    for node in graph.node:
        if node.op_type != "MatMulInteger":
            nodes.append(node)
            continue
        a, b, za, zb = node.input
        p = node.output[0] + "__non_vnni"
        w = arrays[b].astype(np.int32)
        if w.shape[0] % 2 or np.any(arrays[zb]):
            raise SystemExit(f"{node.name}: odd K or a non-zero weight zero point; cannot emulate")
        end, axis, step = const(p + "_end", [w.shape[0]]), const(p + "_axis", [-1]), const(p + "_step", [2])
        nodes += [
            helper.make_node("Cast", [a], [p + "_a"], to=TensorProto.INT32),
            helper.make_node("Slice", [p + "_a", const(p + "_0", [0]), end, axis, step], [p + "_even"]),
            helper.make_node("Slice", [p + "_a", const(p + "_1", [1]), end, axis, step], [p + "_odd"]),
            helper.make_node("Unsqueeze", [p + "_even", axis], [p + "_even3"]),
            helper.make_node("Unsqueeze", [p + "_odd", axis], [p + "_odd3"]),
            helper.make_node("Mul", [p + "_even3", const(p + "_w_even", w[0::2])], [p + "_pe"]),
            helper.make_node("Mul", [p + "_odd3", const(p + "_w_odd", w[1::2])], [p + "_po"]),
            helper.make_node("Add", [p + "_pe", p + "_po"], [p + "_pair"]),
            helper.make_node("Clip", [p + "_pair", const(p + "_lo", np.int32(-32768)), const(p + "_hi", np.int32(32767))], [p + "_clipped"]),
            helper.make_node("ReduceSum", [p + "_clipped", const(p + "_k", [-2])], [p + "_raw"], keepdims=0),
            helper.make_node("Cast", [za], [p + "_za"], to=TensorProto.INT32),
            helper.make_node("Mul", [p + "_za", const(p + "_colsum", w.sum(axis=0).astype(np.int32))], [p + "_correction"]),
            helper.make_node("Sub", [p + "_raw", p + "_correction"], [node.output[0]]),
        ]
    del graph.node[:]
    graph.node.extend(nodes)
    graph.initializer.extend(extra)
    return model


FIXTURE_TEXTS = [
    "We put Redis in front of Postgres with a 5 minute TTL and invalidate on writes via CDC events.",
    "ok so honestly I'd start by asking how many deploys a day we want",
    "Canary 5% of traffic for 15 min, Argo rolls back on its own if error rate or p99 go red.",
    "I make the call as the lead and tell the team why.",
]
FIXTURE_PAIRS = [
    ("Cache Invalidation: TTL, LRU, write-through/back", FIXTURE_TEXTS[0]),
    ("Automated rollback on failure", FIXTURE_TEXTS[2]),
    ("Clarify requirements before designing", FIXTURE_TEXTS[1]),
    ("Make a decision and commit as a team", FIXTURE_TEXTS[3]),
]


def write_fixture(out: Path) -> None:
    """Vectors and logits of FIXTURE_TEXTS / FIXTURE_PAIRS from the shipped models, computed with
    the non-VNNI kernel emulated (whatever this CPU has)."""
    import tempfile

    import onnx

    from interviewer import embeddings
    from interviewer.grading import cross_encoder

    with tempfile.TemporaryDirectory() as tmp:
        emb_dir, ce_dir = Path(tmp) / "embedder", Path(tmp) / "cross_encoder"
        for src, dst in ((embeddings.MODEL_DIR, emb_dir), (cross_encoder.MODEL_DIR, ce_dir)):
            dst.mkdir()
            onnx.save(emulate_non_vnni(onnx.load(str(src / "model.onnx"))), str(dst / "model.onnx"))
        (ce_dir / "tokenizer.json").write_bytes((cross_encoder.MODEL_DIR / "tokenizer.json").read_bytes())
        vectors = embeddings.MiniLMEmbedder(model_dir=emb_dir).embed(FIXTURE_TEXTS)
        logits = cross_encoder.CrossEncoder(ce_dir).score(FIXTURE_PAIRS)
    out.write_text(json.dumps({
        "made_by": "python -m evals.reduce_range --fixture (non-VNNI kernel emulated)",
        "texts": FIXTURE_TEXTS, "vectors": [[round(float(x), 6) for x in v] for v in vectors],
        "pairs": [list(p) for p in FIXTURE_PAIRS], "logits": [round(float(x), 5) for x in logits],
    }, indent=1) + "\n", encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    import onnx

    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("model", type=Path, nargs="?")
    ap.add_argument("--check", action="store_true", help="only report the widest weight; exit 1 above ±64")
    ap.add_argument("--fixture", type=Path, help="write the emulated non-VNNI vectors and logits here")
    args = ap.parse_args(argv)
    if args.fixture:
        write_fixture(args.fixture)
        print(f"wrote {args.fixture}")
        return 0
    if args.model is None:
        ap.error("give a model.onnx (or --fixture)")
    model = onnx.load(str(args.model))
    if args.check:
        top = widest(model)
        print(f"{args.model}: widest MatMulInteger weight ±{top} ({'fits' if top <= LIMIT else 'can saturate'} 16-bit pair sums)")
        return 0 if top <= LIMIT else 1
    n = reduce_range(model)
    onnx.save(model, str(args.model))
    print(f"{args.model}: {n} weight matrices re-quantised to 7 bits; widest now ±{widest(model)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
