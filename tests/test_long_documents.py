"""Long documents (a session transcript, a day's wire copy in one string): the rules look
only at what is around each mention, so an article reads the same at the end of a long
text as alone, and a name still resolves hundreds of mentions later. (Their speed is
measured by ``benchmarks/bench_long.py``, not here.)"""
import pytest

#: a self-contained paragraph: a person, his title, a direct and an indirect quotation
FILLER = ("آنتونیو گوترش، دبیرکل سازمان ملل متحد، در نیویورک گفت: «گفت‌وگو تنها راه است.» "
          "وی افزود که سازمان ملل آماده کمک به همه طرف‌هاست.\n\n")


def _read(nlp, text, date):
    doc = nlp.make_doc(text)
    doc._.date = date
    return nlp(doc)


def _entities(doc, offset=0):
    return [(e.start_char - offset, e.end_char - offset, e.label_, e.kb_id_) for e in doc.ents if e.start_char >= offset]


def _quotes(doc, offset=0):
    return [((q.content.start_char - offset, q.content.end_char - offset), q.speaker_kb_id, q.kind)
            for q in doc._.quotes if q.content.start_char >= offset]


def test_an_article_at_the_end_of_a_long_text_reads_as_it_does_alone(nlp, seed_text):
    alone = _read(nlp, seed_text, "2020-03-05")
    prefix = FILLER * 150  # ~4,500 words, 450 entities and 300 quotations before it
    long_doc = _read(nlp, prefix + seed_text, "2020-03-05")
    assert long_doc.text == prefix + seed_text
    assert _entities(long_doc, len(prefix)) == _entities(alone)
    assert _quotes(long_doc, len(prefix)) == _quotes(alone)
    assert len(_quotes(long_doc)) == 300 + len(_quotes(alone))
    # every repeated paragraph gets the same reading
    first = [q for q in _quotes(long_doc) if q[0][0] < len(FILLER)]
    assert [q[1] for q in first] == ["antonio_guterres", "antonio_guterres"]
    assert {q[1] for q in _quotes(long_doc) if q[0][0] < len(prefix)} == {"antonio_guterres"}


@pytest.mark.parametrize("surname", ["ظریف", "ظريف"])  # Arabic ي
def test_a_surname_resolves_to_a_full_name_far_back(nlp, surname):
    text = ("محمدجواد ظریف، وزیر امور خارجه، به نیویورک رفت.\n\n" + FILLER * 200
            + f"{surname} در پایان سفر گفت: «این سفر موفق بود.»")
    doc = _read(nlp, text, "2017-05-01")
    last = [e for e in doc.ents if e.start_char >= len(text) - 60]
    assert (last[0].text, last[0].label_, last[0].kb_id_) == (surname, "PERSON", "mohammad_javad_zarif")
    assert doc._.quotes[-1].speaker_kb_id == "mohammad_javad_zarif"


def _count_calls(monkeypatch, name):
    """Count the calls of ``EntityLinker.<name>`` (a method or a static method)."""
    from persian_diplo.entities.linker import EntityLinker

    calls = [0]
    original = getattr(EntityLinker, name)

    def counted(*args):
        calls[0] += 1
        return original(*args)

    static = isinstance(EntityLinker.__dict__[name], staticmethod)
    monkeypatch.setattr(EntityLinker, name, staticmethod(counted) if static else counted)
    return calls


def test_linking_reads_each_name_a_bounded_number_of_times(nlp, monkeypatch):
    """Resolving a surname looks at the distinct people named so far, not at every earlier
    mention: the names' words are read a few times per mention, however long the text
    (every earlier mention, read again at each mention, made a long text quadratic)."""
    calls = _count_calls(monkeypatch, "_name_norms")
    for repeats in (20, 200):
        calls[0] = 0
        doc = _read(nlp, FILLER * repeats, "2020-03-05")
        people = sum(e.label_ == "PERSON" for e in doc.ents)
        assert people >= repeats
        assert calls[0] <= 8 * len(doc.ents)


def test_a_long_document_is_read_in_pieces_with_the_same_result(seed_text):
    """The CNN tok2vec reads a document longer than ``chunk_tokens`` in overlapping
    pieces: the vectors are those of the whole document, bit for bit, so every entity and
    quotation is the same (here pieces of 40 tokens, so that a short article is cut many
    times, across ZWNJ-stripped words, «» quotes and sentence ends)."""
    import numpy

    import persian_diplo
    from persian_diplo.pipeline import ChunkedTok2Vec

    whole = persian_diplo.load(chunk_tokens=None)
    pieces = persian_diplo.load(chunk_tokens=40)
    assert not isinstance(whole.get_pipe("tok2vec"), ChunkedTok2Vec)
    assert isinstance(pieces.get_pipe("tok2vec"), ChunkedTok2Vec)
    text = seed_text + "\n\n" + FILLER * 3 + "ظريف گفت: «این سفر موفق بود.»"  # Arabic ي
    a, b = _read(whole, text, "2020-03-05"), _read(pieces, text, "2020-03-05")
    assert len(b) > 10 * 40
    assert numpy.array_equal(a.tensor, b.tensor)
    assert _entities(a) == _entities(b) and len(a.ents) > 40
    assert _quotes(a) == _quotes(b)
    # short and long documents in one batch keep their order
    short, long_ = "ظریف به تهران بازگشت.", text
    for doc, reference in zip(pieces.pipe([short, long_, short]), [short, long_, short]):
        assert doc.text == reference
        assert numpy.array_equal(doc.tensor, whole(reference).tensor)


def test_chunk_tokens_is_checked():
    import persian_diplo

    with pytest.raises(ValueError, match="chunk_tokens"):
        persian_diplo.load(chunk_tokens=0)


def test_a_repeated_title_looks_only_at_titles_that_can_match(nlp, monkeypatch):
    """«سخنگوی ائتلاف» that nothing resolves, 200 times after as many resolved titles of
    another office: each is compared with the resolved titles that open with its words,
    not with every earlier title (which made a long text quadratic)."""
    calls = _count_calls(monkeypatch, "_role_norms")
    unit = ("دبیرکل سازمان ملل متحد گفت: «آتش‌بس لازم است.»\n\n"
            "سخنگوی ائتلاف گفت: «عملیات ادامه دارد.»\n\n")
    doc = _read(nlp, unit * 200, "2020-03-05")
    roles = [e for e in doc.ents if e.label_ == "ROLE"]
    assert len(roles) >= 400 and {e.kb_id_ for e in roles if e.text.startswith("دبیرکل")} == {"antonio_guterres"}
    assert calls[0] <= 8 * len(doc.ents)
