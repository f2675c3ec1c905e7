{{/* The service's own ServiceAccount; an IAM role (IRSA) when the service calls AWS. */}}
{{- define "common.serviceaccount" -}}
---
apiVersion: v1
kind: ServiceAccount
{{ include "common.metadata" (dict "ctx" .) }}
  {{- with .Values.serviceAccount.roleArn }}
  annotations:
    eks.amazonaws.com/role-arn: {{ . | quote }}
  {{- end }}
automountServiceAccountToken: {{ .Values.serviceAccount.automountToken }}
{{- end }}
