{{/* PodDisruptionBudget: node drains take pods down one at a time. */}}
{{- define "common.pdb" -}}
---
apiVersion: policy/v1
kind: PodDisruptionBudget
{{ include "common.metadata" (dict "ctx" .) }}
spec:
  maxUnavailable: {{ include "common.scalar" .Values.pdb.maxUnavailable }}
  selector:
    matchLabels:
      {{- include "common.labels.selector" . | nindent 6 }}
{{- end }}
