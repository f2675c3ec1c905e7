{{/* Shared by cluster-base's templates: the environment block, labels, the SecretStore API version. */}}

{{/* The environment: block as YAML, each field the templates use checked, with the file to fix. */}}
{{- define "cluster-base.environment" -}}
{{- $env := get .Values "environment" | default dict -}}
{{- $secrets := get $env "secrets" | default dict -}}
{{- $name := get $env "name" | default "<env>" -}}
{{- range $field := list "name" "namespace" "region" -}}
{{- if not (get $env $field) -}}
{{- fail (printf "environment.%s is empty: cluster-base needs the environment: block that Argo CD passes from environments/%s/env.yaml (helm.valuesObject); set %s there, or with plain helm pass the block in a file with -f" $field $name $field) -}}
{{- end -}}
{{- end -}}
{{- range $field := list "store" "roleArn" -}}
{{- if not (get $secrets $field) -}}
{{- fail (printf "environment.secrets.%s is empty: set secrets.%s in environments/%s/env.yaml (the SecretStore reads AWS Secrets Manager with it)" $field $field $name) -}}
{{- end -}}
{{- end -}}
{{- toYaml $env -}}
{{- end }}

{{- define "cluster-base.labels" -}}
app.kubernetes.io/name: cluster-base
app.kubernetes.io/instance: cluster-base
app.kubernetes.io/component: cluster-base
app.kubernetes.io/part-of: berth
app.kubernetes.io/managed-by: {{ .Release.Service }}
{{- end }}

{{/* external-secrets.io/v1 where the cluster serves it (ESO 0.17+), v1beta1 on older operators. */}}
{{- define "cluster-base.secretStoreApiVersion" -}}
{{- ternary "external-secrets.io/v1" "external-secrets.io/v1beta1" (.Capabilities.APIVersions.Has "external-secrets.io/v1") -}}
{{- end }}

{{/* The Pod Security version: pinned to the cluster's minor version unless podSecurity.version says otherwise. */}}
{{- define "cluster-base.podSecurityVersion" -}}
{{- .Values.podSecurity.version | default (printf "v%s.%s" .Capabilities.KubeVersion.Major (trimSuffix "+" .Capabilities.KubeVersion.Minor)) -}}
{{- end }}
