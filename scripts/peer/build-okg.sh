#!/usr/bin/env bash
# Builds the peer the bench compares against, OpenKruise Game v1.0.0 and
# OpenKruise v1.8.4, from pinned source archives (the Go module proxy refuses
# these modules) into the same cache as the control plane. Idempotent: a stamp
# holding the archives' sha256 means a second run builds nothing. Prints the
# peer's directory as its last line:
#
#   bin/okg-manager, bin/kruise-manager   the two managers (CGO_ENABLED=0)
#   okg/crd, okg/webhook                  OKG's CRDs and webhook manifests
#   kruise/crd, kruise/webhook            OpenKruise's CRDs and webhook manifests
#
#   scripts/peer/build-okg.sh [ARCHIVES_DIR]   (default: $PEERS_DIR or ../shared/peers)
set -euo pipefail

OKG_VERSION="v1.0.0"
KRUISE_VERSION="v1.8.4"
KRUISE_API_VERSION="v1.8.0"

REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
ARCHIVES="${1:-${PEERS_DIR:-$REPO/../shared/peers}}"
CACHE_ROOT="${GAMEKEEPER_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/gamekeeper}"
SET="peer-okg-${OKG_VERSION}_kruise-${KRUISE_VERSION}"
OUT="$CACHE_ROOT/$SET"
BIN="$OUT/bin"
STAMP="$OUT/stamp"

log() { printf '[peer:build %s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }

OKG_TGZ="$ARCHIVES/kruise-game-$OKG_VERSION.tar.gz"
KRUISE_TGZ="$ARCHIVES/kruise-$KRUISE_VERSION.tar.gz"
API_TGZ="$ARCHIVES/kruise-api-$KRUISE_API_VERSION.tar.gz"
for f in "$OKG_TGZ" "$KRUISE_TGZ" "$API_TGZ"; do
  [[ -f "$f" ]] || { log "missing archive $f (pass the archives' folder as the first argument or PEERS_DIR)"; exit 1; }
done
SUMS="$(cd "$ARCHIVES" && sha256sum "$(basename "$OKG_TGZ")" "$(basename "$KRUISE_TGZ")" "$(basename "$API_TGZ")")"

if [[ -f "$STAMP" && -x "$BIN/okg-manager" && -x "$BIN/kruise-manager" ]] && grep -qF "$SUMS" "$STAMP"; then
  log "peer cached in $OUT ($(head -1 "$STAMP"))"
  echo "$OUT"
  exit 0
fi

[[ -x /usr/local/go/bin/go ]] && export PATH="$PATH:/usr/local/go/bin"
command -v go >/dev/null || { log "Go is required (go 1.22+) to build the peer"; exit 1; }

# The archives' go.mod ask for go 1.22 (toolchain go1.22.12): build with the
# local toolchain rather than downloading that one.
export CGO_ENABLED=0 GOTOOLCHAIN=local GOFLAGS="-trimpath -buildvcs=false -mod=mod"
start=$(date +%s)
WORK="$OUT/work"
rm -rf "$WORK" && mkdir -p "$WORK"/{kruise-game,kruise,kruise-api} "$BIN"
log "unpacking the archives from $ARCHIVES"
tar xzf "$OKG_TGZ" -C "$WORK/kruise-game"
tar xzf "$KRUISE_TGZ" -C "$WORK/kruise"
tar xzf "$API_TGZ" -C "$WORK/kruise-api"

# OKG requires kruise-api, which the proxy refuses too: point it at the archive.
(cd "$WORK/kruise-game" && go mod edit -replace "github.com/openkruise/kruise-api=../kruise-api")

if [[ ! -x "$BIN/okg-manager" ]] || ! grep -qF "$SUMS" "$STAMP" 2>/dev/null; then
  log "building OpenKruise Game $OKG_VERSION (about 1 min on an idle 2-core machine with an empty Go cache)"
  (cd "$WORK/kruise-game" && go build -ldflags="-s -w" -o "$BIN/okg-manager.tmp" . ) && mv "$BIN/okg-manager.tmp" "$BIN/okg-manager"
fi
if [[ ! -x "$BIN/kruise-manager" ]] || ! grep -qF "$SUMS" "$STAMP" 2>/dev/null; then
  log "building OpenKruise $KRUISE_VERSION manager (about 2 min on an idle 2-core machine with an empty Go cache)"
  (cd "$WORK/kruise" && go build -ldflags="-s -w" -o "$BIN/kruise-manager.tmp" ./main.go) && mv "$BIN/kruise-manager.tmp" "$BIN/kruise-manager"
fi

log "copying CRDs and webhook manifests"
rm -rf "$OUT/okg" "$OUT/kruise" && mkdir -p "$OUT/okg" "$OUT/kruise"
cp -r "$WORK/kruise-game/config/crd/bases" "$OUT/okg/crd"
cp -r "$WORK/kruise-game/config/webhook" "$OUT/okg/webhook"
cp -r "$WORK/kruise/config/crd/bases" "$OUT/kruise/crd"
cp -r "$WORK/kruise/config/webhook" "$OUT/kruise/webhook"
chmod -R u+w "$OUT/okg" "$OUT/kruise"

rm -rf "$WORK"
{ echo "$SET built $(date -u +%FT%TZ) in $(( $(date +%s) - start ))s"; echo "$SUMS"; } > "$STAMP"
log "done in $(( $(date +%s) - start ))s: $OUT"
echo "$OUT"
