"""/donnees/: the open-data page (licence, releases, citations, DCAT and schema.org markup), a release's
page, and its files — served with their size, their SHA-256 as ETag, and as immutable as they are."""

from django.http import FileResponse, Http404, HttpResponse, HttpResponseNotModified
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.cache import get_conditional_response
from django.views.decorators.http import require_safe

from . import citation, licence, metadata
from .models import Release
from .package import storage

CONTENT_TYPES = {"text/csv": "text/csv; charset=utf-8", "text/markdown": "text/markdown; charset=utf-8",
                 "text/plain": "text/plain; charset=utf-8", "application/x-yaml": "application/x-yaml; charset=utf-8"}


def _context(release: Release) -> dict:
    return {"release": release, "citations": citation.citations(release), "page_url": citation.release_url(release),
            "files": [{**item, "url": citation.file_url(release, item["name"])} for item in release.files]}


@require_safe
def data_page(request):
    releases = list(Release.objects.all())
    return render(request, "releases/data.html", {
        "releases": [_context(release) for release in releases],
        "licence": licence,
        "dcat": metadata.script(metadata.dcat(releases)),
        "schema_org": metadata.script(metadata.schema_org(releases)),
    })


@require_safe
def release_detail(request, version):
    if version == "latest":
        latest = Release.objects.first()
        if latest is None:
            raise Http404
        return redirect("cases:release_detail", version=latest.version)
    release = get_object_or_404(Release, version=version)
    return render(request, "releases/release_detail.html", {**_context(release), "licence": licence})


@require_safe
def release_file(request, version, name):
    if version == "latest":
        # A stable address for "the current data": a redirect, so that what is downloaded stays citable.
        latest = Release.objects.first()
        if latest is None or latest.file(name) is None:
            raise Http404
        return redirect("cases:release_file", version=latest.version, name=name)
    release = get_object_or_404(Release, version=version)
    item = release.file(name)
    if item is None:
        raise Http404
    etag = f'"{item["sha256"]}"'
    headers = {
        "ETag": etag,
        # The bytes behind this address never change (cases.releases.package.store).
        "Cache-Control": "public, max-age=31536000, immutable",
        "Link": licence.link_header(),
        "Access-Control-Allow-Origin": "*",
        "Content-Type": CONTENT_TYPES.get(item["media_type"], item["media_type"]),
    }
    not_modified = get_conditional_response(request, etag=etag)
    if isinstance(not_modified, HttpResponseNotModified):
        for key in ("ETag", "Cache-Control", "Link"):
            not_modified[key] = headers[key]
        return not_modified
    # HEAD costs nothing; GET streams from the storage, never reading the file whole into memory.
    response = HttpResponse() if request.method == "HEAD" else FileResponse(storage().open(release.path(name), "rb"))
    for key, value in headers.items():
        response[key] = value
    response["Content-Length"] = str(item["size"])
    return response
