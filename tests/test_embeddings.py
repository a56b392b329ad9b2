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
