{{/*
ExternalSecret <name>: External Secrets Operator copies the listed AWS Secrets Manager entries
into the Secret <name>-secrets. Git only ever holds the keys, never a secret value.
*/}}

{{/* external-secrets.io/v1 where the cluster serves it (ESO 0.17+), v1beta1 on older operators. */}}
{{- define "common.externalsecret.apiVersion" -}}
{{- ternary "external-secrets.io/v1" "external-secrets.io/v1beta1" (.Capabilities.APIVersions.Has "external-secrets.io/v1") -}}
{{- end }}

{{/* The spec (empty without items); also hashed into checksum/config, so a new key rolls the pods. */}}
{{- define "common.externalsecret.spec" -}}
{{- if .Values.secrets.items -}}
refreshInterval: {{ .Values.secrets.refreshInterval | quote }}
secretStoreRef:
  kind: SecretStore
  name: {{ .Values.environment.secrets.store }}
target:
  name: {{ include "common.name" . }}-secrets
  creationPolicy: Owner
  deletionPolicy: Retain
data:
  {{- range .Values.secrets.items }}
  - secretKey: {{ .env }}
    remoteRef:
      key: {{ printf "%s%s" ($.Values.environment.secrets.prefix | default "") .key | quote }}
      {{- with get . "property" }}
      property: {{ . | quote }}
      {{- end }}
  {{- end }}
{{- end -}}
{{- end }}

{{- define "common.externalsecret" -}}
---
apiVersion: {{ include "common.externalsecret.apiVersion" . }}
kind: ExternalSecret
{{ include "common.metadata" (dict "ctx" .) }}
spec:
  {{- include "common.externalsecret.spec" . | nindent 2 }}
{{- end }}
