{{/* Names, labels, the image reference, the config checksum and validation shared by every kind. */}}

{{/* The service name: nameOverride or the chart name, never the release name (see docs/values-contract.md). */}}
{{- define "common.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" -}}
{{- end }}

{{/* Numbers from YAML arrive as float64; print whole numbers without an exponent. */}}
{{- define "common.scalar" -}}
{{- if and (kindIs "float64" .) (eq (floor .) .) -}}
{{- int64 . -}}
{{- else -}}
{{- toString . -}}
{{- end -}}
{{- end }}

{{/* app.kubernetes.io/version: the image tag made a valid label value (alphanumeric at both ends, at most 63). */}}
{{- define "common.version" -}}
{{- $tag := regexReplaceAll "[^A-Za-z0-9._-]" (toString .Values.image.tag) "-" | trunc 63 -}}
{{- regexReplaceAll "^[^A-Za-z0-9]+|[^A-Za-z0-9]+$" $tag "" -}}
{{- end }}

{{- define "common.component" -}}
{{- .Values.component | default (get (dict "stateful" "database" "scheduled" "job") (toString .Values.kind) | default "server") -}}
{{- end }}

{{/* Selector labels never change for the life of a workload: name and instance only. */}}
{{- define "common.labels.selector" -}}
app.kubernetes.io/name: {{ include "common.name" . }}
app.kubernetes.io/instance: {{ include "common.name" . }}
{{- end }}

{{/* Every object's labels: worked out once per chart by common.values.init, which keeps them in the root context. */}}
{{- define "common.labels" -}}
{{- if hasKey . "BerthLabels" -}}
{{ .BerthLabels }}
{{- else -}}
{{ include "common.labels.compute" . }}
{{- end -}}
{{- end }}

{{- define "common.labels.compute" -}}
{{ include "common.labels.selector" . }}
app.kubernetes.io/version: {{ include "common.version" . | quote }}
app.kubernetes.io/component: {{ include "common.component" . }}
app.kubernetes.io/part-of: berth
app.kubernetes.io/managed-by: {{ .Release.Service }}
{{- end }}

{{/*
metadata: of an object. Call with (dict "ctx" $ "name" "<object name>" "labels" (dict ...)),
"name" and "labels" optional; extra labels are added after the recommended ones.
*/}}
{{- define "common.metadata" -}}
{{- $ctx := .ctx -}}
metadata:
  name: {{ .name | default (include "common.name" $ctx) }}
  namespace: {{ $ctx.Release.Namespace }}
  labels:
    {{- include "common.labels" $ctx | nindent 4 }}
    {{- with .labels }}
    {{- toYaml . | nindent 4 }}
    {{- end }}
{{- end }}

{{/* repository:tag, or repository@digest when the version is pinned by digest. */}}
{{- define "common.image" -}}
{{- if .Values.image.digest -}}
{{- printf "%s@%s" .Values.image.repository .Values.image.digest -}}
{{- else -}}
{{- printf "%s:%s" .Values.image.repository (toString .Values.image.tag) -}}
{{- end -}}
{{- end }}

{{/* The Service port name ServiceMonitor scrapes: "http", or "metrics" for a separate numeric port. */}}
{{- define "common.metricsPort" -}}
{{- $port := .Values.monitoring.port -}}
{{- if kindIs "string" $port -}}
{{- $port -}}
{{- else if eq (int $port) (int .Values.containerPort) -}}
http
{{- else -}}
metrics
{{- end -}}
{{- end }}

{{/* True ("true") when Prometheus scrapes the service: monitoring.enabled, and not a scheduled one (no Service to scrape). */}}
{{- define "common.monitored" -}}
{{- if and .Values.monitoring.enabled (ne .Values.kind "scheduled") }}true{{ end -}}
{{- end }}

{{/* True ("true") when monitoring scrapes a port other than the http one. */}}
{{- define "common.hasMetricsPort" -}}
{{- if and (include "common.monitored" .) (eq (include "common.metricsPort" .) "metrics") }}true{{ end -}}
{{- end }}

{{/* Rolls the pods whenever what they read at start-up changes: ConfigMap data, env, ExternalSecret spec. */}}
{{- define "common.checksum" -}}
{{- list (include "common.configmap.data" .) (include "common.container.env" .) (include "common.externalsecret.spec" .) | join "\n---\n" | sha256sum -}}
{{- end }}

{{/* Fails early, naming the value and the file to set it in, instead of rendering a broken object. */}}
{{- define "common.validate" -}}
{{- $name := include "common.name" . -}}
{{- $env := .Values.environment -}}
{{- if not $env.name -}}
{{- fail (printf "environment.name is empty: %s needs the environment: block that Argo CD passes from environments/<env>/env.yaml (helm.valuesObject); with plain helm pass it in a file with -f" $name) -}}
{{- end -}}
{{- if not (has .Values.kind (list "stateless" "stateful" "scheduled")) -}}
{{- fail (printf "kind is %q: set kind to stateless, stateful or scheduled in charts/%s/values.yaml" (toString .Values.kind) $name) -}}
{{- end -}}
{{- if eq .Values.kind "scheduled" -}}
{{- if not (toString .Values.schedule | trim) -}}
{{- fail (printf "schedule is empty but %s is kind scheduled: set schedule (a cron expression such as \"*/5 * * * *\") in charts/%s/values.yaml" $name $name) -}}
{{- end -}}
{{- if .Values.ingress.enabled -}}
{{- fail (printf "ingress.enabled is true but %s is kind scheduled: a CronJob serves no traffic; set ingress.enabled: false in charts/%s/values.yaml" $name $name) -}}
{{- end -}}
{{- end -}}
{{- if not .Values.image.repository -}}
{{- fail (printf "image.repository is empty: set it in charts/%s/values.yaml" $name) -}}
{{- end -}}
{{- if not (toString .Values.image.tag | trimAll " ") -}}
{{- fail (printf "image.tag is empty: set it in environments/%s/%s.yaml" $env.name $name) -}}
{{- end -}}
{{- if .Values.ingress.enabled -}}
{{- if not $env.alb.groupName -}}
{{- fail (printf "environment.alb.groupName is empty but ingress.enabled is true for %s: set ingress.groupName in environments/%s/env.yaml" $name $env.name) -}}
{{- end -}}
{{- if not $env.alb.scheme -}}
{{- fail (printf "environment.alb.scheme is empty but ingress.enabled is true for %s: set ingress.scheme in environments/%s/env.yaml" $name $env.name) -}}
{{- end -}}
{{- if and (not (contains "." .Values.ingress.host)) (not $env.domain) -}}
{{- fail (printf "environment.domain is empty, so ingress.host %q of %s has no domain: set domain in environments/%s/env.yaml" .Values.ingress.host $name $env.name) -}}
{{- end -}}
{{- if and .Values.networkPolicy.enabled (not $env.vpcCidr) -}}
{{- fail (printf "environment.vpcCidr is empty but %s has an ingress and a NetworkPolicy (the ALB reaches pods from the VPC): set vpcCidr in environments/%s/env.yaml" $name $env.name) -}}
{{- end -}}
{{- end -}}
{{- if and .Values.secrets.items (not $env.secrets.store) -}}
{{- fail (printf "environment.secrets.store is empty but %s has secrets.items: set secrets.store in environments/%s/env.yaml" $name $env.name) -}}
{{- end -}}
{{- end }}
