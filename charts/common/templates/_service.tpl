{{/* The Service clients use, and for stateful services the headless Service that names each pod. */}}

{{- define "common.service.ports" -}}
- name: http
  port: {{ int .Values.service.port }}
  targetPort: http
  protocol: TCP
  {{- if and .Values.service.nodePort (ne .Values.service.type "ClusterIP") }}
  nodePort: {{ int .Values.service.nodePort }}
  {{- end }}
{{- if include "common.hasMetricsPort" . }}
- name: metrics
  port: {{ int .Values.monitoring.port }}
  targetPort: metrics
  protocol: TCP
{{- end }}
{{- end }}

{{- define "common.service" -}}
---
apiVersion: v1
kind: Service
{{ include "common.metadata" (dict "ctx" .) }}
spec:
  type: {{ .Values.service.type }}
  selector:
    {{- include "common.labels.selector" . | nindent 4 }}
  ports:
    {{- include "common.service.ports" . | nindent 4 }}
{{- end }}

{{- define "common.service.headless" -}}
---
apiVersion: v1
kind: Service
{{- /* the extra label keeps the ServiceMonitor from scraping each pod twice */}}
{{ include "common.metadata" (dict "ctx" . "name" (printf "%s-headless" (include "common.name" .)) "labels" (dict "berth.dev/headless" "true")) }}
spec:
  clusterIP: None
  # peers find each other before they are ready (e.g. while a replica catches up)
  publishNotReadyAddresses: true
  selector:
    {{- include "common.labels.selector" . | nindent 4 }}
  ports:
    - name: http
      port: {{ int .Values.service.port }}
      targetPort: http
      protocol: TCP
{{- end }}
