from fomo.kb.names import name_key


def test_case_punctuation_and_hyphens_do_not_matter() -> None:
    assert name_key("D.P.O.") == name_key("dpo") == name_key("DPO")
    assert name_key("in-context learning") == name_key("In Context Learning")


def test_british_spelling_and_plurals_meet_american_singular() -> None:
    assert name_key("Direct preference optimisation") == name_key("direct-preference-optimization")
    assert name_key("Large Language Models") == name_key("large language model")
    assert name_key("queries") == name_key("query")


def test_words_that_only_look_plural_are_kept() -> None:
    assert name_key("bias") == "bias"
    assert name_key("corpus") == "corpus"


def test_accents_fold_and_empty_names_give_empty_keys() -> None:
    assert name_key("Café") == "cafe"
    assert name_key("...") == ""


def test_every_script_has_keys() -> None:
    assert name_key("中文") == "中文"
    assert name_key("Tülu 3") == "tulu3"
    assert name_key("ΑΒΓ models") == "αβγmodel"
    assert name_key("Straße") == "strasse"


def test_one_id_maker_for_import_ingest_and_the_root() -> None:
    from fomo.formats.importer import make_id as import_id
    from fomo.ingest.write import base_id
    from fomo.kb.names import make_id
    from fomo.kb.records import topic_place
    from fomo.kb.validate import ID_PATTERN

    assert make_id("Café") == import_id("Café") == base_id("Café") == "cafe"
    assert topic_place("map/index.md", {"title": "Café Map"})[0] == "cafe-map"
    assert make_id("Straße") == "strasse"
    for title in ("中文", "ünïcödé-名前", "<>{}&", "Ωμέγα", "  "):
        made = make_id(title)
        assert ID_PATTERN.match(made), (title, made)
        assert made == make_id(f" {title} ")  # stable: a re-import finds it again
    assert len(make_id("word " * 40)) <= 60


def test_topic_names_and_the_name_table() -> None:
    from fomo.kb.names import name_table
    from fomo.model import Topic

    dpo = Topic("dpo", "Direct Preference Optimisation", "E.", aliases=["DPO", "D.P.O."])
    rlhf = Topic("rlhf", "RLHF", "E.", aliases=["Reinforcement learning from human feedback"])
    assert dpo.names() == [
        ("id", "dpo"),
        ("title", "Direct Preference Optimisation"),
        ("alias", "DPO"),
        ("alias", "D.P.O."),
    ]
    table = name_table([dpo, rlhf])
    assert table.exact(name_key("direct preference optimization")) == [("dpo", "title")]
    assert table.exact("dpo") == [("dpo", "id")]  # the id's claim comes first
    assert table.owner("D P O") == ("dpo", "dpo")
    assert table.owner("DPO", exclude="dpo") is None
    assert table.title("rlhf") == "RLHF"
    assert table.without(frozenset({"dpo"})).exact("dpo") == []
    assert {tid for _, tid, _ in table.names()} == {"dpo", "rlhf"}


def test_paper_titles_are_kept_apart_from_names() -> None:
    """A topic's paper title finds the topic (`citing`) but is no name of it: two topics may
    cite one paper, and no writer refuses a name because a paper has it."""
    from fomo.kb.names import name_table, record_table
    from fomo.model import Paper, Topic

    attention = Paper("Attention Is All You Need", 2017)
    transformer = Topic("transformer", "Transformer", "E.", paper=attention)
    mha = Topic("multi-head-attention", "Multi-Head Attention", "E.", paper=attention)
    dpo = Topic("dpo", "DPO", "E.", paper=Paper("Direct Preference Optimization", 2023))
    table = name_table([transformer, mha, dpo])
    assert table.citing(name_key("attention is all you need")) == [
        "transformer",
        "multi-head-attention",
    ]
    assert table.citing(name_key("Direct Preference Optimization")) == ["dpo"]
    assert table.exact(name_key("attention is all you need")) == []
    assert table.owner("Attention Is All You Need") is None
    assert table.without(frozenset({"transformer"})).citing(
        name_key("Attention Is All You Need")
    ) == ["multi-head-attention"]
    records = record_table([("t", {"title": "T", "paper": {"title": "Attention Is All You Need"}})])
    assert records.citing(name_key("Attention is all you need.")) == ["t"]
    odd = record_table([("t", {"title": "T", "paper": "A paper title as plain text"})])
    assert odd.citing(name_key("A paper title as plain text")) == []  # not a {title: ...}
