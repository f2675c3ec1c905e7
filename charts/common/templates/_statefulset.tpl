{{/* StatefulSet of a stateful service: stable identity through <name>-headless, one volume per pod. */}}
{{- define "common.statefulset" -}}
{{- $name := include "common.name" . -}}
---
apiVersion: apps/v1
kind: StatefulSet
{{ include "common.metadata" (dict "ctx" .) }}
spec:
  {{- if not .Values.autoscaling.enabled }}
  replicas: {{ int .Values.replicas }}
  {{- end }}
  serviceName: {{ $name }}-headless
  podManagementPolicy: OrderedReady
  revisionHistoryLimit: 5
  updateStrategy:
    type: RollingUpdate
  selector:
    matchLabels:
      {{- include "common.labels.selector" . | nindent 6 }}
  template:
    {{- include "common.podTemplate" . | nindent 4 }}
  volumeClaimTemplates:
    - metadata:
        name: {{ .Values.persistence.name }}
        labels:
          {{- include "common.labels.selector" . | nindent 10 }}
      spec:
        accessModes:
          {{- toYaml .Values.persistence.accessModes | nindent 10 }}
        storageClassName: {{ .Values.persistence.storageClassName }}
        resources:
          requests:
            storage: {{ .Values.persistence.size | quote }}
{{- end }}
