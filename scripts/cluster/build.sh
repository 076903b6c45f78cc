#!/usr/bin/env bash
# Builds the local control plane's binaries from their Go modules into a cache
# outside the repository. Idempotent: a stamp file per version set means a
# second run builds nothing. Prints the bin directory as its last line.
#
#   etcd, kube-apiserver, kube-controller-manager, kube-scheduler, kubectl
#   (k8s.io/kubernetes through a wrapper module), kwok, helm.
set -euo pipefail

K8S_VERSION="${K8S_VERSION:-v1.36.3}"
KWOK_VERSION="${KWOK_VERSION:-v0.8.0}"
HELM_VERSION="${HELM_VERSION:-v3.22.0}"

CACHE_ROOT="${GAMEKEEPER_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/gamekeeper}"
SET="k8s-${K8S_VERSION}_kwok-${KWOK_VERSION}_helm-${HELM_VERSION}"
OUT="$CACHE_ROOT/$SET"
BIN="$OUT/bin"
STAMP="$OUT/stamp"

log() { printf '[cluster:build %s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }

# The harness makes the cluster's certificates with openssl: install it from
# Debian's packages where a fresh machine lacks it (needs root or sudo).
if ! command -v openssl >/dev/null; then
  log "openssl is missing: installing Debian's openssl package"
  SUDO=""; [[ "$(id -u)" == 0 ]] || SUDO="sudo"
  $SUDO apt-get update -qq >&2 && DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq openssl >&2 ||
    { log "could not install openssl; install it (apt-get install openssl) and run again"; exit 1; }
fi

if [[ -f "$STAMP" && -d "$OUT/kwok-crds" ]]; then
  log "binaries cached in $BIN (stamp $(cat "$STAMP"))"
  echo "$BIN"
  exit 0
fi

[[ -x /usr/local/go/bin/go ]] && export PATH="$PATH:/usr/local/go/bin"
command -v go >/dev/null || { log "Go is required (go 1.26+) to build the control plane"; exit 1; }

export CGO_ENABLED=0 GOTOOLCHAIN=local GOFLAGS="-trimpath -buildvcs=false"
mkdir -p "$BIN"
WORK="$OUT/work"
start=$(date +%s)

have() { [[ -x "$BIN/$1" ]]; }

# --- Kubernetes: a throwaway wrapper module that replaces every staging module
#     with its published version (k8s.io/kubernetes cannot be `go install`ed).
if ! have kube-apiserver || ! have kube-controller-manager || ! have kube-scheduler || ! have kubectl || ! have etcd; then
  STAGING="v0.${K8S_VERSION#v1.}"
  MINOR="$(cut -d. -f2 <<<"$K8S_VERSION")"
  rm -rf "$WORK/k8s" && mkdir -p "$WORK/k8s" && cd "$WORK/k8s"
  go mod init local/k8sbin >/dev/null 2>&1
  log "resolving k8s.io/kubernetes@$K8S_VERSION"
  GOMOD="$(go mod download -json "k8s.io/kubernetes@$K8S_VERSION" | sed -n 's/^[[:space:]]*"GoMod": "\(.*\)",\{0,1\}$/\1/p')"
  [[ -f "$GOMOD" ]] || { log "could not download the go.mod of k8s.io/kubernetes@$K8S_VERSION"; exit 1; }
  for m in $(grep -oE '^\s*k8s\.io/[a-z0-9-]+ => \./staging/' "$GOMOD" | awk '{print $1}'); do
    go mod edit -replace="$m=$m@$STAGING"
  done
  log "downloading modules (kubernetes $K8S_VERSION, staging $STAGING)"
  go get "k8s.io/kubernetes/cmd/kube-apiserver@$K8S_VERSION" \
         "k8s.io/kubernetes/cmd/kube-controller-manager@$K8S_VERSION" \
         "k8s.io/kubernetes/cmd/kube-scheduler@$K8S_VERSION" \
         "k8s.io/kubernetes/cmd/kubectl@$K8S_VERSION" >/dev/null 2>&1 || \
    go get "k8s.io/kubernetes/cmd/kube-apiserver@$K8S_VERSION" "k8s.io/kubernetes/cmd/kubectl@$K8S_VERSION"
  ETCD_VERSION="$(go list -m -f '{{.Version}}' go.etcd.io/etcd/server/v3)"
  go get "go.etcd.io/etcd/server/v3@$ETCD_VERSION" >/dev/null
  LD="-s -w"
  for p in k8s.io/component-base/version k8s.io/client-go/pkg/version; do
    LD="$LD -X $p.gitVersion=$K8S_VERSION -X $p.gitMajor=1 -X $p.gitMinor=$MINOR -X $p.gitTreeState=clean"
  done
  for cmd in kube-apiserver kube-controller-manager kube-scheduler kubectl; do
    have "$cmd" && continue
    log "building $cmd (cold: several minutes each on 2 cores)"
    go build -tags=selinux,notest,grpcnotrace -ldflags="$LD" -o "$BIN/$cmd" "k8s.io/kubernetes/cmd/$cmd"
  done
  if ! have etcd; then
    log "building etcd $ETCD_VERSION"
    go build -ldflags="-s -w" -o "$BIN/etcd" go.etcd.io/etcd/server/v3
  fi
fi

# --- kwok: a plain module, `go install` works.
if ! have kwok; then
  log "building kwok $KWOK_VERSION"
  GOBIN="$BIN" go install -ldflags="-s -w" "sigs.k8s.io/kwok/cmd/kwok@$KWOK_VERSION"
fi

# kwok's own CRDs (Exec, ClusterExec) so tests can point exec at a local directory.
mkdir -p "$OUT/kwok-crds"
for crd in execs clusterexecs; do
  cp -f "$(go env GOMODCACHE)/sigs.k8s.io/kwok@$KWOK_VERSION/kustomize/crd/bases/kwok.x-k8s.io_$crd.yaml" "$OUT/kwok-crds/" 2>/dev/null || {
    go mod download "sigs.k8s.io/kwok@$KWOK_VERSION"
    cp -f "$(go env GOMODCACHE)/sigs.k8s.io/kwok@$KWOK_VERSION/kustomize/crd/bases/kwok.x-k8s.io_$crd.yaml" "$OUT/kwok-crds/"
  }
  chmod u+w "$OUT/kwok-crds/kwok.x-k8s.io_$crd.yaml"
done

# --- helm
if ! have helm; then
  log "building helm $HELM_VERSION"
  HELM_MAJOR="${HELM_VERSION%%.*}"
  GOBIN="$BIN" go install -ldflags="-s -w -X helm.sh/helm/$HELM_MAJOR/internal/version.version=$HELM_VERSION" "helm.sh/helm/$HELM_MAJOR/cmd/helm@$HELM_VERSION"
fi

rm -rf "$WORK"
echo "$SET built $(date -u +%FT%TZ) in $(( $(date +%s) - start ))s" > "$STAMP"
log "done in $(( $(date +%s) - start ))s: $BIN"
echo "$BIN"
