#!/bin/sh
# Creates the namespace and registers the search attributes the rollout workflow upserts (names and
# types must match dev.rollout.workflow.RolloutSearchAttributes; DockerComposeTest checks that).
# A workflow that upserts an unregistered attribute stalls, so the worker starts only after this.
# Run by the temporal-namespace service; idempotent.
set -eu
NS="${TEMPORAL_NAMESPACE:-default}"

until temporal operator cluster health; do echo "waiting for ${TEMPORAL_ADDRESS}"; sleep 2; done
temporal operator namespace describe --namespace "$NS" >/dev/null 2>&1 \
  || temporal operator namespace create --namespace "$NS" --retention 30d

register() {
  if temporal operator search-attribute list --namespace "$NS" | grep -qw "$1"; then
    echo "search attribute $1 already registered"
  else
    temporal operator search-attribute create --namespace "$NS" --name "$1" --type "$2"
  fi
}
# BEGIN rollout search attributes
register RolloutTarget KeywordList
register RolloutEnvironment KeywordList
register RolloutPlan Keyword
register RolloutPhase Keyword
register RolloutState Keyword
register RolloutOutcome Keyword
register RolloutWaitingFor KeywordList
# END rollout search attributes
echo "namespace $NS is ready"
