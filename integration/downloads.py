"""Handing out UAT evidence: only to its partner (views) or to staff (admin)."""

from django.http import HttpResponse
from django.utils.text import slugify

from integration.models import UatEvidence
from portal.lib.uploads import serve_private_file


def evidence_response(evidence: UatEvidence):
    """The evidence as an attachment; call only after checking the partner or staff."""
    name = f"uat-{evidence.uat_request.product.code}-{evidence.kind}"
    if evidence.file:
        return serve_private_file(evidence.file, download_name=name)
    response = HttpResponse(evidence.text, content_type="text/plain; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{slugify(name)}.txt"'
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response["Cache-Control"] = "private, no-store"
    return response
