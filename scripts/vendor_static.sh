#!/usr/bin/env bash
# Vendor the front-end libraries the site uses into static/vendor/, straight
# from the npm registry, so nothing is loaded from a CDN at run time.
#
# Update = change the version (and its integrity) below, then run:
#     scripts/vendor_static.sh
# Get the integrity of a new version with:
#     npm view <pkg>@<version> dist.integrity
# Any pin can also be overridden from the environment for a one-off run, e.g.
#     LEAFLET_VERSION=1.9.5 LEAFLET_INTEGRITY= scripts/vendor_static.sh
# An empty *_INTEGRITY means "accept what the registry says" (the value used is
# printed and written to static/vendor/README.md: pin it here afterwards).
#
# Needs: bash, npm/node, tar, openssl, base64. Writes only static/vendor/;
# tarballs are packed and unpacked in a temporary directory that is removed.
set -euo pipefail

# ---- pinned versions --------------------------------------------------------
LEAFLET_VERSION="${LEAFLET_VERSION:-1.9.4}"
LEAFLET_INTEGRITY="${LEAFLET_INTEGRITY-sha512-nxS1ynzJOmOlHp+iL3FyWqK89GtNL8U8rvlMOsQdTTssxZwCXh8N2NB3GDQOL+YR3XnWyZAxwQixURb+FA74PA==}"

MARKERCLUSTER_VERSION="${MARKERCLUSTER_VERSION:-1.5.3}"
MARKERCLUSTER_INTEGRITY="${MARKERCLUSTER_INTEGRITY-sha512-vPTw/Bndq7eQHjLBVlWpnGeLa3t+3zGiuM7fJwCkiMFq+nmRuG3RI3f7f4N4TDX7T4NpbAXpR2+NTRSEGfCSeA==}"

AXE_CORE_VERSION="${AXE_CORE_VERSION:-4.14.1}"
AXE_CORE_INTEGRITY="${AXE_CORE_INTEGRITY-sha512-FHfa+lmNjQZfJz1q8wKqIDwC6DExcHt/pkjNQb09a3NPjCKg2rhu5qb2S4r76ASyFNNtuFooJpZe37OgudVGtQ==}"
# -----------------------------------------------------------------------------

REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
VENDOR_DIR="$REPO_ROOT/static/vendor"

WORK="$(mktemp -d "${TMPDIR:-/tmp}/vendor_static.XXXXXX")"
trap 'rm -rf "$WORK"' EXIT
STAGE="$WORK/stage"
mkdir -p "$STAGE"

die() { echo "vendor_static: $*" >&2; exit 1; }

for tool in npm node tar openssl base64; do
    command -v "$tool" >/dev/null 2>&1 || die "missing required tool: $tool"
done

# README rows, filled in by fetch().
README_ROWS=""

# fetch NAME VERSION PINNED_INTEGRITY: unpacks into $WORK/src/NAME/package and
# sets $src to that directory (no subshell, so README_ROWS and die() work).
fetch() {
    local name="$1" version="$2" pinned="$3"
    local spec="$name@$version"
    local registry tarball local_sri license

    registry="$(npm view "$spec" dist.integrity)"
    [ -n "$registry" ] || die "$spec: not found on the registry"

    mkdir -p "$WORK/tgz"
    tarball="$(cd "$WORK/tgz" && npm pack "$spec" --ignore-scripts --silent | tail -n 1)"
    tarball="$WORK/tgz/$tarball"
    [ -f "$tarball" ] || die "$spec: npm pack produced no tarball"

    local_sri="sha512-$(openssl dgst -sha512 -binary "$tarball" | base64 -w0)"
    [ "$local_sri" = "$registry" ] \
        || die "$spec: tarball sha512 $local_sri does not match registry $registry"
    if [ -n "$pinned" ]; then
        [ "$local_sri" = "$pinned" ] \
            || die "$spec: tarball sha512 $local_sri does not match the pinned integrity $pinned (pin is for another version?)"
    else
        echo "vendor_static: $spec: no integrity pinned; registry says $registry" >&2
    fi

    src="$WORK/src/$name"
    mkdir -p "$src"
    tar -xzf "$tarball" -C "$src" --no-same-owner
    src="$src/package"
    local pkg_version
    pkg_version="$(node -p 'require(process.argv[1]).version' "$src/package.json")"
    [ "$pkg_version" = "$version" ] || die "$spec: package.json says version $pkg_version"
    license="$(node -p 'require(process.argv[1]).license' "$src/package.json")"

    README_ROWS+="| \`$name\` | $version | $license | \`$local_sri\` |"$'\n'
}

