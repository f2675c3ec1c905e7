{{/* The pod template shared by the Deployment, the StatefulSet and the CronJob: one hardened container. */}}

{{/* Plain environment, sorted by name; a map value is an EnvVar body (valueFrom: ...). */}}
{{- define "common.container.env" -}}
{{- range $name, $value := .Values.env }}
- name: {{ $name }}
  {{- if kindIs "map" $value }}
  {{- toYaml $value | nindent 2 }}
  {{- else }}
  value: {{ include "common.scalar" $value | quote }}
  {{- end }}
{{- end }}
{{- end }}

{{/* The emptyDir volume name of a writable path: /var/run/postgresql -> writable-var-run-postgresql. */}}
{{- define "common.writableVolume" -}}
{{- printf "writable-%s" (regexReplaceAll "[^a-z0-9]+" (lower .) "-" | trimAll "-") | trunc 63 | trimSuffix "-" -}}
{{- end }}

{{- define "common.podTemplate" -}}
{{- $name := include "common.name" . -}}
{{- $scheduled := eq .Values.kind "scheduled" -}}
metadata:
  labels:
    {{- include "common.labels" . | nindent 4 }}
    {{- with .Values.podLabels }}
    {{- toYaml . | nindent 4 }}
    {{- end }}
  annotations:
    checksum/config: {{ include "common.checksum" . | quote }}
    {{- range $key, $value := .Values.podAnnotations }}
    {{ $key }}: {{ include "common.scalar" $value | quote }}
    {{- end }}
spec:
  {{- if $scheduled }}
  # a Job's pod runs to completion: a failed container restarts in place, up to backoffLimit
  restartPolicy: OnFailure
  {{- end }}
  serviceAccountName: {{ ternary $name "default" .Values.serviceAccount.create }}
  automountServiceAccountToken: {{ .Values.serviceAccount.automountToken }}
  # service links would put a variable per Service of the namespace into the environment
  enableServiceLinks: false
  securityContext:
    {{- toYaml .Values.podSecurityContext | nindent 4 }}
  terminationGracePeriodSeconds: {{ int .Values.terminationGracePeriodSeconds }}
  {{- with .Values.nodeSelector }}
  nodeSelector:
    {{- toYaml . | nindent 4 }}
  {{- end }}
  {{- with .Values.tolerations }}
  tolerations:
    {{- toYaml . | nindent 4 }}
  {{- end }}
  {{- with .Values.affinity }}
  affinity:
    {{- toYaml . | nindent 4 }}
  {{- end }}
  {{- with .Values.topologySpreadConstraints }}
  topologySpreadConstraints:
    {{- range . }}
    {{- /* one constraint in environments/<env>/values.yaml serves every service: it selects this service's pods */}}
    {{- $constraint := deepCopy . }}
    {{- if not (hasKey $constraint "labelSelector") }}
    {{- $_ := set $constraint "labelSelector" (dict "matchLabels" (fromYaml (include "common.labels.selector" $))) }}
    {{- end }}
    - {{ toYaml $constraint | nindent 6 | trim }}
    {{- end }}
  {{- end }}
  containers:
    - name: {{ $name }}
      image: {{ include "common.image" . | quote }}
      imagePullPolicy: {{ .Values.image.pullPolicy }}
      {{- with .Values.command }}
      command:
        {{- toYaml . | nindent 8 }}
      {{- end }}
      {{- with .Values.args }}
      args:
        {{- toYaml . | nindent 8 }}
      {{- end }}
      ports:
        - name: http
          containerPort: {{ int .Values.containerPort }}
          protocol: TCP
        {{- if include "common.hasMetricsPort" . }}
        - name: metrics
          containerPort: {{ int .Values.monitoring.port }}
          protocol: TCP
        {{- end }}
      {{- with include "common.container.env" . | trim }}
      env:
        {{- . | nindent 8 }}
      {{- end }}
      {{- if or .Values.config .Values.secrets.items }}
      envFrom:
        {{- if .Values.config }}
        - configMapRef:
            name: {{ $name }}-config
        {{- end }}
        {{- if .Values.secrets.items }}
        - secretRef:
            name: {{ $name }}-secrets
        {{- end }}
      {{- end }}
      {{- /* a scheduled run is not a long-running server: nothing to keep alive or route to */}}
      {{- if not $scheduled }}
      {{- range $probe := list "startup" "liveness" "readiness" }}
      {{- with get $.Values.probes $probe }}
      {{ $probe }}Probe:
        {{- toYaml . | nindent 8 }}
      {{- end }}
      {{- end }}
      {{- end }}
      resources:
        {{- toYaml .Values.resources | nindent 8 }}
      securityContext:
        {{- toYaml .Values.securityContext | nindent 8 }}
      {{- if or .Values.writablePaths (eq .Values.kind "stateful") }}
      volumeMounts:
        {{- range .Values.writablePaths }}
        - name: {{ include "common.writableVolume" . }}
          mountPath: {{ . }}
        {{- end }}
        {{- if eq .Values.kind "stateful" }}
        - name: {{ .Values.persistence.name }}
          mountPath: {{ .Values.persistence.mountPath }}
        {{- end }}
      {{- end }}
  {{- with .Values.writablePaths }}
  # the root filesystem is read-only: each path the process writes to gets its own emptyDir
  volumes:
    {{- range . }}
    - name: {{ include "common.writableVolume" . }}
      emptyDir: {}
    {{- end }}
  {{- end }}
{{- end }}
