"""The offline embedder: a text's vector is the text's own, whatever it is embedded with."""
from __future__ import annotations

import numpy as np

from interviewer.embeddings import MiniLMEmbedder

TEXTS = [
    "Consistent hashing so keys spread evenly and only a slice moves when a node joins.",
    "ok so like we had redis",
    "Replication: each shard has two replicas in other zones, promoted on failure, p99 stays under 2 ms.",
    "",
    "A much longer sentence about canary releases, five percent of traffic for fifteen minutes while "
    "we watch the error rate and p99 latency, with an automatic rollback when either goes red.",
]


def test_a_vector_does_not_depend_on_the_texts_embedded_with_it():
    # The int8 model quantises activations per input tensor: batched, a sentence's vector moved
    # with its neighbours, so one answer read differently in the app and inside `interviewer eval`.
    together = MiniLMEmbedder().embed(TEXTS)
    alone = np.stack([MiniLMEmbedder().embed([t])[0] for t in TEXTS])
    assert np.array_equal(together, alone)


def test_vectors_are_unit_length_and_similar_texts_are_closer():
    vecs = MiniLMEmbedder().embed(["cache nodes replicate data", "the cache replicates data across nodes",
                                   "we hired two designers"])
    assert vecs.shape == (3, MiniLMEmbedder.dim)
    assert np.allclose(np.linalg.norm(vecs, axis=1), 1.0, atol=1e-5)
    assert vecs[0] @ vecs[1] > vecs[0] @ vecs[2] + 0.2


def test_every_x86_cpu_reads_a_text_the_same():
    # The fixture was computed with onnxruntime's x86 kernel *without* VNNI emulated (16-bit pair
    # sums that saturate; evals/reduce_range.py). With 8-bit weights this CPU's kernel gave other
    # numbers (cosine 0.991, logits 0.15 apart on average on a VNNI CPU), so an answer could get
    # another grade on a laptop than on a server; with 7-bit weights both kernels compute the same.
    import json
    from pathlib import Path

    import pytest

    from interviewer.grading.cross_encoder import CrossEncoder
    from interviewer.onnx_runs import int8_path

    if int8_path() == "other":
        pytest.skip("ARM and other CPUs run other integer kernels; the fixture holds the x86 ones")
    ref = json.loads((Path(__file__).parent / "fixtures" / "int8_kernels.json").read_text(encoding="utf-8"))
    vectors = MiniLMEmbedder().embed(ref["texts"])
    cosines = np.sum(vectors * np.asarray(ref["vectors"], dtype=np.float32), axis=1)
    assert cosines.min() > 0.99999, cosines
    logits = CrossEncoder().score([tuple(p) for p in ref["pairs"]])
    assert np.abs(logits - np.asarray(ref["logits"])).max() < 1e-3, (logits, ref["logits"])