# take SRC_FILE DEST_DIR: copy one file, failing loudly if the package lacks it.
take() {
    [ -f "$1" ] || die "expected file missing from package: $1"
    mkdir -p "$2"
    cp "$1" "$2/"
    chmod 0644 "$2/$(basename "$1")"
}

# sourcemaps SRC_DIR DEST_FILE: for a //# or /*# sourceMappingURL= comment in
# DEST_FILE, copy the referenced map from SRC_DIR (where the file came from) if
# the package ships it, else strip the comment. Django's/whitenoise's manifest
# storage fails collectstatic on a dangling reference.
sourcemaps() {
    local src_dir="$1" file="$2" ref
    while IFS= read -r ref; do
        [ -n "$ref" ] || continue
        case "$ref" in
            data:*) continue ;;
        esac
        if [ -f "$src_dir/$ref" ]; then
            take "$src_dir/$ref" "$(dirname "$file")/$(dirname "$ref")"
        else
            echo "vendor_static: $(basename "$file"): $ref not shipped, stripping the comment" >&2
            sed -i -E '/^[[:space:]]*(\/\/|\/\*)[#@][[:space:]]*sourceMappingURL=/d' "$file"
        fi
    done < <(grep -oE '[#@][[:space:]]*sourceMappingURL=[^[:space:]*]+' "$file" \
                 | sed -E 's/^[#@][[:space:]]*sourceMappingURL=//' || true)
}

# ---- leaflet ----------------------------------------------------------------
fetch leaflet "$LEAFLET_VERSION" "$LEAFLET_INTEGRITY"
dst="$STAGE/leaflet"
for f in leaflet.js leaflet.css; do
    take "$src/dist/$f" "$dst"
