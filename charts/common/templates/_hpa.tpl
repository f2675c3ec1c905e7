{{/* HorizontalPodAutoscaler; the workload then leaves replicas to it. */}}
{{- define "common.hpa" -}}
{{- $a := .Values.autoscaling -}}
---
apiVersion: autoscaling/v2
kind: HorizontalPodAutoscaler
{{ include "common.metadata" (dict "ctx" .) }}
spec:
  scaleTargetRef:
    apiVersion: apps/v1
    kind: {{ ternary "StatefulSet" "Deployment" (eq .Values.kind "stateful") }}
    name: {{ include "common.name" . }}
  minReplicas: {{ int $a.minReplicas }}
  maxReplicas: {{ int $a.maxReplicas }}
  metrics:
    - type: Resource
      resource:
        name: cpu
        target:
          type: Utilization
          averageUtilization: {{ int $a.targetCPUUtilizationPercentage }}
    {{- with $a.targetMemoryUtilizationPercentage }}
    - type: Resource
      resource:
        name: memory
        target:
          type: Utilization
          averageUtilization: {{ int . }}
    {{- end }}
{{- end }}
