{{/* ConfigMap <name>-config from .Values.config; the pods read it through envFrom. */}}

{{/* The data: block, values as strings; also hashed into checksum/config. */}}
{{- define "common.configmap.data" -}}
{{- range $key, $value := .Values.config }}
{{ $key }}: {{ include "common.scalar" $value | quote }}
{{- end }}
{{- end }}

{{- define "common.configmap" -}}
---
apiVersion: v1
kind: ConfigMap
{{ include "common.metadata" (dict "ctx" . "name" (printf "%s-config" (include "common.name" .))) }}
data:
  {{- include "common.configmap.data" . | trim | nindent 2 }}
{{- end }}
