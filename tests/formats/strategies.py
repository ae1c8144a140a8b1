"""Hypothesis strategies for random mind-map trees: unicode, quotes, <>&, very long titles,
deep chains and wide nodes."""

from __future__ import annotations

from hypothesis import strategies as st

from fomo.formats.tree import Link, Node

# Printable text without control characters or surrogates (no format can carry those).
_CHARS = st.characters(
    blacklist_categories=("Cc", "Cs", "Co", "Cn", "Zl", "Zp"), blacklist_characters="\u0085"
)
_TRICKY = st.sampled_from(['"', "'", "<", ">", "&", "&amp;", "]]>", "#", "*", "(x)", "\\n", "`"])


_CJK = st.text(st.characters(min_codepoint=0x4E00, max_codepoint=0x4FFF), min_size=1, max_size=4)


def _title() -> st.SearchStrategy[str]:
    word = st.one_of(st.text(_CHARS, min_size=1, max_size=12), _TRICKY, _CJK)
    words = st.lists(word, min_size=1, max_size=6).map(" ".join)
    long = st.text(_CHARS, min_size=150, max_size=300)
    return (
        st.one_of(words, words, words, long)
        .map(lambda t: " ".join(t.split()))
        .filter(lambda t: bool(t) and not t.endswith(")"))
    )


_ALIAS = st.one_of(
    st.text("ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-", min_size=1, max_size=6).map("A".__add__),
    st.text("abcdefghijklmnopqrstuvwxyz", min_size=1, max_size=8),  # lowercase: "attention"
    st.sampled_from(
        ["n-gram", "k-NN", "e.g.", "GPT-4o", "o1", "pre-LN", "Q&A", "C++", "self attention", "中文"]
    ),
)
# Essences with the abbreviations a sentence splitter must not cut at.
_PHRASE = st.sampled_from(
    [
        "Uses tricks, e.g. dropout.",
        "A model, i.e. a function.",
        "RNNs vs. Transformers.",
        "Shown by Vaswani et al. in 2017.",
        "One. Two!",
    ]
)
_PARAGRAPH = st.text(_CHARS, min_size=1, max_size=40).map(lambda t: " ".join(t.split()))
_URL = st.text("abcdefghijklmnopqrstuvwxyz0123456789-_", max_size=10).map(
    "https://example.org/".__add__
)


@st.composite
def nodes(draw: st.DrawFn, *, max_nodes: int = 30) -> Node:
    """A random tree; ids are unique kebab-case, relations point at other nodes."""
    shape = draw(st.sampled_from(["deep", "wide", "mixed"]))
    total = draw(st.integers(1, max_nodes))
    all_nodes: list[Node] = []
    for number in range(total):
        essence = draw(
            st.one_of(
                st.just(""), _title(), st.lists(_PHRASE, min_size=1, max_size=3).map(" ".join)
            )
        )
        paragraphs = draw(st.lists(_PARAGRAPH, max_size=3)) if essence else []
        note = "\n\n".join(p for p in paragraphs if p)  # multi-paragraph notes
        node = Node(
            title=draw(_title()),
            id=f"n{number}",
            essence=essence,
            note=note,
            aliases=draw(st.lists(_ALIAS, max_size=2, unique_by=str.lower)),
            year=draw(st.one_of(st.none(), st.integers(1950, 2030))),
            links=[Link(u) for u in draw(st.lists(_URL, max_size=1))],
        )
        if all_nodes:
            if shape == "deep" and len(all_nodes) < 13:
                parent = all_nodes[-1]
            elif shape == "wide":
                parent = all_nodes[0]
            else:
                parent = all_nodes[draw(st.integers(0, len(all_nodes) - 1))]
            parent.children.append(node)
        all_nodes.append(node)
    for node in all_nodes:
        targets = draw(st.lists(st.sampled_from([n.id for n in all_nodes]), max_size=2))
        kinds = st.sampled_from(["builds_on", "alternative_to", "related"])
        node.relations = [(draw(kinds), t) for t in dict.fromkeys(targets) if t != node.id]
    return all_nodes[0]
