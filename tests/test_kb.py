import json

import pytest

from persian_diplo import kb
from persian_diplo.entities.titles import load_titles
from persian_diplo.kb import KBError, KnowledgeBase


@pytest.fixture(scope="module")
def base():
    return kb.default()


def write(tmp_path, name, records):
    path = tmp_path / name
    path.write_text("\n".join(r if isinstance(r, str) else json.dumps(r, ensure_ascii=False) for r in records) + "\n",
                    encoding="utf-8")
    return path


def test_shipped_kb_is_valid_and_complete(base):
    assert base.warnings == []  # every reference resolves
    assert base.alias_conflicts() == {}  # every shared name is explained in ambiguity.jsonl
    by_label = {}
    for record in base:
        by_label[record["label"]] = by_label.get(record["label"], 0) + 1
    countries = [r for r in base.entities("GPE") if r.get("type") == "country"]
    assert sum(1 for c in countries if c.get("un_member")) == 193
    assert by_label["PERSON"] >= 400
    assert by_label["ORG"] >= 200
    assert by_label["EVENT"] + by_label["AGREEMENT"] >= 60
    assert all(c.get("capital") in base for c in countries if c.get("capital"))


def test_lookup_by_id_and_any_spelling(base):
    assert base.get("vladimir_putin")["name_fa"] == "ولادیمیر پوتین"
    for spelling in ["پوتین", "ولادیمير پوتين"]:
        assert [r["id"] for r in base.lookup(spelling)] == ["vladimir_putin"]
    assert [r["id"] for r in base.lookup("برجام")] == ["jcpoa"]
    assert [r["id"] for r in base.lookup("توافق هستهای")] == ["jcpoa"]
    assert [r["id"] for r in base.lookup("آمریکاییها", "NORP")] == ["united_states"]
    assert base.lookup("آژانس بین المللی انرژی اتمی")[0]["id"] == "iaea"


@pytest.mark.parametrize("role,of,date,holder", [
    ("president", "russia", "2020-03-04", "vladimir_putin"),
    ("president", "russia", "2010-01-01", "dmitry_medvedev"),
    ("prime_minister", "russia", "2010-01-01", "vladimir_putin"),
    ("president", "united_states", "2020-03-04", "donald_trump"),
    ("president", "united_states", "2017-01-20", "donald_trump"),  # handover day: the new holder
    ("president", "united_states", "2017-01-19", "barack_obama"),
    ("president", "united_states", "2022-06-01", "joe_biden"),
    ("president", "iran", "2020-03-04", "hassan_rouhani"),
    ("president", "iran", "2023-01-01", "ebrahim_raisi"),
    ("president", "turkey", "2020-03-04", "recep_tayyip_erdogan"),
    ("foreign_minister", "iran", "2016-01-01", "mohammad_javad_zarif"),
    ("director_general", "iaea", "2021-01-01", "rafael_grossi"),
    ("secretary_general", "united_nations", "2010-01-01", "ban_ki_moon"),
])
def test_office_holders_at_dates(base, role, of, date, holder):
    assert base.holder_at(role, of, date)["id"] == holder


def test_offices_of_a_person(base):
    roles = {(o.role, o.of) for o in base.offices_of("vladimir_putin", "2010-06-01")}
    # prime minister, and chairman of United Russia (2008-2012), on that day
    assert roles == {("prime_minister", "russia"), ("party_leader", "united_russia")}
    roles = {(o.role, o.of) for o in base.offices_of("vladimir_putin", "2020-06-01")}
    assert roles == {("president", "russia")}


def test_validation_errors_name_file_line_and_id(tmp_path):
    path = write(tmp_path, "mine.jsonl", [
        {"id": "good_one", "label": "PERSON", "name_fa": "یک", "name_en": "One", "aliases_fa": []},
        {"id": "Bad Id", "label": "PERSON", "name_fa": "دو", "name_en": "Two", "aliases_fa": []},
        {"id": "three", "label": "CITY", "name_fa": "سه", "name_en": "Three", "aliases_fa": []},
        "{not json",
        {"id": "good_one", "label": "PERSON", "name_fa": "چهار", "name_en": "Four", "aliases_fa": []},
        {"id": "five", "label": "PERSON", "name_fa": "پنج", "name_en": "Five", "aliases_fa": [],
         "offices": [{"role": "president", "of": "iran", "start": "2020-01-01", "end": "2019-01-01"}]},
        {"id": "six", "label": "PERSON", "name_fa": "", "name_en": "Six", "aliases_fa": [], "wikidata": "12"},
        {"id": "seven", "label": "ORG", "name_fa": "هفت", "name_en": "Seven", "aliases_fa": [],
         "governs": [{"country": "Iran", "start": "2021-8-15"}]},
    ])
    with pytest.raises(KBError) as info:
        KnowledgeBase.from_files([path])
    text = str(info.value)
    assert f"{path}:2: Bad Id: id 'Bad Id' is not a snake_case slug" in text
    assert f"{path}:3: three: label 'CITY'" in text
    assert f"{path}:4: not valid JSON" in text
    assert f"{path}:5: good_one: duplicate id (also at {path}:1)" in text
    assert f"{path}:6: five: offices[0] ends (2019-01-01) before it starts (2020-01-01)" in text
    assert f"{path}:7: six: name_fa is missing or empty" in text
    assert "wikidata '12' is not a Q-id" in text
    assert f"{path}:8: seven: governs[0].country 'Iran' is not an id" in text
    assert "governs[0].start: not an ISO 8601 date: '2021-8-15'" in text


