{{/*
NetworkPolicy: only what the service expects may connect. Pods of the services named in
networkPolicy.allowFrom; the VPC when the service sits behind the ALB (target-type ip sends
traffic straight from the ALB's addresses in the VPC to the pods); Prometheus from the
monitoring.namespace when monitoring is on (never for a scheduled service, which is not scraped).
Anything else is denied.
*/}}
{{- define "common.networkpolicy" -}}
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
{{ include "common.metadata" (dict "ctx" .) }}
spec:
  podSelector:
    matchLabels:
      {{- include "common.labels.selector" . | nindent 6 }}
  policyTypes:
    - Ingress
  {{- if not (or .Values.networkPolicy.allowFrom .Values.ingress.enabled (include "common.monitored" .)) }}
  ingress: []
  {{- else }}
  ingress:
    {{- with .Values.networkPolicy.allowFrom }}
    - from:
        {{- range . }}
        - podSelector:
            matchLabels:
              app.kubernetes.io/name: {{ . }}
        {{- end }}
      ports:
        - port: http
          protocol: TCP
    {{- end }}
    {{- if .Values.ingress.enabled }}
    - from:
        - ipBlock:
            cidr: {{ .Values.environment.vpcCidr }}
      ports:
        - port: http
          protocol: TCP
    {{- end }}
    {{- if include "common.monitored" . }}
    - from:
        - namespaceSelector:
            matchLabels:
              kubernetes.io/metadata.name: {{ .Values.monitoring.namespace }}
      ports:
        - port: {{ include "common.metricsPort" . }}
          protocol: TCP
    {{- end }}
  {{- end }}
{{- end }}
