{{/*
Names. Everything is prefixed "liteboxd." so a parent chart's helpers cannot collide with ours.
*/}}
{{- define "liteboxd.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/* Release-scoped base name: "liteboxd" for a release called liteboxd, else "<release>-liteboxd". */}}
{{- define "liteboxd.fullname" -}}
{{- if .Values.fullnameOverride }}
{{- .Values.fullnameOverride | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- $name := default .Chart.Name .Values.nameOverride }}
{{- if contains $name .Release.Name }}
{{- .Release.Name | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- printf "%s-%s" .Release.Name $name | trunc 63 | trimSuffix "-" }}
{{- end }}
{{- end }}
{{- end }}

{{/*
"<fullname>-<component>", e.g. liteboxd-api. The base is shortened, never the component, so
long release names cannot make two components' objects collide.
Call with (dict "root" $ "component" "api").
*/}}
{{- define "liteboxd.componentName" -}}
{{- $base := include "liteboxd.fullname" .root | trunc (int (sub 62 (len .component))) | trimSuffix "-" }}
{{- printf "%s-%s" $base .component }}
{{- end }}

{{/* The sandbox namespace; the value may be a template, e.g. "{{ .Release.Namespace }}-sandbox". */}}
{{- define "liteboxd.sandboxNamespace" -}}
{{- $name := tpl .Values.sandboxNamespace.name . -}}
{{- if not (regexMatch "^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$" $name) -}}
{{- fail (printf "sandboxNamespace.name %q is not a valid namespace name" $name) -}}
{{- end -}}
{{- if eq $name .Release.Namespace -}}
{{- fail "sandboxNamespace.name must differ from the release namespace: sandboxes are fenced off from the control plane" -}}
{{- end -}}
{{- $name -}}
{{- end }}

{{- define "liteboxd.chart" -}}
{{- printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/* Labels on every object. */}}
{{- define "liteboxd.labels" -}}
helm.sh/chart: {{ include "liteboxd.chart" . }}
app.kubernetes.io/name: {{ include "liteboxd.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
app.kubernetes.io/part-of: liteboxd
{{- with .Values.commonLabels }}
{{ toYaml . }}
{{- end }}
{{- end }}

{{/*
Selector labels of a component. Never a version or chart label here: selectors are immutable,
so anything that changes between releases would make `helm upgrade` fail.
*/}}
{{- define "liteboxd.selectorLabels" -}}
app.kubernetes.io/name: {{ include "liteboxd.name" .root }}
app.kubernetes.io/instance: {{ .root.Release.Name }}
app.kubernetes.io/component: {{ .component }}
{{- end }}

{{/* Labels of a component's objects and pods: the common ones, the selector, and upstream's app=liteboxd-<component>. */}}
{{- define "liteboxd.componentLabels" -}}
{{ include "liteboxd.labels" .root }}
app.kubernetes.io/component: {{ .component }}
app: liteboxd-{{ .component }}
{{- end }}

{{/* A component's image: registry/repository, then @digest if given, else :tag (default appVersion). */}}
{{- define "liteboxd.image" -}}
{{- $registry := .image.registry | default .root.Values.image.registry -}}
{{- $ref := ternary .image.repository (printf "%s/%s" $registry .image.repository) (empty $registry) -}}
{{- if .image.digest -}}
{{- printf "%s@%s" $ref .image.digest -}}
{{- else -}}
{{- printf "%s:%s" $ref (.image.tag | default .root.Values.image.tag | default .root.Chart.AppVersion) -}}
{{- end -}}
{{- end }}

{{- define "liteboxd.serviceAccountName" -}}
{{- include "liteboxd.componentName" . }}
{{- end }}

{{- define "liteboxd.authSecretName" -}}
{{- .Values.auth.existingSecret | default (printf "%s-auth" (include "liteboxd.fullname" .)) }}
{{- end }}

{{/*
DRAIN_TIMEOUT for a component: what is left of the grace period after the preStop sleep and a
safety margin, so the process always exits on its own before the kubelet's SIGKILL
(docs/drain.md). Call with (dict "root" $ "component" "api" "values" .Values.api).
*/}}
{{- define "liteboxd.drainSeconds" -}}
{{- $grace := int .values.terminationGracePeriodSeconds -}}
{{- $preStop := int .values.preStopSleepSeconds -}}
{{- $margin := int .root.Values.drain.marginSeconds -}}
{{- $drain := sub (sub $grace $preStop) $margin -}}
{{- if lt $drain 1 -}}
{{- fail (printf "%s: terminationGracePeriodSeconds (%d) must exceed preStopSleepSeconds (%d) + drain.marginSeconds (%d)" .component $grace $preStop $margin) -}}
{{- end -}}
{{- if gt $drain 300 -}}{{- $drain = 300 -}}{{- end -}}
{{- $drain -}}
{{- end }}

{{/* The GATEWAY_URL the API puts into accessUrl. */}}
{{- define "liteboxd.gatewayUrl" -}}
{{- if .Values.gatewayUrl -}}
{{- .Values.gatewayUrl -}}
{{- else if and .Values.ingress.enabled .Values.ingress.host -}}
{{- printf "%s://%s" (ternary "https" "http" (not (empty .Values.ingress.tls))) .Values.ingress.host -}}
{{- else -}}
{{- printf "http://%s.%s.svc:%d" (include "liteboxd.componentName" (dict "root" . "component" "gateway")) .Release.Namespace (int .Values.gateway.service.port) -}}
{{- end -}}
{{- end }}

{{/* The egress proxy's in-cluster URL, which sandboxes behind it get as HTTP_PROXY/HTTPS_PROXY. */}}
{{- define "liteboxd.egressProxyUrl" -}}
{{- printf "http://%s.%s.svc:%d" (include "liteboxd.componentName" (dict "root" . "component" "egress")) .Release.Namespace (int .Values.egress.port) -}}
{{- end }}

{{/*
The API's SANDBOX_URL_TEMPLATE (its accessUrlTemplate): the explicit value, else one derived from
sandboxDomain (https when the wildcard certificate is set), else nothing (host routing off).
*/}}
{{- define "liteboxd.sandboxUrlTemplate" -}}
{{- if .Values.sandboxUrlTemplate -}}
{{- .Values.sandboxUrlTemplate -}}
{{- else if .Values.sandboxDomain -}}
{{- printf "%s://{port}-{id}.%s" (ternary "https" "http" (not (empty .Values.ingress.sandboxTls.secretName))) .Values.sandboxDomain -}}
{{- end -}}
{{- end }}

{{/* The Traefik retry Middleware's reference in router.middlewares (<namespace>-<name>@kubernetescrd). */}}
{{- define "liteboxd.traefikRetryRef" -}}
{{- printf "%s-%s-retry@kubernetescrd" .Release.Namespace (include "liteboxd.fullname" .) -}}
{{- end }}

{{/* Whether the Traefik retry Middleware is rendered: forced on/off, or where its API exists. */}}
{{- define "liteboxd.traefikRetry" -}}
{{- $mode := toString .Values.ingress.traefikRetry.enabled -}}
{{- if and .Values.ingress.enabled (or (eq $mode "true") (and (eq $mode "auto") (.Capabilities.APIVersions.Has "traefik.io/v1alpha1/Middleware"))) -}}
true
{{- end -}}
{{- end }}

{{/* Whether the controller writes Cilium toFQDNs policies: with the proxy, forced on, or where Cilium's API exists. */}}
{{- define "liteboxd.ciliumFqdnPolicies" -}}
{{- $mode := toString .Values.egress.ciliumFqdnPolicies.enabled -}}
{{- if and .Values.egress.enabled (or (eq $mode "true") (and (eq $mode "auto") (.Capabilities.APIVersions.Has "cilium.io/v2/CiliumNetworkPolicy"))) -}}
true
{{- end -}}
{{- end }}

{{/* Pod-level securityContext shared by the control plane: restricted PodSecurity. */}}
{{- define "liteboxd.podSecurityContext" -}}
runAsNonRoot: true
runAsUser: 65532
runAsGroup: 65532
fsGroup: 65532
seccompProfile:
  type: RuntimeDefault
{{- end }}

{{- define "liteboxd.containerSecurityContext" -}}
allowPrivilegeEscalation: false
readOnlyRootFilesystem: true
runAsNonRoot: true
capabilities:
  drop: [ALL]
{{- end }}

{{/*
The parts of a service container every component shares: env (pod name, namespaces, drain),
probes, preStop, security. Call with (dict "root" $ "component" "api" "values" .Values.api "port" 8080).
*/}}
{{- define "liteboxd.commonEnv" -}}
- name: POD_NAME
  valueFrom: {fieldRef: {fieldPath: metadata.name}}
- name: PORT
  value: {{ .port | quote }}
- name: DRAIN_TIMEOUT
  value: {{ printf "%ss" (include "liteboxd.drainSeconds" .) | quote }}
- name: LOG_LEVEL
  value: {{ .root.Values.logLevel | quote }}
{{- with .values.jvmOptions }}
- name: JAVA_TOOL_OPTIONS
  value: {{ . | quote }}
{{- end }}
{{- with .values.extraEnv }}
{{ toYaml . }}
{{- end }}
{{- end }}

{{- define "liteboxd.probes" -}}
startupProbe:
  httpGet: {path: /health, port: http}
  periodSeconds: {{ .root.Values.probes.startupPeriodSeconds }}
  failureThreshold: {{ .root.Values.probes.startupFailureThreshold }}
livenessProbe:
  httpGet: {path: /health, port: http}
  periodSeconds: 10
  timeoutSeconds: {{ .root.Values.probes.timeoutSeconds }}
  failureThreshold: 3
readinessProbe:
  httpGet: {path: /readyz, port: http}
  periodSeconds: {{ .root.Values.probes.readinessPeriodSeconds }}
  timeoutSeconds: {{ .root.Values.probes.timeoutSeconds }}
  failureThreshold: {{ .root.Values.probes.readinessFailureThreshold }}
{{- end }}

{{/* preStop: the built-in sleep (no binary needed in the image) while endpoints drop the pod. */}}
{{- define "liteboxd.lifecycle" -}}
{{- if gt (int .values.preStopSleepSeconds) 0 }}
lifecycle:
  preStop:
    sleep:
      seconds: {{ .values.preStopSleepSeconds }}
{{- end }}
{{- end }}

{{/* Scheduling fields shared by the components. */}}
{{- define "liteboxd.scheduling" -}}
{{- with .values.nodeSelector }}
nodeSelector: {{- toYaml . | nindent 2 }}
{{- end }}
{{- with .values.tolerations }}
tolerations: {{- toYaml . | nindent 2 }}
{{- end }}
{{- with .root.Values.priorityClassName }}
priorityClassName: {{ . }}
{{- end }}
{{- with .root.Values.imagePullSecrets }}
imagePullSecrets: {{- toYaml . | nindent 2 }}
{{- end }}
{{- end }}

{{/* Prometheus scrape annotations (micronaut-management serves /management/prometheus). */}}
{{- define "liteboxd.metricsAnnotations" -}}
{{- if .root.Values.metrics.podAnnotations }}
prometheus.io/scrape: "true"
prometheus.io/port: {{ .port | quote }}
prometheus.io/path: /management/prometheus
{{- end }}
{{- end }}

{{/*
Database (values `database.*`, docs/upgrade.md). SQLite: one API pod on a ReadWriteOnce volume.
Postgres: external (a JDBC URL and a Secret of yours) or bundled (a StatefulSet of this chart),
and any number of API pods. Every template that depends on the mode includes the checks first.
*/}}
{{- define "liteboxd.validateDatabase" -}}
{{- $db := .Values.database -}}
{{- $pg := $db.postgres -}}
{{- $api := .Values.api -}}
{{- if eq $db.type "sqlite" -}}
{{- if and (not (kindIs "invalid" $api.replicas)) (ne (int $api.replicas) 1) -}}
{{- fail (printf "api.replicas=%d: SQLite mode runs exactly one API replica (its database is a file on one ReadWriteOnce volume); more need database.type=postgres (docs/upgrade.md)" (int $api.replicas)) -}}
{{- end -}}
{{- if $api.autoscaling.enabled -}}
{{- fail "api.autoscaling.enabled needs database.type=postgres: SQLite mode runs exactly one API replica" -}}
{{- end -}}
{{- if $pg.bundled.enabled -}}
{{- fail "database.postgres.bundled.enabled needs database.type=postgres" -}}
{{- end -}}
{{- if $pg.importFromSqlite.enabled -}}
{{- fail "database.postgres.importFromSqlite.enabled needs database.type=postgres: it copies the SQLite data into Postgres" -}}
{{- end -}}
{{- else -}}
{{- $external := or $pg.external.url $pg.external.existingSecret -}}
{{- if and $external $pg.bundled.enabled -}}
{{- fail "database.postgres: set either external.url and external.existingSecret (your Postgres) or bundled.enabled=true (the chart's), not both" -}}
{{- end -}}
{{- if not (or $external $pg.bundled.enabled) -}}
{{- fail "database.type=postgres needs a Postgres: set database.postgres.external.url and .existingSecret, or database.postgres.bundled.enabled=true" -}}
{{- end -}}
{{- if and $external (not $pg.external.url) -}}
{{- fail "database.postgres.external.url is missing: the JDBC URL, jdbc:postgresql://<host>:5432/<database>" -}}
{{- end -}}
{{- if and $external (not $pg.external.existingSecret) -}}
{{- fail "database.postgres.external.existingSecret is missing: the Secret with the user name and password the API logs in with" -}}
{{- end -}}
{{- if $pg.importFromSqlite.enabled -}}
{{- if and (not (kindIs "invalid" $api.replicas)) (ne (int $api.replicas) 1) -}}
{{- fail (printf "api.replicas=%d: while database.postgres.importFromSqlite is on, the API runs one replica (the SQLite volume is ReadWriteOnce); leave api.replicas unset and turn the import off with the next upgrade" (int $api.replicas)) -}}
{{- end -}}
{{- if $api.autoscaling.enabled -}}
{{- fail "api.autoscaling.enabled: while database.postgres.importFromSqlite is on, the API runs one replica (the SQLite volume is ReadWriteOnce); turn autoscaling on after the import" -}}
{{- end -}}
{{- end -}}
{{- if and $api.autoscaling.enabled (gt (int $api.autoscaling.minReplicas) (int $api.autoscaling.maxReplicas)) -}}
{{- fail (printf "api.autoscaling.minReplicas (%d) exceeds maxReplicas (%d)" (int $api.autoscaling.minReplicas) (int $api.autoscaling.maxReplicas)) -}}
{{- end -}}
{{- if $pg.bundled.enabled -}}
{{- if eq $pg.bundled.username "postgres" -}}
{{- fail "database.postgres.bundled.username must not be postgres: that is the superuser, which only logs in on the pod's own socket" -}}
{{- end -}}
{{- /* Every API pod may hold maxPoolSize connections, and a rollout adds one pod. */ -}}
{{- $pods := add1 (ternary (int $api.autoscaling.maxReplicas) (int (include "liteboxd.apiReplicas" .)) $api.autoscaling.enabled) -}}
{{- $needed := mul $pods (int $pg.maxPoolSize) -}}
{{- $available := sub (int $pg.bundled.maxConnections) 3 -}}
{{- if gt $needed $available -}}
{{- fail (printf "database.postgres: up to %d API pods (replicas or autoscaling.maxReplicas, plus the rollout's surge) x maxPoolSize %d = %d connections, but the bundled Postgres allows %d (maxConnections %d minus 3 for superusers); raise bundled.maxConnections or lower maxPoolSize" $pods (int $pg.maxPoolSize) $needed $available (int $pg.bundled.maxConnections)) -}}
{{- end -}}
{{- end -}}
{{- end -}}
{{- end }}

{{- define "liteboxd.postgresMode" -}}
{{- if eq .Values.database.type "postgres" }}true{{ end -}}
{{- end }}

{{/*
Whether the API pods mount a ReadWriteOnce claim: the SQLite database, or (Postgres mode with
importFromSqlite) the SQLite volume the import reads. Then the API is one pod that rolls over
the volume as in SQLite mode (api.strategy, api.colocateDuringRollout).
*/}}
{{- define "liteboxd.apiMountsClaim" -}}
{{- if or (eq .Values.database.type "sqlite") .Values.database.postgres.importFromSqlite.enabled }}true{{ end -}}
{{- end }}

{{/* API replicas: the value, else 1 while the API mounts a ReadWriteOnce claim and 2 in Postgres mode. */}}
{{- define "liteboxd.apiReplicas" -}}
{{- if not (kindIs "invalid" .Values.api.replicas) -}}
{{- int .Values.api.replicas -}}
{{- else if include "liteboxd.apiMountsClaim" . -}}
1
{{- else -}}
2
{{- end -}}
{{- end }}

{{/* The fewest API pods that run: what the PodDisruptionBudget may count on. */}}
{{- define "liteboxd.apiMinReplicas" -}}
{{- if .Values.api.autoscaling.enabled -}}
{{- int .Values.api.autoscaling.minReplicas -}}
{{- else -}}
{{- include "liteboxd.apiReplicas" . -}}
{{- end -}}
{{- end }}

{{/* The API's SQLite claim: persistence.existingClaim, else the chart's own. */}}
{{- define "liteboxd.apiDataClaimName" -}}
{{- .Values.persistence.existingClaim | default (include "liteboxd.componentName" (dict "root" . "component" "api-data")) -}}
{{- end }}

{{/* The Secret with the bundled Postgres' user name and generated password. */}}
{{- define "liteboxd.postgresSecretName" -}}
{{- printf "%s-postgres" (include "liteboxd.fullname" .) -}}
{{- end }}

{{/* The bundled Postgres' in-cluster host: its Service. */}}
{{- define "liteboxd.postgresHost" -}}
{{- printf "%s.%s.svc" (include "liteboxd.componentName" (dict "root" . "component" "postgres")) .Release.Namespace -}}
{{- end }}

{{/*
The database settings of the API and of the import (the API image's importer reads the same
ones): LITEBOXD_DATABASE, and in Postgres mode DATABASE_URL, DATABASE_USERNAME and
DATABASE_PASSWORD (from the Secret, never inline), DATABASE_MAX_POOL_SIZE and DATABASE_MIN_IDLE.
*/}}
{{- define "liteboxd.databaseEnv" -}}
{{- $pg := .Values.database.postgres -}}
- name: LITEBOXD_DATABASE
  value: {{ .Values.database.type | quote }}
{{- if include "liteboxd.postgresMode" . }}
{{- $secret := $pg.external.existingSecret }}
{{- $userKey := $pg.external.usernameKey }}
{{- $passwordKey := $pg.external.passwordKey }}
{{- $url := $pg.external.url }}
{{- if $pg.bundled.enabled }}
{{- $secret = include "liteboxd.postgresSecretName" . }}
{{- $userKey = "username" }}
{{- $passwordKey = "password" }}
{{- $url = printf "jdbc:postgresql://%s:5432/%s" (include "liteboxd.postgresHost" .) $pg.bundled.database }}
{{- end }}
- name: DATABASE_URL
  value: {{ $url | quote }}
- name: DATABASE_USERNAME
  valueFrom:
    secretKeyRef: {name: {{ $secret }}, key: {{ $userKey }}}
- name: DATABASE_PASSWORD
  valueFrom:
    secretKeyRef: {name: {{ $secret }}, key: {{ $passwordKey }}}
- name: DATABASE_MAX_POOL_SIZE
  value: {{ $pg.maxPoolSize | int64 | quote }}
- name: DATABASE_MIN_IDLE
  value: {{ $pg.minIdle | int64 | quote }}
{{- end }}
{{- end }}