def test_user_entities_extend_the_kb(tmp_path):
    path = write(tmp_path, "mine.jsonl", [
        {"id": "jane_roe", "label": "PERSON", "name_fa": "جین رو", "name_en": "Jane Roe", "aliases_fa": ["رو"],
         "offices": [{"role": "ambassador", "of": "iran", "to": "atlantis", "start": "2024-01-01", "end": None}]},
    ])
    mine = kb.load(path)
    assert mine.get("jane_roe")["name_en"] == "Jane Roe"
    assert "atlantis" in " ".join(mine.warnings)  # unknown reference: a warning, not an error
    assert "jane_roe" not in kb.default()
    with pytest.raises(KBError, match="duplicate id"):
        mine.add_files([path])


def test_titles_data_is_valid():
    titles = load_titles()
    roles = {role for t in titles for role in t.roles}
    assert {"president", "foreign_minister", "foreign_ministry_spokesperson", "supreme_leader",
            "secretary_general", "member_of_parliament"} <= roles


def test_a_titles_file_with_a_bad_ranked_is_a_clear_error(tmp_path):
    path = tmp_path / "titles.jsonl"
    path.write_text(json.dumps({"roles": ["president", "speaker_of_parliament"], "fa": ["رئیس"], "qualifier": "country",
                                "default_of": None, "bare": False, "ranked": "yes"}, ensure_ascii=False) + "\n",
                    encoding="utf-8")
    with pytest.raises(KBError, match=r"titles.jsonl:1: ranked must be true or false"):
        load_titles(path)
    # the package's own: only the generic «رئیس» is ranked
    assert [t.forms[0] for t in load_titles() if t.ranked] == ["رئیس"]


def test_every_office_role_is_known_to_the_data(base):
    # every role used by a title is used by some office, so titles can resolve
    used = {role for role, _ in base.roles()}
    for title in load_titles():
        assert set(title.roles) & used, title.roles


def test_offices_during_a_period(base):
    import datetime as dt

    # Iran's foreign ministers whose terms overlap Raisi's government, earliest first: Zarif's
    # last weeks, Amir-Abdollahian, and Bagheri Kani acting after the helicopter crash
    people = [o.person for o in base.offices_during("foreign_minister", "iran", dt.date(2021, 8, 3), dt.date(2024, 7, 28))]
    assert people[:2] == ["mohammad_javad_zarif", "hossein_amir_abdollahian"]
    assert "ali_bagheri_kani" in people and "abbas_araghchi" not in people
    # an open period runs to now
    assert "abbas_araghchi" in [o.person for o in base.offices_during("foreign_minister", "iran", dt.date(2025, 1, 1), None)]


def test_normal_forms_of_looked_up_strings_are_remembered_within_a_bound(monkeypatch):
    """Mentions repeat across documents, so the knowledge base keeps the normal forms of
    the strings it looked up, and starts afresh past a bound (a long run's memory stays flat)."""
    from persian_diplo.kb import base

    monkeypatch.setattr(base, "TEXT_KEYS_MAX", 3)
    kb = base.KnowledgeBase.from_dict({"records": [
        {"id": "iran", "label": "GPE", "name_fa": "ایران", "name_en": "Iran"}]})
    words = ["رئيسجمهور", "ايران", "هستهاي", "مي شود", "ايران"]
    first = [kb.normalize(w) for w in words]
    assert first == ["رئیس‌جمهور", "ایران", "هسته‌ای", "می‌شود", "ایران"]
    assert len(kb._text_keys) <= 3
    assert [kb.normalize(w) for w in words] == first
    assert [r["id"] for r in kb.lookup("ايران")] == ["iran"]
