{{/*
The library's defaults, merged under the service's values by common.values.init.
They live in a template, not in a values.yaml: helm would copy a library's values.yaml into
every service's values under `common:`, and the schema would have to allow all of it.
They are JSON rather than YAML because every chart of a render parses them, and helm parses JSON several times
faster (parsing them as YAML took a tenth of a hundred-chart render).
Keep this in step with docs/values-contract.md and values.schema.json.
*/}}
{{- define "common.defaults" -}}
{
  "nameOverride": "",
  "kind": "stateless",
  "component": "",
  "image": {"repository": "", "tag": "", "digest": "", "pullPolicy": "IfNotPresent"},
  "replicas": 1,
  "containerPort": 8080,
  "command": [],
  "args": [],
  "env": {},
  "config": {},
  "secrets": {"refreshInterval": "1h", "items": []},
  "service": {"type": "ClusterIP", "port": 80, "nodePort": null},
  "ingress": {"enabled": false, "host": "", "path": "/", "pathType": "Prefix", "healthCheckPath": "/healthz"},
  "probes": {
    "liveness": {
      "httpGet": {"path": "/healthz", "port": "http"},
      "periodSeconds": 10, "timeoutSeconds": 2, "failureThreshold": 3
    },
    "readiness": {
      "httpGet": {"path": "/healthz", "port": "http"},
      "periodSeconds": 5, "timeoutSeconds": 2, "failureThreshold": 3
    },
    "startup": {}
  },
  "resources": {"requests": {"cpu": "100m", "memory": "128Mi"}, "limits": {"memory": "256Mi"}},
  "podSecurityContext": {
    "runAsNonRoot": true, "runAsUser": 10001, "runAsGroup": 10001, "fsGroup": 10001,
    "seccompProfile": {"type": "RuntimeDefault"}
  },
  "securityContext": {
    "allowPrivilegeEscalation": false, "readOnlyRootFilesystem": true, "runAsNonRoot": true, "privileged": false,
    "capabilities": {"drop": ["ALL"]}
  },
  "writablePaths": ["/tmp"],
  "serviceAccount": {"create": true, "roleArn": "", "automountToken": false},
  "autoscaling": {
    "enabled": false, "minReplicas": 2, "maxReplicas": 10,
    "targetCPUUtilizationPercentage": 70, "targetMemoryUtilizationPercentage": null
  },
  "pdb": {"enabled": false, "maxUnavailable": 1},
  "networkPolicy": {"enabled": true, "allowFrom": []},
  "schedule": "",
  "concurrencyPolicy": "Forbid",
  "startingDeadlineSeconds": null,
  "successfulJobsHistoryLimit": 3,
  "failedJobsHistoryLimit": 1,
  "activeDeadlineSeconds": null,
  "backoffLimit": 6,
  "persistence": {"name": "data", "size": "10Gi", "mountPath": "/data", "storageClassName": "gp3", "accessModes": ["ReadWriteOnce"]},
  "monitoring": {
    "enabled": false, "path": "/metrics", "port": "http", "interval": "30s", "namespace": "monitoring",
    "labels": {}, "rules": [], "dashboard": true
  },
  "podAnnotations": {},
  "podLabels": {},
  "nodeSelector": {},
  "tolerations": [],
  "affinity": {},
  "topologySpreadConstraints": [],
  "terminationGracePeriodSeconds": 30,
  {{- /* the environment: block comes from env.yaml through the Application; these empty strings only
  let templates read it safely, and common.validate names whatever a rendered object needs */}}
  "environment": {
    "name": "", "namespace": "", "domain": "", "region": "", "vpcCidr": "",
    "alb": {"groupName": "", "scheme": "", "certificateArn": "", "sslPolicy": ""},
    "secrets": {"store": "", "prefix": "", "roleArn": ""}
  }
}
{{- end }}

{{/*
Replaces .Values with the defaults overlaid by the service's values (maps merge key by key,
like helm's own value files; lists and scalars replace). A probe the service sets replaces the
default probe whole, so switching httpGet to exec or tcpSocket never leaves both handlers.
*/}}
{{- define "common.values.init" -}}
{{- $userProbes := get .Values "probes" | default dict -}}
{{- $merged := mustMergeOverwrite (fromJson (include "common.defaults" .)) (deepCopy .Values) -}}
{{- range $probe := list "liveness" "readiness" "startup" -}}
{{- if hasKey $userProbes $probe -}}
{{- $_ := set $merged.probes $probe (get $userProbes $probe | default dict) -}}
{{- end -}}
{{- end -}}
{{- $_ := set . "Values" $merged -}}
{{- /* worked out once here, not for each object: the version label alone costs two regular expressions */}}
{{- $_ := set . "BerthLabels" (include "common.labels.compute" .) -}}
{{- end }}
