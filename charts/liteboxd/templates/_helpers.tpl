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
  timeoutSeconds: 3
  failureThreshold: 3
readinessProbe:
  httpGet: {path: /readyz, port: http}
  periodSeconds: {{ .root.Values.probes.readinessPeriodSeconds }}
  timeoutSeconds: 2
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
