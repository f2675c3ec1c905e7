{{/* PrometheusRule: the alerts every service gets (down, restarting too often) plus monitoring.rules. */}}

{{/* PromQL label matchers of this service's series. */}}
{{- define "common.promql.job" -}}
namespace="{{ .Release.Namespace }}", job="{{ include "common.name" . }}"
{{- end }}
{{- define "common.promql.container" -}}
namespace="{{ .Release.Namespace }}", container="{{ include "common.name" . }}"
{{- end }}

{{- define "common.prometheusrule" -}}
{{- $name := include "common.name" . -}}
{{- $labels := dict "service" $name "namespace" .Release.Namespace -}}
---
apiVersion: monitoring.coreos.com/v1
kind: PrometheusRule
{{ include "common.metadata" (dict "ctx" . "labels" .Values.monitoring.labels) }}
spec:
  groups:
    - name: {{ $name }}.rules
      rules:
        - alert: ServiceDown
          # absent() also fires when no pod is left to report up == 0
          expr: absent(up{ {{- include "common.promql.job" . -}} } == 1)
          for: 5m
          labels:
            severity: critical
            {{- toYaml $labels | nindent 12 }}
          annotations:
            summary: {{ printf "%s in %s is down" $name .Release.Namespace | quote }}
            description: {{ printf "No %s pod in namespace %s has answered a Prometheus scrape for 5 minutes." $name .Release.Namespace | quote }}
        - alert: ServiceRestartingTooOften
          expr: increase(kube_pod_container_status_restarts_total{ {{- include "common.promql.container" . -}} }[15m]) > 3
          for: 0m
          labels:
            severity: warning
            {{- toYaml $labels | nindent 12 }}
          annotations:
            summary: {{ printf "%s in %s is restarting too often" $name .Release.Namespace | quote }}
            description: {{ printf "A %s container in namespace %s restarted more than 3 times in 15 minutes." $name .Release.Namespace | quote }}
        {{- with .Values.monitoring.rules }}
        {{- toYaml . | nindent 8 }}
        {{- end }}
{{- end }}
