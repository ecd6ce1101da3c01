# A child's sex and ethnicity are stored as the CIN census codes them, instead of free
# text. What was typed is matched (case and punctuation aside) to a code; what matches
# none is kept in ``sex_unmapped`` / ``ethnicity_unmapped``, printed here, and shown on the
# child's page until someone chooses a code.

import re

from django.db import migrations, models

# Frozen here: what the free text was matched by when this was written.
SEX_WORDS = {
    "F": ("f", "female", "girl", "woman"),
    "M": ("m", "male", "boy", "man"),
    "U": ("u", "unknown", "not known", "indeterminate", "not stated", "not recorded"),
}
ETHNICITY_WORDS = {
    "WBRI": ("white british", "british", "white english", "white scottish", "white welsh"),
    "WIRI": ("white irish", "irish"),
    "WIRT": ("traveller of irish heritage", "irish traveller", "white irish traveller"),
    "WOTH": ("any other white background", "white other", "other white", "white any other"),
    "WROM": ("gypsy roma", "gypsy or roma", "gypsy", "roma", "white gypsy roma"),
    "MWBC": ("white and black caribbean", "mixed white and black caribbean"),
    "MWBA": ("white and black african", "mixed white and black african"),
    "MWAS": ("white and asian", "mixed white and asian"),
    "MOTH": ("any other mixed background", "mixed other", "other mixed", "mixed"),
    "AIND": ("indian", "asian indian", "asian or asian british indian"),
    "APKN": ("pakistani", "asian pakistani", "asian or asian british pakistani"),
    "ABAN": ("bangladeshi", "asian bangladeshi", "asian or asian british bangladeshi"),
    "AOTH": ("any other asian background", "asian other", "other asian"),
    "BCRB": ("caribbean", "black caribbean", "black or black british caribbean"),
    "BAFR": ("african", "black african", "black or black british african"),
    "BOTH": ("any other black background", "black other", "other black"),
    "CHNE": ("chinese",),
    "OOTH": ("any other ethnic group", "other ethnic group", "other"),
    "REFU": ("refused", "information refused"),
    "NOBT": ("information not yet obtained", "not yet obtained", "not obtained", "unknown"),
}


def _words(text):
    """Lower case, with anything but letters and digits as single spaces."""
    return " ".join(re.sub(r"[^a-z0-9]+", " ", text.lower()).split())


def _lookup(words_by_code):
    found = {_words(code): code for code in words_by_code}
    for code, words in words_by_code.items():
        found.update(dict.fromkeys(words, code))
    return found


SEX_CODES = _lookup(SEX_WORDS)
ETHNICITY_CODES = _lookup(ETHNICITY_WORDS)


def code_for(text, codes):
    """The code the free text means, "" for nothing typed, or None if it matches no code."""
    words = _words(text)
    if not words:
        return ""
    return codes.get(words)


def text_to_codes(apps, schema_editor):
    Child = apps.get_model("cases", "Child")
    unmapped = []
    for child in Child.objects.only("pk", "gender", "ethnicity").iterator():
        sex = code_for(child.gender, SEX_CODES)
        ethnicity = code_for(child.ethnicity, ETHNICITY_CODES)
        child.sex_unmapped = child.gender.strip() if sex is None else ""
        child.ethnicity_unmapped = child.ethnicity.strip() if ethnicity is None else ""
        child.sex = sex or ""
        child.ethnicity = ethnicity or ""
        child.save(update_fields=["sex", "sex_unmapped", "ethnicity", "ethnicity_unmapped"])
        for field, value in (("sex", child.sex_unmapped), ("ethnicity", child.ethnicity_unmapped)):
            if value:
                unmapped.append(f"  child {child.pk}: {field} {value!r}")
    if unmapped:
        print(
            f"\n  cases.0003: {len(unmapped)} recorded values match no census code; each is "
            "kept (sex_unmapped, ethnicity_unmapped) and the child's page asks for a code:"
        )
        print("\n".join(unmapped))


def codes_to_text(apps, schema_editor):
    Child = apps.get_model("cases", "Child")
    sexes = {"F": "Female", "M": "Male", "U": "Not known"}
    for child in Child.objects.iterator():
        child.gender = child.sex_unmapped or sexes.get(child.sex, "")
        child.ethnicity = child.ethnicity_unmapped or child.ethnicity
        child.save(update_fields=["gender", "ethnicity"])


class Migration(migrations.Migration):

    dependencies = [
        ("cases", "0002_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="child",
            name="sex",
            field=models.CharField(
                blank=True,
                choices=[("F", "Female"), ("M", "Male"), ("U", "Not known")],
                max_length=1,
            ),
        ),
        migrations.AddField(
            model_name="child",
            name="sex_unmapped",
            field=models.CharField(blank=True, max_length=50),
        ),
        migrations.AddField(
            model_name="child",
            name="ethnicity_unmapped",
            field=models.CharField(blank=True, max_length=100),
        ),
        migrations.RunPython(text_to_codes, codes_to_text),
        migrations.RemoveField(
            model_name="child",
            name="gender",
        ),
        migrations.AlterField(
            model_name="child",
            name="ethnicity",
            field=models.CharField(
                blank=True,
                choices=[
                    ("WBRI", "White British"),
                    ("WIRI", "White Irish"),
                    ("WIRT", "Traveller of Irish heritage"),
                    ("WOTH", "Any other White background"),
                    ("WROM", "Gypsy or Roma"),
                    ("MWBC", "White and Black Caribbean"),
                    ("MWBA", "White and Black African"),
                    ("MWAS", "White and Asian"),
                    ("MOTH", "Any other mixed background"),
                    ("AIND", "Indian"),
                    ("APKN", "Pakistani"),
                    ("ABAN", "Bangladeshi"),
                    ("AOTH", "Any other Asian background"),
                    ("BCRB", "Caribbean"),
                    ("BAFR", "African"),
                    ("BOTH", "Any other Black background"),
                    ("CHNE", "Chinese"),
                    ("OOTH", "Any other ethnic group"),
                    ("REFU", "Refused"),
                    ("NOBT", "Information not yet obtained"),
                ],
                max_length=4,
            ),
        ),
    ]
