{{/*
common.all: every object the service's values enable. A service chart's templates/berth.yaml is
`{{- include "common.all" . }}`. An extra template in a service chart that includes a single
kind (e.g. "common.service") must call `include "common.values.init" .` first.
*/}}
{{- define "common.all" -}}
{{- include "common.values.init" . -}}
{{- include "common.validate" . -}}
{{- $stateful := eq .Values.kind "stateful" -}}
{{- if .Values.serviceAccount.create }}
{{ include "common.serviceaccount" . }}
{{- end }}
{{- if .Values.config }}
{{ include "common.configmap" . }}
{{- end }}
{{- if .Values.secrets.items }}
{{ include "common.externalsecret" . }}
{{- end }}
{{ include "common.service" . }}
{{- if $stateful }}
{{ include "common.service.headless" . }}
{{ include "common.statefulset" . }}
{{- else }}
{{ include "common.deployment" . }}
{{- end }}
{{- if .Values.autoscaling.enabled }}
{{ include "common.hpa" . }}
{{- end }}
{{- /* a stateful service always gets one: losing several replicas at once is never fine */}}
{{- if or $stateful .Values.pdb.enabled }}
{{ include "common.pdb" . }}
{{- end }}
{{- if .Values.networkPolicy.enabled }}
{{ include "common.networkpolicy" . }}
{{- end }}
{{- if .Values.ingress.enabled }}
{{ include "common.ingress" . }}
{{- end }}
{{- if .Values.monitoring.enabled }}
{{ include "common.servicemonitor" . }}
{{ include "common.prometheusrule" . }}
{{- if .Values.monitoring.dashboard }}
{{ include "common.dashboard" . }}
{{- end }}
{{- end }}
{{- end }}
