{{- define "gamekeeper.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{- define "gamekeeper.fullname" -}}
{{- if .Values.fullnameOverride -}}
{{- .Values.fullnameOverride | trunc 63 | trimSuffix "-" -}}
{{- else -}}
{{- $name := default .Chart.Name .Values.nameOverride -}}
{{- if contains $name .Release.Name -}}
{{- .Release.Name | trunc 63 | trimSuffix "-" -}}
{{- else -}}
{{- printf "%s-%s" .Release.Name $name | trunc 63 | trimSuffix "-" -}}
{{- end -}}
{{- end -}}
{{- end -}}

{{- define "gamekeeper.serviceAccountName" -}}
{{- default (include "gamekeeper.fullname" .) .Values.serviceAccount.name -}}
{{- end -}}

{{- define "gamekeeper.selectorLabels" -}}
app.kubernetes.io/name: {{ include "gamekeeper.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end -}}

{{- define "gamekeeper.labels" -}}
{{ include "gamekeeper.selectorLabels" . }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version }}
{{- end -}}

{{/* repository:tag, repository@digest, or repository:tag@digest (the digest is what is pulled). */}}
{{- define "gamekeeper.image" -}}
{{- $image := .Values.image -}}
{{- if $image.digest -}}
{{- printf "%s%s@%s" $image.repository (ternary (printf ":%s" $image.tag) "" (ne ($image.tag | toString) "")) $image.digest -}}
{{- else -}}
{{- printf "%s:%s" $image.repository ($image.tag | default .Chart.AppVersion) -}}
{{- end -}}
{{- end -}}

{{/*
Milliseconds of a Go-style duration ("15s", "1m30s", "500ms", "0" or 0), as
the operator's --leader-elect-* flags parse it.
*/}}
{{- define "gamekeeper.durationMs" -}}
{{- $units := dict "ms" 1.0 "s" 1000.0 "m" 60000.0 "h" 3600000.0 -}}
{{- $total := 0.0 -}}
{{- range regexFindAll "[0-9]+(\\.[0-9]+)?(ms|s|m|h)" (toString .) -1 -}}
{{- $unit := regexFind "(ms|s|m|h)$" . -}}
{{- $total = addf $total (mulf (float64 (trimSuffix $unit .)) (get $units $unit)) -}}
{{- end -}}
{{- $total -}}
{{- end -}}

{{/*
The V8 old-generation limit in MiB: heap.percentOfMemoryLimit of
resources.limits.memory (a Kubernetes quantity such as 512Mi, 1Gi, 1G or
bytes). Empty without a memory limit: V8 then sizes the heap for the node.
*/}}
{{- define "gamekeeper.heapMiB" -}}
{{- $limit := toString (dig "limits" "memory" "" (.Values.resources | default dict)) -}}
{{- if and $limit .Values.heap.percentOfMemoryLimit -}}
{{- $factors := dict "" 1.0 "k" 1e3 "M" 1e6 "G" 1e9 "T" 1e12 "Ki" 1024.0 "Mi" 1048576.0 "Gi" 1073741824.0 "Ti" 1099511627776.0 -}}
{{- $suffix := regexFind "[A-Za-z]+$" $limit -}}
{{- if not (hasKey $factors $suffix) -}}
{{- fail (printf "resources.limits.memory %q: use a quantity in bytes, k, M, G, T, Ki, Mi, Gi or Ti" $limit) -}}
{{- end -}}
{{- $bytes := mulf (float64 (trimSuffix $suffix $limit)) (get $factors $suffix) -}}
{{- $mib := floor (divf (mulf $bytes (float64 .Values.heap.percentOfMemoryLimit)) (mulf 100.0 1048576.0)) | int -}}
{{- if lt $mib 64 -}}
{{- fail (printf "resources.limits.memory %q leaves a heap of %d MiB at heap.percentOfMemoryLimit=%v: the operator needs at least 64 MiB" $limit $mib .Values.heap.percentOfMemoryLimit) -}}
{{- end -}}
{{- $mib -}}
{{- end -}}
{{- end -}}

{{/*
Rules between values that values.schema.json cannot express; the operator
checks the same at start and would exit 2 (a crash loop) otherwise.
*/}}
{{- define "gamekeeper.validate" -}}
{{- $election := .Values.operator.leaderElection -}}
{{- if $election.enabled -}}
{{- $lease := include "gamekeeper.durationMs" $election.leaseDuration | float64 -}}
{{- $renew := include "gamekeeper.durationMs" $election.renewDeadline | float64 -}}
{{- $retry := include "gamekeeper.durationMs" $election.retryPeriod | float64 -}}
{{- if le $retry 0.0 -}}
{{- fail (printf "operator.leaderElection.retryPeriod (%v) must be greater than 0" $election.retryPeriod) -}}
{{- end -}}
{{- if le $lease $renew -}}
{{- fail (printf "operator.leaderElection.renewDeadline (%v) must be shorter than operator.leaderElection.leaseDuration (%v)" $election.renewDeadline $election.leaseDuration) -}}
{{- end -}}
{{- if le $renew (mulf 1.2 $retry) -}}
{{- fail (printf "operator.leaderElection.renewDeadline (%v) must be longer than 1.2 x operator.leaderElection.retryPeriod (%v)" $election.renewDeadline $election.retryPeriod) -}}
{{- end -}}
{{- end -}}
{{- if and (gt (int .Values.replicaCount) 1) (not $election.enabled) -}}
{{- fail (printf "replicaCount=%v needs operator.leaderElection.enabled=true: replicas without leader election would all reconcile at once" .Values.replicaCount) -}}
{{- end -}}
{{- end -}}
