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
