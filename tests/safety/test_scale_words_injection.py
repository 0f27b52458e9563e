"""Scale words and non-substantive labels come from the codebook: they reach every output as text."""

import shutil

import yaml


def test_custom_scale_words_and_dont_know_labels_are_escaped_in_the_manuscript(third_codebook_path, tmp_path):
    from imgshare.report import render_report

    shutil.copy(third_codebook_path.parent / "carers.sav", tmp_path / "carers.sav")
    doc = yaml.safe_load(third_codebook_path.read_text(encoding="utf-8"))
    doc["scales"]["never_4"].update(kind="custom", words={"positive": "<i>P</i>", "negative": "N",
                                                         "noun": "<b>xx</b>", "preposition": "*of*"},
                                    missing={8: "<script>alert(1)</script>", 9: "No answer"})
    (tmp_path / "codebook.yml").write_text(yaml.safe_dump(doc, sort_keys=False), encoding="utf-8")
    result = render_report(None, out_dir=tmp_path / "out", formats=("html",), codebook_path=tmp_path / "codebook.yml",
                           quiet=True, engine="builtin")
    html = result.outputs["html"].read_text(encoding="utf-8")
    for raw in ("<b>xx</b>", "<i>P</i>", "<script>alert(1)</script>", "<em>of</em>"):
        assert raw not in html
    assert "&lt;b&gt;xx&lt;/b&gt; *of* items answered" in html      # the caption, as text
