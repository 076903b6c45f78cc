#!/usr/bin/env bash
# Lossless room release in four steps (the same steps as workflow.yaml):
#   1. set the new image on the GameServerSet (OnDelete: no running room restarts)
#   2. scale out by EXTRA rooms, which start on the new image
#   3. wait until EXTRA rooms run the new image and are Ready
#   4. mark idle rooms (opsState None) still on the old image WaitToBeDeleted,
#      so the next scale-in removes them and never a room with players; the
#      patch carries a JSON-patch `test` on /spec/opsState, so a room that got
#      players between the read and the write is left alone
#   5. with SCALE_DOWN_TIMEOUT (e.g. 30m) set: wait until the autoscaler
#      (KEDA + room-release/scaledobject.yaml) has removed the rooms marked
# Needs only kubectl. Settings come from the environment:
#   GSS=minecraft NAMESPACE=default CONTAINER=minecraft EXTRA=3 \
#   IMAGE=registry.cn-hangzhou.aliyuncs.com/acs/minecraft-demo:1.12.2-new \
#   SCALE_DOWN_TIMEOUT=30m examples/room-release/release.sh
set -euo pipefail

GSS="${GSS:-minecraft}"
NAMESPACE="${NAMESPACE:-default}"
CONTAINER="${CONTAINER:-minecraft}"
EXTRA="${EXTRA:-3}"
IMAGE="${IMAGE:-registry.cn-hangzhou.aliyuncs.com/acs/minecraft-demo:1.12.2-new}"
TIMEOUT_SECONDS="${TIMEOUT_SECONDS:-300}"
SCALE_DOWN_TIMEOUT="${SCALE_DOWN_TIMEOUT:-}"
KUBECTL="${KUBECTL:-kubectl}"
k() { "$KUBECTL" -n "$NAMESPACE" "$@"; }

echo "step 1/4: set ${CONTAINER} image of gss/${GSS} to ${IMAGE}"
read -r -a names <<<"$(k get gss "$GSS" -o jsonpath='{.spec.gameServerTemplate.spec.containers[*].name}')"
index=-1
for i in "${!names[@]}"; do [[ "${names[$i]}" == "$CONTAINER" ]] && index=$i; done
if (( index < 0 )); then
  echo "gss/${GSS} has no container named ${CONTAINER}" >&2
  exit 1
fi
k patch gss "$GSS" --type=json -p "[{\"op\":\"replace\",\"path\":\"/spec/gameServerTemplate/spec/containers/${index}/image\",\"value\":\"${IMAGE}\"}]"

echo "step 2/4: scale gss/${GSS} out by ${EXTRA}"
replicas=$(k get gss "$GSS" -o jsonpath='{.spec.replicas}')
k scale gss "$GSS" --replicas=$((replicas + EXTRA))

# "<pod> <image of the container> <Ready status>", one line per pod of the set
pods() {
  k get pods -l "game.kruise.io/owner-gss=${GSS}" \
    -o jsonpath="{range .items[*]}{.metadata.name}{\" \"}{.spec.containers[?(@.name==\"${CONTAINER}\")].image}{\" \"}{.status.conditions[?(@.type==\"Ready\")].status}{\"\\n\"}{end}"
}
ready_on_new_image() { pods | awk -v image="$IMAGE" '$2 == image && $3 == "True"' | wc -l; }

echo "step 3/4: wait for ${EXTRA} Ready rooms on ${IMAGE}"
deadline=$((SECONDS + TIMEOUT_SECONDS))
until (( $(ready_on_new_image) >= EXTRA )); do
  if (( SECONDS >= deadline )); then
    echo "timed out after ${TIMEOUT_SECONDS}s: only $(ready_on_new_image) Ready rooms on ${IMAGE}" >&2
    exit 1
  fi
  sleep 2
done
echo "$(ready_on_new_image) rooms Ready on ${IMAGE}"

echo "step 4/4: mark idle rooms on the old image WaitToBeDeleted"
retire='[{"op":"test","path":"/spec/opsState","value":"None"},{"op":"replace","path":"/spec/opsState","value":"WaitToBeDeleted"}]'
marked=()
while read -r name image _; do
  [[ "$image" == "$IMAGE" ]] && continue
  # The API server applies the replace only if opsState is still None.
  if k patch gs "$name" --type=json -p "$retire" 2>/dev/null; then
    marked+=("pod/${name}")
  else
    echo "gameserver/${name} kept: its opsState is $(k get gs "$name" -o jsonpath='{.spec.opsState}')"
  fi
done < <(pods)
k get gs

if [[ -n "$SCALE_DOWN_TIMEOUT" && ${#marked[@]} -gt 0 ]]; then
  echo "waiting up to ${SCALE_DOWN_TIMEOUT} for the autoscaler to remove ${marked[*]}"
  k wait --for=delete "${marked[@]}" --timeout="$SCALE_DOWN_TIMEOUT"
  k get gs
fi
