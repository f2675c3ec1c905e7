{{/*
Ingress for the AWS Load Balancer Controller. Every service of an environment joins one ALB
through group.name, so the group-wide annotations come from environment.alb alone and are
identical on every Ingress of the environment; only the health-check path is per service.
*/}}

{{/* The annotations every Ingress of the environment carries, as a dict. */}}
{{- define "common.ingress.albAnnotations" -}}
{{- $alb := .Values.environment.alb -}}
{{- $a := dict
  "alb.ingress.kubernetes.io/group.name" $alb.groupName
  "alb.ingress.kubernetes.io/scheme" $alb.scheme
  "alb.ingress.kubernetes.io/target-type" "ip"
-}}
{{- if $alb.certificateArn -}}
{{- $_ := set $a "alb.ingress.kubernetes.io/certificate-arn" $alb.certificateArn -}}
{{- $_ := set $a "alb.ingress.kubernetes.io/listen-ports" "[{\"HTTP\":80},{\"HTTPS\":443}]" -}}
{{- $_ := set $a "alb.ingress.kubernetes.io/ssl-redirect" "443" -}}
{{- with $alb.sslPolicy }}{{ $_ := set $a "alb.ingress.kubernetes.io/ssl-policy" . }}{{ end -}}
{{- else -}}
{{- /* no certificate, no HTTPS listener */ -}}
{{- $_ := set $a "alb.ingress.kubernetes.io/listen-ports" "[{\"HTTP\":80}]" -}}
{{- end -}}
{{- toYaml $a -}}
{{- end }}

{{/* "api" -> api.<domain>; a name with a dot is used as is; "" -> <name>.<domain>. */}}
{{- define "common.ingress.host" -}}
{{- $host := .Values.ingress.host | default (include "common.name" .) -}}
{{- if contains "." $host -}}
{{- $host -}}
{{- else -}}
{{- printf "%s.%s" $host .Values.environment.domain -}}
{{- end -}}
{{- end }}

{{- define "common.ingress" -}}
{{- $annotations := fromYaml (include "common.ingress.albAnnotations" .) -}}
{{- $_ := set $annotations "alb.ingress.kubernetes.io/healthcheck-path" .Values.ingress.healthCheckPath -}}
---
apiVersion: networking.k8s.io/v1
kind: Ingress
{{ include "common.metadata" (dict "ctx" .) }}
  annotations:
    {{- range $key, $value := $annotations }}
    {{ $key }}: {{ $value | quote }}
    {{- end }}
spec:
  ingressClassName: alb
  rules:
    - host: {{ include "common.ingress.host" . | quote }}
      http:
        paths:
          - path: {{ .Values.ingress.path }}
            pathType: {{ .Values.ingress.pathType }}
            backend:
              service:
                name: {{ include "common.name" . }}
                port:
                  name: http
{{- end }}
