{{/*
Helpers. Most take a context dict: (dict "root" $ "name" $name "svc" $svc)
where $name/$svc are a key/value of .Values.services.
*/}}

{{- define "crm.chart" -}}
{{- printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{/* Kubernetes name of a deployable: <release>-<name>. Also its Service name. */}}
{{- define "crm.fullname" -}}
{{- printf "%s-%s" .root.Release.Name .name | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{/* Python import package: lead-routing -> lead_routing. */}}
{{- define "crm.package" -}}
{{- .svc.package | default (replace "-" "_" .name) -}}
{{- end -}}

{{/* Env prefix: lead-routing -> LEAD_ROUTING_. */}}
{{- define "crm.envPrefix" -}}
{{- printf "%s_" (upper (replace "-" "_" .name)) -}}
{{- end -}}

{{/* A backend serves gRPC; the gateway serves HTTP. */}}
{{- define "crm.isBackend" -}}
{{- if .svc.grpcPort }}true{{ end -}}
{{- end -}}

{{/* The web console (gatewayClient: true) serves HTTP too, but is a client of the gateway's
REST API only: no database, no NATS, no gRPC and no service token; the signed-in user's token
is all it calls with. */}}
{{- define "crm.isConsole" -}}
{{- if .svc.gatewayClient }}true{{ end -}}
{{- end -}}

{{/* The gateway's in-cluster base URL, as the console calls it. */}}
{{- define "crm.gatewayUrl" -}}
{{- $gw := index .root.Values.services "gateway" -}}
{{- printf "http://%s:%v" (include "crm.fullname" (dict "root" .root "name" "gateway")) $gw.httpPort -}}
{{- end -}}

{{/* The Secret holding a console's session cookie keys (WEB_SESSION_KEYS). */}}
{{- define "crm.sessionSecretName" -}}
{{- .svc.sessionKeys.existingSecret | default (printf "%s-session" (include "crm.fullname" .) | trunc 63 | trimSuffix "-") -}}
{{- end -}}

{{- define "crm.selectorLabels" -}}
app.kubernetes.io/name: {{ .root.Chart.Name }}
app.kubernetes.io/instance: {{ .root.Release.Name }}
app.kubernetes.io/component: {{ .name }}
{{- end -}}

{{- define "crm.labels" -}}
{{ include "crm.selectorLabels" . }}
app.kubernetes.io/part-of: crm
app.kubernetes.io/version: {{ .root.Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .root.Release.Service }}
helm.sh/chart: {{ include "crm.chart" .root }}
{{- end -}}

{{/* Labels of a service's migration Job pods (not selected by its Service). */}}
{{- define "crm.migrateLabels" -}}
app.kubernetes.io/name: {{ .root.Chart.Name }}
app.kubernetes.io/instance: {{ .root.Release.Name }}
app.kubernetes.io/component: {{ .name }}-migrate
app.kubernetes.io/part-of: crm
app.kubernetes.io/version: {{ .root.Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .root.Release.Service }}
helm.sh/chart: {{ include "crm.chart" .root }}
{{- end -}}

{{- define "crm.image" -}}
{{- $g := .root.Values.global -}}
{{- $repo := .svc.image.repository -}}
{{- if $g.imageRegistry }}{{ $repo = printf "%s/%s" (trimSuffix "/" $g.imageRegistry) $repo }}{{ end -}}
{{- $tag := .svc.image.tag | default $g.imageTag | default .root.Chart.AppVersion -}}
{{- if .svc.image.digest -}}
{{- printf "%s:%s@%s" $repo (toString $tag) .svc.image.digest -}}
{{- else -}}
{{- printf "%s:%s" $repo (toString $tag) -}}
{{- end -}}
{{- end -}}

{{/* Name of the Secret holding <P>DATABASE_URL. */}}
{{- define "crm.dbSecretName" -}}
{{- $db := .svc.database | default dict -}}
{{- if and $db.existingSecret $db.url -}}
{{- fail (printf "services.%s.database: set either existingSecret or url, not both" .name) -}}
{{- end -}}
{{- $db.existingSecret | default (printf "%s-db" (include "crm.fullname" .)) -}}
{{- end -}}

{{- define "crm.dbSecretKey" -}}
{{- $db := .svc.database | default dict -}}
{{- $db.existingSecretKey | default "DATABASE_URL" -}}
{{- end -}}

{{/*
Plain (non-secret) settings of a service as a YAML map of env var -> string.
Used by the ConfigMap and, inline, by the migration Job (a pre-install hook
runs before the ConfigMap exists).
*/}}
{{- define "crm.configData" -}}
{{- $root := .root -}}
{{- $p := include "crm.envPrefix" . -}}
{{- $out := dict -}}
{{- $_ := set $out (printf "%sLOG_LEVEL" $p) (.svc.logLevel | default $root.Values.global.logLevel) -}}
{{- $console := include "crm.isConsole" . -}}
{{- /* Every service, the gateway too (it delivers notifications), talks to NATS; the console does not. */ -}}
{{- if and (not $root.Values.nats.existingSecret) (not $console) -}}
{{- if $root.Values.natsCluster.enabled -}}
{{- $_ := set $out (printf "%sNATS_URL" $p) (include "crm.natsClusterUrl" $root) -}}
{{- else -}}
{{- $_ := set $out (printf "%sNATS_URL" $p) (required "nats.url is required (or nats.existingSecret)" $root.Values.nats.url) -}}
{{- end -}}
{{- end -}}
{{- if include "crm.isBackend" . -}}
{{- /* The services provision the streams; the gateway keeps the replicas they set. */ -}}
{{- $_ := set $out (printf "%sSTREAM_REPLICAS" $p) (include "crm.streamReplicas" $root) -}}
{{- /* SIGTERM: unready at once, new calls refused after the delay (endpoints and DNS have
dropped the pod by then), in-flight work given the grace; all within the pod's grace period. */ -}}
{{- $drain := $root.Values.drain -}}
{{- if ge (add $drain.delaySeconds $drain.graceSeconds) (int $root.Values.terminationGracePeriodSeconds) -}}
{{- fail "drain.delaySeconds + drain.graceSeconds must stay below terminationGracePeriodSeconds" -}}
{{- end -}}
{{- $_ := set $out (printf "%sDRAIN_DELAY_S" $p) (toString $drain.delaySeconds) -}}
{{- $_ := set $out (printf "%sSHUTDOWN_GRACE_S" $p) (toString $drain.graceSeconds) -}}
{{- $_ := set $out (printf "%sGRPC_PORT" $p) (toString .svc.grpcPort) -}}
{{- $_ := set $out (printf "%sMETRICS_PORT" $p) (toString .svc.metricsPort) -}}
{{- else -}}
{{- $_ := set $out (printf "%sHTTP_PORT" $p) (toString .svc.httpPort) -}}
{{- $_ := set $out (printf "%sHTTP_HOST" $p) "0.0.0.0" -}}
{{- if $console -}}
{{- $_ := set $out (printf "%sGATEWAY_URL" $p) (include "crm.gatewayUrl" .) -}}
{{- /* Browsers reach it over HTTPS only (the ingress in front): session cookies are Secure. */ -}}
{{- $_ := set $out (printf "%sCOOKIE_SECURE" $p) "true" -}}
{{- else -}}
{{- /* The gateway reaches every backend through its headless Service, balancing over its pods. */ -}}
{{- range $bname, $bsvc := $root.Values.services -}}
{{- $b := dict "root" $root "name" $bname "svc" $bsvc -}}
{{- if include "crm.isBackend" $b -}}
{{- $_ := set $out (printf "%s%s_ADDR" $p (upper (replace "-" "_" $bname))) (include "crm.grpcAddress" $b) -}}
{{- end -}}
{{- end -}}
{{- end -}}
{{- end -}}
{{- range $peer := (.svc.grpcPeers | default list) -}}
{{- $psvc := index $root.Values.services $peer -}}
{{- $pctx := dict "root" $root "name" $peer "svc" $psvc -}}
{{- $_ := set $out (printf "%s%s_ADDR" $p (upper (replace "-" "_" $peer))) (include "crm.grpcAddress" $pctx) -}}
{{- end -}}
{{- range $k, $v := (.svc.env | default dict) -}}
{{- $_ := set $out (printf "%s%s" $p $k) (toString $v) -}}
{{- end -}}
{{- if not (or (include "crm.isBackend" .) $console) -}}
{{- /* Never the built-in dev issuer in a cluster. */ -}}
{{- $_ := set $out (printf "%sDEV_AUTH" $p) "false" -}}
{{- end -}}
{{- $_ := include "crm.blobStoreConfig" (dict "ctx" . "out" $out) -}}
{{- with .svc.userDirectory -}}
{{- $_ := set $out (printf "%sUSER_DIRECTORY_PATH" $p) (printf "%s/%s" (include "crm.userDirectoryMount" $) (.key | default "users.json")) -}}
{{- end -}}
{{- toYaml $out -}}
{{- end -}}

{{/* Name of the Secret holding the service token key (every deployable). */}}
{{- define "crm.serviceTokenSecretName" -}}
{{- .Values.serviceToken.existingSecret | default (printf "%s-service-token" .Release.Name | trunc 63 | trimSuffix "-") -}}
{{- end -}}

{{/* Where a service's user directory ConfigMap is mounted. */}}
{{- define "crm.userDirectoryMount" -}}
/etc/crm/users
{{- end -}}

{{/* Name of the ConfigMap holding a service's user directory. */}}
{{- define "crm.userDirectoryConfigMap" -}}
{{- .svc.userDirectory.existingConfigMap | default (printf "%s-users" (include "crm.fullname" .)) -}}
{{- end -}}

{{/* Secret-sourced env of a service (service token key, database URL, optional NATS URL;
the console's session cookie keys only). */}}
{{- define "crm.secretEnv" -}}
{{- $p := include "crm.envPrefix" . -}}
{{- if include "crm.isConsole" . }}
- name: {{ $p }}SESSION_KEYS
  valueFrom:
    secretKeyRef:
      name: {{ include "crm.sessionSecretName" . }}
      key: {{ .svc.sessionKeys.existingSecretKey | default "WEB_SESSION_KEYS" }}
{{- else }}
{{- $token := .root.Values.serviceToken }}
- name: CRM_SERVICE_TOKEN_KEY
  valueFrom:
    secretKeyRef:
      name: {{ include "crm.serviceTokenSecretName" .root }}
      key: {{ $token.existingSecretKey | default "CRM_SERVICE_TOKEN_KEY" }}
{{- if $token.previousKeysSecretKey }}
- name: CRM_SERVICE_TOKEN_PREVIOUS_KEYS
  valueFrom:
    secretKeyRef:
      name: {{ include "crm.serviceTokenSecretName" .root }}
      key: {{ $token.previousKeysSecretKey }}
      optional: true
{{- end }}
- name: {{ $p }}DATABASE_URL
  valueFrom:
    secretKeyRef:
      name: {{ include "crm.dbSecretName" . }}
      key: {{ include "crm.dbSecretKey" . }}
{{- if .root.Values.nats.existingSecret }}
- name: {{ $p }}NATS_URL
  valueFrom:
    secretKeyRef:
      name: {{ .root.Values.nats.existingSecret }}
      key: {{ .root.Values.nats.existingSecretKey | default "NATS_URL" }}
{{- end }}
{{- with .svc.blobStore }}{{ if and (eq .type "s3") .s3.existingSecret }}
- name: {{ $p }}S3_ACCESS_KEY_ID
  valueFrom:
    secretKeyRef:
      name: {{ .s3.existingSecret }}
      key: {{ .s3.accessKeyIdKey | default "AWS_ACCESS_KEY_ID" }}
- name: {{ $p }}S3_SECRET_ACCESS_KEY
  valueFrom:
    secretKeyRef:
      name: {{ .s3.existingSecret }}
      key: {{ .s3.secretAccessKeyKey | default "AWS_SECRET_ACCESS_KEY" }}
{{- end }}{{ end }}
{{- end }}
{{- with .svc.extraEnv }}
{{ toYaml . }}
{{- end }}
{{- end -}}

{{/* A blob store's settings (document-versioning's blobStore) into the config dict `out`. */}}
{{- define "crm.blobStoreConfig" -}}
{{- $p := include "crm.envPrefix" .ctx -}}
{{- $svc := .ctx.svc -}}
{{- with $svc.blobStore -}}
{{- if not (has .type (list "filesystem" "s3")) -}}
{{- fail (printf "services.%s.blobStore.type must be filesystem or s3, not %v" $.ctx.name .type) -}}
{{- end -}}
{{- $_ := set $.out (printf "%sBLOB_STORE" $p) .type -}}
{{- if eq .type "filesystem" -}}
{{- $_ := set $.out (printf "%sBLOB_DIR" $p) .filesystem.mountPath -}}
{{- else -}}
{{- $_ := set $.out (printf "%sS3_BUCKET" $p) (required (printf "services.%s.blobStore.s3.bucket is required for the s3 blob store" $.ctx.name) .s3.bucket) -}}
{{- $_ := set $.out (printf "%sS3_REGION" $p) (.s3.region | default "us-east-1") -}}
{{- with .s3.endpoint }}{{ $_ := set $.out (printf "%sS3_ENDPOINT" $p) . }}{{ end -}}
{{- with .s3.prefix }}{{ $_ := set $.out (printf "%sS3_PREFIX" $p) . }}{{ end -}}
{{- end -}}
{{- end -}}
{{- with $svc.maxContentBytes -}}
{{- $_ := set $.out (printf "%sMAX_CONTENT_BYTES" $p) (toString (int64 .)) -}}
{{- end -}}
{{- with $svc.contentLimits -}}
{{- $_ := set $.out (printf "%sCONTENT_LIMITS" $p) (toJson .) -}}
{{- end -}}
{{- end -}}

{{/* Is a service's blob store a mounted volume (filesystem)? */}}
{{- define "crm.blobVolume" -}}
{{- with .svc.blobStore }}{{ if eq .type "filesystem" }}true{{ end }}{{ end -}}
{{- end -}}

{{/* The claim a filesystem blob store mounts. */}}
{{- define "crm.blobClaim" -}}
{{- .svc.blobStore.filesystem.existingClaim | default (printf "%s-blobs" (include "crm.fullname" .) | trunc 63 | trimSuffix "-") -}}
{{- end -}}

{{- define "crm.podSecurityContext" -}}
runAsNonRoot: true
runAsUser: 10001
runAsGroup: 10001
fsGroup: 10001
seccompProfile:
  type: RuntimeDefault
{{- end -}}

{{- define "crm.containerSecurityContext" -}}
runAsNonRoot: true
runAsUser: 10001
runAsGroup: 10001
allowPrivilegeEscalation: false
readOnlyRootFilesystem: true
privileged: false
capabilities:
  drop:
    - ALL
seccompProfile:
  type: RuntimeDefault
{{- end -}}

{{/* A NetworkPolicyPeer from {namespaceSelector, podSelector} (either optional), as a one-item list. */}}
{{- define "crm.peer" -}}
{{- $peer := dict -}}
{{- with .namespaceSelector }}{{ $_ := set $peer "namespaceSelector" . }}{{ end -}}
{{- with .podSelector }}{{ $_ := set $peer "podSelector" . }}{{ end -}}
{{- toYaml (list $peer) -}}
{{- end -}}

{{/* PostgreSQL through the CloudNativePG operator (postgresql.cnpg): the Cluster's name. */}}
{{- define "crm.cnpgCluster" -}}
{{- .Values.postgresql.cnpg.clusterName | default (printf "%s-pg" .Release.Name) | trunc 50 | trimSuffix "-" -}}
{{- end -}}

{{/* The Pooler's name (also its Service): clients connect here, not to the instances. */}}
{{- define "crm.cnpgPooler" -}}
{{- printf "%s-pooler-rw" (include "crm.cnpgCluster" .) -}}
{{- end -}}

{{/* Host the services connect to: the pooler, or the Cluster's read-write Service without one. */}}
{{- define "crm.cnpgHost" -}}
{{- if .Values.postgresql.cnpg.pooler.enabled }}{{ include "crm.cnpgPooler" . }}{{ else }}{{ printf "%s-rw" (include "crm.cnpgCluster" .) }}{{ end -}}
{{- end -}}

{{/* Does the chart make this service's role, database and DATABASE_URL in the CNPG Cluster?
Only with postgresql.cnpg.enabled and neither database.existingSecret nor database.url set. */}}
{{- define "crm.cnpgManaged" -}}
{{- $db := .svc.database | default dict -}}
{{- if and .root.Values.postgresql.cnpg.enabled (not $db.existingSecret) (not $db.url) (not (include "crm.isConsole" .)) }}true{{ end -}}
{{- end -}}

{{/* A service's own role and database in the CNPG Cluster (lead-routing -> lead_routing). */}}
{{- define "crm.dbName" -}}
{{- (.svc.database | default dict).name | default (include "crm.package" .) -}}
{{- end -}}

{{/* The basic-auth Secret holding that role's password (read by CNPG's managed roles). */}}
{{- define "crm.dbRoleSecret" -}}
{{- printf "%s-pg-role" (include "crm.fullname" .) | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{/* NATS in this release (natsCluster, the official NATS chart): its client Service. */}}
{{- define "crm.natsClusterUrl" -}}
{{- $n := .Values.natsCluster -}}
{{- $host := $n.fullnameOverride | default (printf "%s-%s" .Release.Name ($n.nameOverride | default "nats")) -}}
{{- printf "nats://%s:%v" $host ((($n.config | default dict).nats | default dict).port | default 4222) -}}
{{- end -}}

{{/* Copies of every JetStream stream (<PREFIX>STREAM_REPLICAS): nats.streamReplicas, else
the NATS cluster's size when it runs in this release, else 1. */}}
{{- define "crm.streamReplicas" -}}
{{- if .Values.nats.streamReplicas }}{{ .Values.nats.streamReplicas }}
{{- else if .Values.natsCluster.enabled }}{{ .Values.natsCluster.config.cluster.replicas | default 3 }}
{{- else }}1{{ end -}}
{{- end -}}

{{/* gRPC address of a backend: client-side balanced over its pods (dns:/// on the headless
Service, round_robin in crm_shared.grpc_client) or the ClusterIP Service (grpc.clientSideBalancing). */}}
{{- define "crm.grpcAddress" -}}
{{- if .root.Values.grpc.clientSideBalancing -}}
{{- printf "dns:///%s:%v" (include "crm.headlessName" .) .svc.grpcPort -}}
{{- else -}}
{{- printf "%s:%v" (include "crm.fullname" .) .svc.grpcPort -}}
{{- end -}}
{{- end -}}

{{/* The headless Service of a backend: one DNS record per ready pod. */}}
{{- define "crm.headlessName" -}}
{{- printf "%s-headless" (include "crm.fullname" .) | trunc 63 | trimSuffix "-" -}}
{{- end -}}
