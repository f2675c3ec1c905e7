{{/* Grafana dashboard ConfigMap, picked up by the Grafana sidecar through the grafana_dashboard label. */}}
{{- define "common.dashboard.json" -}}
{{- $name := include "common.name" . -}}
{{- $job := include "common.promql.job" . -}}
{{- $container := include "common.promql.container" . -}}
{{- $ds := dict "type" "prometheus" "uid" "${datasource}" -}}
{
  "title": {{ printf "%s (%s)" $name .Release.Namespace | toJson }},
  "uid": {{ printf "berth-%s-%s" .Release.Namespace $name | trunc 40 | toJson }},
  "tags": ["berth", {{ .Release.Namespace | toJson }}],
  "schemaVersion": 39,
  "editable": false,
  "refresh": "30s",
  "time": {"from": "now-6h", "to": "now"},
  "templating": {"list": [{"name": "datasource", "type": "datasource", "query": "prometheus"}]},
  "panels": [
    {"id": 1, "type": "stat", "title": "Pods up", "datasource": {{ toJson $ds }},
     "gridPos": {"x": 0, "y": 0, "w": 6, "h": 6},
     "targets": [{"refId": "A", "expr": {{ printf "sum(up{%s})" $job | toJson }}}]},
    {"id": 2, "type": "stat", "title": "Restarts (1h)", "datasource": {{ toJson $ds }},
     "gridPos": {"x": 6, "y": 0, "w": 6, "h": 6},
     "targets": [{"refId": "A", "expr": {{ printf "sum(increase(kube_pod_container_status_restarts_total{%s}[1h]))" $container | toJson }}}]},
    {"id": 3, "type": "timeseries", "title": "CPU (cores)", "datasource": {{ toJson $ds }},
     "gridPos": {"x": 0, "y": 6, "w": 12, "h": 8},
     "targets": [{"refId": "A", "legendFormat": "{{ "{{pod}}" }}", "expr": {{ printf "sum by (pod) (rate(container_cpu_usage_seconds_total{%s}[5m]))" $container | toJson }}}]},
    {"id": 4, "type": "timeseries", "title": "Memory (working set)", "datasource": {{ toJson $ds }},
     "gridPos": {"x": 12, "y": 6, "w": 12, "h": 8}, "fieldConfig": {"defaults": {"unit": "bytes"}, "overrides": []},
     "targets": [{"refId": "A", "legendFormat": "{{ "{{pod}}" }}", "expr": {{ printf "sum by (pod) (container_memory_working_set_bytes{%s})" $container | toJson }}}]}
  ]
}
{{- end }}

{{- define "common.dashboard" -}}
{{- $name := include "common.name" . -}}
---
apiVersion: v1
kind: ConfigMap
{{ include "common.metadata" (dict "ctx" . "name" (printf "%s-dashboard" $name) "labels" (dict "grafana_dashboard" "1")) }}
data:
  {{ $name }}.json: |
    {{- include "common.dashboard.json" . | nindent 4 }}
{{- end }}
