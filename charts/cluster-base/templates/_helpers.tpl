{{/* Shared by cluster-base's templates: the environment block, labels, the SecretStore API version. */}}

{{/*
The environment: block as YAML, each field the templates use required, with the file to fix. helm lint renders on
past a missing required value (it only reports it), so then the block is empty and the templates render nothing
instead of dereferencing nil; helm template and Argo CD stop at the message.
*/}}
{{- define "cluster-base.environment" -}}
{{- $env := get .Values "environment" | default dict -}}
{{- $secrets := get $env "secrets" | default dict -}}
{{- $name := get $env "name" | default "<env>" -}}
{{- $complete := true -}}
{{- range $field := list "name" "namespace" "region" -}}
{{- $_ := required (printf "environment.%s is empty: cluster-base needs the environment: block that Argo CD passes from environments/%s/env.yaml (helm.valuesObject); set %s there, or with plain helm pass the block in a file with -f (as ci/environment-values.yaml does)" $field $name $field) (get $env $field) -}}
{{- if not (get $env $field) }}{{ $complete = false }}{{ end -}}
{{- end -}}
{{- range $field := list "store" "roleArn" -}}
{{- $_ := required (printf "environment.secrets.%s is empty: set secrets.%s in environments/%s/env.yaml (the SecretStore reads AWS Secrets Manager with it)" $field $field $name) (get $secrets $field) -}}
{{- if not (get $secrets $field) }}{{ $complete = false }}{{ end -}}
{{- end -}}
{{- if $complete }}{{ toYaml $env }}{{ end -}}
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
