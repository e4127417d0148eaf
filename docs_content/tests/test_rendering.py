"""The Markdown renderer: blocks replace their markers, unknown blocks are an error, and the
Markdown extensions are on."""

from types import SimpleNamespace

import pytest

from docs_content import rendering


def render_text(
    tmp_path, text, build=lambda kind, arg: f"<div data-x='{kind}:{arg}'></div>"
):
    page = tmp_path / "coba.md"
    page.write_text(text, encoding="utf-8")
    return rendering.render(SimpleNamespace(path=page), build)


def test_markers_become_blocks_and_headings_get_anchors(tmp_path):
    html, toc = render_text(
        tmp_path, "## Request\n\n{{ fields:inquiry.request }}\n\nTeks `kode`.\n"
    )
    assert "<div data-x='fields:inquiry.request'></div>" in html
    assert "<p><div" not in html
    assert '<h2 id="request">Request</h2>' in html
    assert toc == (("request", "Request"),)


def test_fenced_code_is_highlighted_and_tables_render(tmp_path):
    html, _toc = render_text(
        tmp_path, '```json\n{"rc": "00"}\n```\n\n| a | b |\n|---|---|\n| 1 | 2 |\n'
    )
    assert '<div class="codehilite">' in html
    assert "<table>" in html


def test_a_marker_inside_a_sentence_is_left_alone(tmp_path):
    html, _toc = render_text(tmp_path, "Tulis {{ fields:x }} di teks.\n")
    assert "data-x" not in html


def test_unknown_block_is_an_error(tmp_path):
    def build(kind, arg):
        raise rendering.UnknownBlock(f"{kind}:{arg}")

    with pytest.raises(rendering.UnknownBlock):
        render_text(tmp_path, "{{ tidak:ada }}\n", build)
