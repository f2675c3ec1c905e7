{{/*
CronJob of a scheduled service: the shared pod template, run to completion on .Values.schedule.
The pods restart OnFailure (a Job's pod may not restart Always) and have no probes: nothing routes
traffic to them, and a run that hangs is ended by activeDeadlineSeconds, not by a liveness probe.
*/}}
{{- define "common.cronjob" -}}
---
apiVersion: batch/v1
kind: CronJob
{{ include "common.metadata" (dict "ctx" .) }}
spec:
  schedule: {{ .Values.schedule | quote }}
  concurrencyPolicy: {{ .Values.concurrencyPolicy }}
  {{- if not (kindIs "invalid" .Values.startingDeadlineSeconds) }}
  {{- /* a run that could not start within this many seconds of its time is skipped, not counted as missed */}}
  startingDeadlineSeconds: {{ int .Values.startingDeadlineSeconds }}
  {{- end }}
  successfulJobsHistoryLimit: {{ int .Values.successfulJobsHistoryLimit }}
  failedJobsHistoryLimit: {{ int .Values.failedJobsHistoryLimit }}
  jobTemplate:
    metadata:
      labels:
        {{- include "common.labels" . | nindent 8 }}
    spec:
      {{- if not (kindIs "invalid" .Values.activeDeadlineSeconds) }}
      activeDeadlineSeconds: {{ int .Values.activeDeadlineSeconds }}
      {{- end }}
      backoffLimit: {{ int .Values.backoffLimit }}
      template:
        {{- include "common.podTemplate" . | nindent 8 }}
{{- end }}
