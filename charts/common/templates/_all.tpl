{{/*
common.all: every object the service's values enable. A service chart's templates/berth.yaml is
`{{- include "common.all" . }}`. An extra template in a service chart that includes a single
kind (e.g. "common.service") must call `include "common.values.init" .` first.
*/}}
{{- define "common.all" -}}
{{- include "common.values.init" . -}}
{{- include "common.validate" . -}}
{{- $stateful := eq .Values.kind "stateful" -}}
{{- /* a scheduled service runs to completion: no Service, Ingress, HPA, PDB or monitoring */}}
{{- $scheduled := eq .Values.kind "scheduled" -}}
{{- if .Values.serviceAccount.create }}
{{ include "common.serviceaccount" . }}
{{- end }}
{{- if .Values.config }}
{{ include "common.configmap" . }}
{{- end }}
{{- if .Values.secrets.items }}
{{ include "common.externalsecret" . }}
{{- end }}
{{- if $scheduled }}
{{ include "common.cronjob" . }}
{{- else }}
{{ include "common.service" . }}
{{- if $stateful }}
{{ include "common.service.headless" . }}
{{ include "common.statefulset" . }}
{{- else }}
{{ include "common.deployment" . }}
{{- end }}
{{- end }}
{{- /* autoscaling and pdb are often set for a whole environment: they do not apply to a CronJob */}}
{{- if and .Values.autoscaling.enabled (not $scheduled) }}
{{ include "common.hpa" . }}
{{- end }}
{{- /* a stateful service always gets one: losing several replicas at once is never fine */}}
{{- if and (or $stateful .Values.pdb.enabled) (not $scheduled) }}
{{ include "common.pdb" . }}
{{- end }}
{{- if .Values.networkPolicy.enabled }}
{{ include "common.networkpolicy" . }}
{{- end }}
{{- if and .Values.ingress.enabled (not $scheduled) }}
{{ include "common.ingress" . }}
{{- end }}
{{- /* no Service to scrape, and the default alerts assume a pod that is always up */}}
{{- if and .Values.monitoring.enabled (not $scheduled) }}
{{ include "common.servicemonitor" . }}
{{ include "common.prometheusrule" . }}
{{- if .Values.monitoring.dashboard }}
{{ include "common.dashboard" . }}
{{- end }}
{{- end }}
{{- end }}
