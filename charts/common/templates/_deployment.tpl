{{/* Deployment of a stateless service. */}}
{{- define "common.deployment" -}}
---
apiVersion: apps/v1
kind: Deployment
{{ include "common.metadata" (dict "ctx" .) }}
spec:
  {{- if not .Values.autoscaling.enabled }}
  replicas: {{ int .Values.replicas }}
  {{- end }}
  {{- /* with an HPA, replicas stays out so a sync never fights the autoscaler */}}
  revisionHistoryLimit: 5
  selector:
    matchLabels:
      {{- include "common.labels.selector" . | nindent 6 }}
  strategy:
    type: RollingUpdate
    rollingUpdate:
      maxSurge: 25%
      maxUnavailable: 0
  template:
    {{- include "common.podTemplate" . | nindent 4 }}
{{- end }}
