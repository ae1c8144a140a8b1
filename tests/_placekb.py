"""A small map for placement and ingest tests: enough siblings that placing means something."""

from __future__ import annotations

from tests.conftest import STARTER, topic_file

PLACE_KB = {
    **STARTER,
    "map/training/preferences/orpo.md": topic_file(
        "Odds Ratio Preference Optimization",
        "Folds preference alignment into supervised fine-tuning with an odds-ratio penalty.",
        aliases="[ORPO]",
    ),
    "map/training/preferences/reward-model.md": topic_file(
        "Reward Model",
        "A network trained on human rankings to score answers, used as the RLHF objective.",
    ),
    "map/training/fine-tuning/index.md": topic_file(
        "Parameter-efficient fine-tuning",
        "Adapting a pretrained model by training only a few added or selected weights.",
        aliases="[PEFT]",
    ),
    "map/training/fine-tuning/lora.md": topic_file(
        "Low-Rank Adaptation",
        "Trains small low-rank matrices added to frozen weight matrices instead of all weights.",
        aliases="[LoRA]",
    ),
    "map/training/fine-tuning/qlora.md": topic_file(
        "QLoRA",
        "Low-rank adapters trained on top of a 4-bit quantized frozen base model.",
    ),
    "map/basics/attention.md": topic_file(
        "Self-Attention",
        "Each token mixes information from every other token, weighted by learned similarity.",
    ),
    "map/basics/embeddings.md": topic_file(
        "Token Embeddings", "Vectors that represent each token id as the model's input."
    ),
    "map/inference/index.md": topic_file(
        "Inference", "Running a trained model to generate text fast and cheaply.", order="3"
    ),
    "map/inference/kv-cache.md": topic_file(
        "KV Cache",
        "Keeps the attention keys and values of earlier tokens so decoding does not recompute them.",
    ),
    "map/inference/speculative-decoding.md": topic_file(
        "Speculative Decoding",
        "A small draft model proposes several tokens that the large model verifies in one pass.",
    ),
    "map/inference/quantization.md": topic_file(
        "Quantization",
        "Stores weights in fewer bits (8, 4) to cut memory and speed up inference.",
        aliases="[quantisation]",
    ),
}
