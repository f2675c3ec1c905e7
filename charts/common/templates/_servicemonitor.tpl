{{/* ServiceMonitor: Prometheus Operator scrapes the service's metrics endpoint. */}}
{{- define "common.servicemonitor" -}}
---
apiVersion: monitoring.coreos.com/v1
kind: ServiceMonitor
{{ include "common.metadata" (dict "ctx" . "labels" .Values.monitoring.labels) }}
spec:
  jobLabel: app.kubernetes.io/name
  selector:
    matchLabels:
      {{- include "common.labels.selector" . | nindent 6 }}
    # the headless Service of a stateful service selects the same pods; scrape them once
    matchExpressions:
      - key: berth.dev/headless
        operator: DoesNotExist
  endpoints:
    - port: {{ include "common.metricsPort" . }}
      path: {{ .Values.monitoring.path }}
      interval: {{ .Values.monitoring.interval }}
{{- end }}
