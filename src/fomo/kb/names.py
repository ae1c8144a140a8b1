"""Name keys: the one normalisation that makes "D.P.O.", "dpo" and "Direct preference
optimisation" meet.

A key is case-folded, accent-free, American-spelled, singular, with every separator removed;
letters of every script count ("中文" has a key of its own). The
index stores one key per id, title and alias; `where` looks terms up by the same key, and `check`
refuses two topics that share one. Written here rather than taken from a stemmer because a stemmer
folds too much ("optimizer" and "optimization" would collide) and the map needs exact, explainable
matches.
"""

from __future__ import annotations

import re
import unicodedata

_WORD = re.compile(r"[^\W_]+")  # letters and digits of any script

# British -> American spellings that appear in LLM writing, word by word.
_SPELLING = {
    "optimisation": "optimization",
    "optimisations": "optimizations",
    "optimise": "optimize",
    "optimised": "optimized",
    "optimiser": "optimizer",
    "optimisers": "optimizers",
    "optimising": "optimizing",
    "tokenisation": "tokenization",
    "tokenise": "tokenize",
    "tokeniser": "tokenizer",
    "tokenisers": "tokenizers",
    "normalisation": "normalization",
    "normalise": "normalize",
    "normalised": "normalized",
    "regularisation": "regularization",
    "quantisation": "quantization",
    "quantise": "quantize",
    "quantised": "quantized",
    "generalisation": "generalization",
    "generalise": "generalize",
    "summarisation": "summarization",
    "summarise": "summarize",
    "summariser": "summarizer",
    "visualisation": "visualization",
    "initialisation": "initialization",
    "specialisation": "specialization",
    "specialised": "specialized",
    "parallelisation": "parallelization",
    "personalisation": "personalization",
    "localisation": "localization",
    "utilisation": "utilization",
    "categorisation": "categorization",
    "organisation": "organization",
    "recognise": "recognize",
    "modelling": "modeling",
    "labelling": "labeling",
    "labelled": "labeled",
    "travelling": "traveling",
    "behaviour": "behavior",
    "behaviours": "behaviors",
    "behavioural": "behavioral",
    "colour": "color",
    "favour": "favor",
    "centre": "center",
    "catalogue": "catalog",
    "dialogue": "dialog",
    "analyse": "analyze",
    "analysed": "analyzed",
    "licence": "license",
    "defence": "defense",
    "programme": "program",
    "artefact": "artifact",
    "artefacts": "artifacts",
}

# Words whose trailing "s" is not a plural.
_KEEP_S = {"always", "bias", "alias", "gas", "news", "lens", "corpus", "status", "focus", "plus"}


def _singular(word: str) -> str:
    if len(word) <= 3 or word in _KEEP_S or word.isdigit():
        return word
    if word.endswith("ies") and len(word) > 4:
        return word[:-3] + "y"
    if word.endswith(("sses", "xes", "ches", "shes")):
        return word[:-2]
    if word.endswith("s") and not word.endswith(("ss", "us", "is", "ous")):
        return word[:-1]
    return word


def name_key(text: str) -> str:
    """The lookup key of a name: equal keys mean the same name to a reader."""
    decomposed = unicodedata.normalize("NFKD", text)
    folded = "".join(ch for ch in decomposed if not unicodedata.combining(ch)).casefold()
    words = [_singular(_SPELLING.get(word, word)) for word in _WORD.findall(folded)]
    return "".join(words)
