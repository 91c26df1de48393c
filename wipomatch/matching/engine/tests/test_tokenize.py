from wipomatch.matching.engine.tokenize import normalize_arabic, stem, terms, tokenize


def test_chinese_is_segmented_into_words_and_sub_words():
    found = terms("我们需要专利审查员培训")
    # jieba search mode: the compound and its dictionary parts
    assert "专利" in found
    assert "审查" in found
    assert "培训" in found
    assert "我们" not in found  # stopword


def test_chinese_tokens_keep_offsets_into_the_text():
    text = "老挝希望获得植物新品种保护培训"
    for token in tokenize(text):
        assert text[token.start : token.end] == token.surface


def test_arabic_normalisation_folds_letter_variants_and_diacritics():
    assert normalize_arabic("أإآ") == "ااا"
    assert normalize_arabic("مكتبة") == "مكتبه"  # ta marbuta -> ha
    assert normalize_arabic("مستشفى") == "مستشفي"  # alef maqsura -> ya
    assert normalize_arabic("بَرَاءَة") == "براءه"  # diacritics dropped


def test_arabic_article_and_conjunction_prefixes_are_stripped():
    assert stem("البراءات") == stem("براءات") == stem("وبراءات")
    assert stem("والتكنولوجيا") == stem("تكنولوجيا")


def test_vocalised_arabic_word_is_one_token():
    assert terms("الْبَرَاءَاتِ") == terms("البراءات")


def test_arabic_stopwords_are_dropped():
    assert terms("في من على") == []


def test_russian_inflections_conflate():
    assert stem("патентов") == stem("патенты") == stem("патентами")
    assert stem("доступных") == stem("доступные")


def test_latin_plurals_and_accents_conflate():
    assert stem("patentes") == stem("patente")
    assert stem("technologies") == stem("technology")
    assert stem("Propriété") == stem("propriete")
    assert terms("the of and for") == []


def test_surface_form_is_kept_for_explanations():
    tokens = tokenize("Patent Examiners")
    assert [t.surface for t in tokens] == ["Patent", "Examiners"]
    assert [t.term for t in tokens] == ["patent", "examiner"]


def test_mixed_scripts_in_one_text():
    found = terms("通过PCT体系申请专利")
    assert "pct" in found
    assert "专利" in found


def test_numbers_and_punctuation_are_not_terms():
    assert terms("2024, 25%; -- !!") == []
