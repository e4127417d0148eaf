import re


def checkbox(html: str, code: str) -> str:
    """The <input> tag of a product's checkbox on the Tambah Produk page."""
    match = re.search(
        rf'<input[^>]*name="products" value="{re.escape(code)}"[^>]*>', html
    )
    assert match, f"no checkbox for {code}"
    return " ".join(match.group(0).split())