done
sourcemaps "$src/dist" "$dst/leaflet.js"
sourcemaps "$src/dist" "$dst/leaflet.css"
for f in "$src"/dist/images/*.png; do
    take "$f" "$dst/images"
done
for f in marker-icon.png marker-icon-2x.png marker-shadow.png layers.png layers-2x.png; do
    [ -f "$dst/images/$f" ] || die "leaflet: images/$f missing"
done
take "$src/LICENSE" "$dst"

# ---- leaflet.markercluster --------------------------------------------------
fetch leaflet.markercluster "$MARKERCLUSTER_VERSION" "$MARKERCLUSTER_INTEGRITY"
dst="$STAGE/leaflet.markercluster"
for f in leaflet.markercluster.js MarkerCluster.css MarkerCluster.Default.css; do
    take "$src/dist/$f" "$dst"
    sourcemaps "$src/dist" "$dst/$f"
done
found_license=""
for f in MIT-LICENCE.txt LICENSE LICENSE.txt LICENSE.md; do
    if [ -f "$src/$f" ]; then take "$src/$f" "$dst"; found_license=1; fi
done
[ -n "$found_license" ] || die "leaflet.markercluster: no licence file in package"

# ---- axe-core (browser tests only) ------------------------------------------
fetch axe-core "$AXE_CORE_VERSION" "$AXE_CORE_INTEGRITY"
dst="$STAGE/axe-core"
take "$src/axe.min.js" "$dst"
sourcemaps "$src" "$dst/axe.min.js"
take "$src/LICENSE" "$dst"
# axe.min.js bundles MIT-licensed third-party code; keep its notices with it.
if [ -f "$src/LICENSE-3RD-PARTY.txt" ]; then take "$src/LICENSE-3RD-PARTY.txt" "$dst"; fi

# ---- check references -------------------------------------------------------
# Every sourceMappingURL and every CSS url(...) must resolve to a vendored file.
fail=0
while IFS= read -r -d '' f; do
    dir="$(dirname "$f")"
    while IFS= read -r ref; do
        [ -n "$ref" ] || continue
        case "$ref" in data:*) continue ;; esac
        if [ ! -f "$dir/$ref" ]; then
            echo "vendor_static: ${f#"$STAGE"/}: sourceMappingURL $ref does not exist" >&2
            fail=1
        fi
    done < <(grep -oE '[#@][[:space:]]*sourceMappingURL=[^[:space:]*]+' "$f" \
                 | sed -E 's/^[#@][[:space:]]*sourceMappingURL=//' || true)
done < <(find "$STAGE" -type f \( -name '*.js' -o -name '*.css' \) -print0)

while IFS= read -r -d '' f; do
    dir="$(dirname "$f")"
    while IFS= read -r ref; do
        ref="${ref#url(}"; ref="${ref%)}"
        ref="$(printf '%s' "$ref" | sed -E "s/^[[:space:]]*['\"]?//; s/['\"]?[[:space:]]*\$//")"
        case "$ref" in
            ''|data:*|'#'*|http:*|https:*|//*|about:*) continue ;;
        esac
        path="${ref%%[?#]*}"
        if [ ! -f "$dir/$path" ]; then
            echo "vendor_static: ${f#"$STAGE"/}: url($ref) does not exist" >&2
            fail=1
        fi
    done < <(grep -oE 'url\([^)]*\)' "$f" || true)
done < <(find "$STAGE" -type f -name '*.css' -print0)
[ "$fail" = 0 ] || die "unresolved references; nothing was changed in $VENDOR_DIR"

# ---- README -----------------------------------------------------------------
cat > "$STAGE/README.md" <<EOF
# Vendored front-end libraries

Generated by \`scripts/vendor_static.sh\`; do not edit the files here by hand.
They are copied unmodified from the npm tarballs (a trailing
\`sourceMappingURL\` comment would be removed only if the package did not ship
the map file; in the versions below every map is shipped and copied).
Nothing is loaded from a CDN at run time.

| package | version | licence | npm tarball integrity (\`dist.integrity\`) |
| --- | --- | --- | --- |
${README_ROWS}
## Files

- \`leaflet/\`: \`leaflet.js\`, \`leaflet.js.map\`, \`leaflet.css\`,
  \`images/\` (\`marker-icon.png\`, \`marker-icon-2x.png\`, \`marker-shadow.png\`,
  \`layers.png\`, \`layers-2x.png\`), \`LICENSE\` (BSD-2-Clause).
- \`leaflet.markercluster/\`: \`leaflet.markercluster.js\`,
  \`leaflet.markercluster.js.map\`, \`MarkerCluster.css\`,
  \`MarkerCluster.Default.css\`, \`MIT-LICENCE.txt\` (MIT, as shipped).
- \`axe-core/\`: \`axe.min.js\`, \`LICENSE\` (MPL-2.0),
  \`LICENSE-3RD-PARTY.txt\` (MIT notices for code bundled in \`axe.min.js\`).
  Used only by the browser tests.

The \`.map\` files list sources under \`../src/\` that are not vendored and
carry no \`sourcesContent\`: browser dev tools can map names but not show the
original source. They are kept so that the \`sourceMappingURL\` comments
resolve (Django's manifest storage, used by whitenoise, fails
\`collectstatic\` on a dangling one).

## Updating

1. See what is out: \`npm view leaflet version\`,
   \`npm view leaflet.markercluster version\`, \`npm view axe-core version\`
   (or \`npm view <pkg> versions\` to stay on a major line).
2. Get the new tarball's integrity:
   \`npm view <pkg>@<version> dist.integrity\`.
3. Edit \`*_VERSION\` and \`*_INTEGRITY\` at the top of
   \`scripts/vendor_static.sh\`, then run it from anywhere:

       scripts/vendor_static.sh

   It runs \`npm pack <pkg>@<version>\` in a temporary directory, checks the
   tarball's sha512 against the registry and the pinned value, copies the
   files listed above, copies (or strips) source maps, fails if any
   \`sourceMappingURL\` or CSS \`url(...)\` does not resolve, and only then
   replaces \`static/vendor/{leaflet,leaflet.markercluster,axe-core}/\` and
   this README. No \`node_modules\` or tarball is left in the repository.
4. Review \`git diff --stat static/vendor\`, run the tests (and
   \`collectstatic\`), commit.

For a one-off try without editing the script:
\`LEAFLET_VERSION=x.y.z LEAFLET_INTEGRITY= scripts/vendor_static.sh\`
(an empty integrity accepts the registry's value and prints it).
EOF

# ---- install ----------------------------------------------------------------
mkdir -p "$VENDOR_DIR"
for d in leaflet leaflet.markercluster axe-core; do
    rm -rf "${VENDOR_DIR:?}/$d"
    cp -R "$STAGE/$d" "$VENDOR_DIR/$d"
done
cp "$STAGE/README.md" "$VENDOR_DIR/README.md"
find "$VENDOR_DIR" -type d -exec chmod 0755 {} +

echo "vendor_static: vendored into ${VENDOR_DIR#"$REPO_ROOT"/}:"
(cd "$VENDOR_DIR" && find . -type f ! -name README.md | sort | sed 's|^\./|  |')
