# Generates values.schema.json from values.yaml: types from the defaults, descriptions from the
# "# --" comments, plus the hand-written constraints below. Every object is closed.
import json, re, sys, yaml
path = sys.argv[1]
text = open(path).read()
values = yaml.safe_load(text)
# descriptions: "# -- text" (plus following "#" lines) before "key:" lines, tracked by indentation path
desc = {}; stack = []; pending = []
for line in text.splitlines():
    m = re.match(r'^(\s*)# -- ?(.*)$', line)
    if m: pending = [m.group(2)]; continue
    m2 = re.match(r'^(\s*)#\s?(.*)$', line)
    if m2 and pending: pending.append(m2.group(2)); continue
    m3 = re.match(r'^(\s*)([A-Za-z0-9_]+):', line)
    if m3:
        ind = len(m3.group(1)) // 2
        stack = stack[:ind] + [m3.group(2)]
        if pending: desc['.'.join(stack)] = ' '.join(pending)
    pending = [] if not m else pending
free_objects = {'commonLabels', 'resources', 'nodeSelector', 'podAnnotations', 'annotations', 'sandboxAnnotations', 'podLabels', 'labels',
                'hard'}
free_arrays = {'imagePullSecrets', 'tolerations', 'extraEnv', 'tls', 'from'}
QUANTITY = '^([0-9]+(\\.[0-9]+)?|\\.[0-9]+)(Ki|Mi|Gi|Ti|Pi|Ei|m|k|M|G|T|P|E)?$'
overrides = {
  'logLevel': {'enum': ['TRACE', 'DEBUG', 'INFO', 'WARN', 'ERROR']},
  'image.pullPolicy': {'enum': ['Always', 'IfNotPresent', 'Never']},
  'sandboxNamespace.name': {'minLength': 1},
  'sandboxNamespace.podSecurityEnforce': {'enum': ['privileged', 'baseline', 'restricted']},
  # null: the chart's default for the database mode (templates check SQLite's single replica).
  'api.replicas': {'type': ['integer', 'null'], 'minimum': 1},
  'api.autoscaling.minReplicas': {'minimum': 1},
  'api.autoscaling.maxReplicas': {'minimum': 1},
  'api.autoscaling.targetCPUUtilizationPercentage': {'minimum': 1},
  'database.type': {'enum': ['sqlite', 'postgres']},
  'database.postgres.maxPoolSize': {'minimum': 1},
  'database.postgres.external.url': {'pattern': '^(jdbc:postgresql://[^\\s]+)?$'},
  'database.postgres.external.usernameKey': {'minLength': 1},
  'database.postgres.external.passwordKey': {'minLength': 1},
  # Postgres identifiers the entrypoint quotes as given; lowercase keeps psql and JDBC URLs simple.
  'database.postgres.bundled.username': {'pattern': '^[a-z_][a-z0-9_]{0,62}$'},
  'database.postgres.bundled.database': {'pattern': '^[a-z_][a-z0-9_]{0,62}$'},
  'database.postgres.bundled.maxConnections': {'minimum': 10},
  'database.postgres.bundled.persistence.size': {'pattern': QUANTITY},
  'database.postgres.bundled.terminationGracePeriodSeconds': {'minimum': 1},
  'database.postgres.importFromSqlite.claimName': {'pattern': '^([a-z0-9]([-a-z0-9.]*[a-z0-9])?)?$'},
  'api.strategy': {'enum': ['RollingUpdate', 'Recreate']},
  'api.minReadySeconds': {'minimum': 0},
  'persistence.accessMode': {'enum': ['ReadWriteOnce', 'ReadWriteOncePod', 'ReadWriteMany']},
  'gateway.replicas': {'minimum': 1},
  'controller.replicas': {'minimum': 1},
  'ingress.traefikRetry.enabled': {'enum': ['auto', True, False]},
  'egress.ciliumFqdnPolicies.enabled': {'enum': ['auto', True, False]},
  'ingress.traefikRetry.attempts': {'minimum': 1},
  'probes.startupPeriodSeconds': {'minimum': 1},
  'probes.startupFailureThreshold': {'minimum': 1},
  'probes.readinessPeriodSeconds': {'minimum': 1},
  'probes.readinessFailureThreshold': {'minimum': 1},
  'drain.marginSeconds': {'minimum': 1},
  'api.maxUploadBytes': {'minimum': 1},
  'networkPolicy.sandbox.gatewayPorts': {'items': {'type': 'integer', 'minimum': 1, 'maximum': 65535}},
  'networkPolicy.sandbox.privateRanges': {'items': {'type': 'string', 'pattern': '^[0-9a-fA-F:.]+/[0-9]+$'}},
  # A lowercase DNS name without "*.", scheme or port (the chart prefixes "*." itself).
  'sandboxDomain': {'pattern': '^([a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*)?$', 'maxLength': 240},
  # An http(s) URL holding both placeholders, e.g. http://{port}-{id}.sbx.example.com:30080.
  'sandboxUrlTemplate': {'pattern': '^(https?://[^\\s{}]*(\\{port\\}[^\\s{}]*\\{id\\}|\\{id\\}[^\\s{}]*\\{port\\})[^\\s{}]*)?$'},
  'ingress.sandboxTls.secretName': {'pattern': '^([a-z0-9]([-a-z0-9.]*[a-z0-9])?)?$'},
  # One header value: no line breaks.
  'gateway.pathModeCsp': {'pattern': '^[^\\r\\n]*$'},
  'auth.login.freeFailures': {'minimum': 0},
  # Caps (docs/security.md): quantities without exponents, as kubectl writes them; a bare number is fine too.
  'sandboxLimits.maxCpu': {'type': ['string', 'number'], 'pattern': QUANTITY},
  'sandboxLimits.maxMemory': {'type': ['string', 'number'], 'pattern': QUANTITY},
  'sandboxLimits.maxTtl': {'minimum': 1},
  'sandboxLimits.maxStartupTimeout': {'minimum': 1},
  # A number from 0 to 1; `--set` passes a fraction as a string.
  'sandboxLimits.requestRatio': {'type': ['number', 'string'], 'minimum': 0, 'maximum': 1,
                                 'pattern': '^(0(\\.[0-9]+)?|1(\\.0+)?|\\.[0-9]+)$'},
  'sandboxLimits.maxLive': {'minimum': 1},
  # Hardening of sandbox pods: the kernel's capability names (the API checks the same list and
  # refuses dangerous ones unless allowDangerousCapabilities), quantities as for the caps.
  'sandboxPods.capabilities': {'uniqueItems': True, 'items': {'enum': [
      'CHOWN', 'DAC_OVERRIDE', 'DAC_READ_SEARCH', 'FOWNER', 'FSETID', 'KILL', 'SETGID', 'SETUID', 'SETPCAP',
      'LINUX_IMMUTABLE', 'NET_BIND_SERVICE', 'NET_BROADCAST', 'NET_ADMIN', 'NET_RAW', 'IPC_LOCK', 'IPC_OWNER',
      'SYS_MODULE', 'SYS_RAWIO', 'SYS_CHROOT', 'SYS_PTRACE', 'SYS_PACCT', 'SYS_ADMIN', 'SYS_BOOT', 'SYS_NICE',
      'SYS_RESOURCE', 'SYS_TIME', 'SYS_TTY_CONFIG', 'MKNOD', 'LEASE', 'AUDIT_WRITE', 'AUDIT_CONTROL', 'SETFCAP',
      'MAC_OVERRIDE', 'MAC_ADMIN', 'SYSLOG', 'WAKE_ALARM', 'BLOCK_SUSPEND', 'AUDIT_READ', 'PERFMON', 'BPF',
      'CHECKPOINT_RESTORE']}},
  'sandboxPods.ephemeralStorageLimit': {'pattern': QUANTITY},
  'sandboxPods.workspaceSizeLimit': {'pattern': QUANTITY},
  'auth.hashConcurrency': {'minimum': 1},
  # The gateway's own ceiling (16 MiB).
  'gateway.maxFrameBytes': {'minimum': 1, 'maximum': 16777216},
  'auth.trustedProxies': {'items': {'type': 'string', 'pattern': '^[0-9a-fA-F:.]+/[0-9]+$'}},
  # scheme://host[:port], no path and no trailing slash: what browsers send as Origin.
  'auth.allowedOrigins': {'items': {'type': 'string', 'pattern': '^https?://[^/\\s,]+$'}},
}
for c in ('api', 'gateway', 'controller'):
    overrides[f'{c}.terminationGracePeriodSeconds'] = {'minimum': 1}
    overrides[f'{c}.preStopSleepSeconds'] = {'minimum': 0}
for p in ('api.service.port', 'gateway.service.port', 'networkPolicy.sandbox.gatewayPortRange.start', 'networkPolicy.sandbox.gatewayPortRange.end'):
    overrides[p] = {'minimum': 1, 'maximum': 65535}
for p in ('sandboxNamespace.limitRange.default', 'sandboxNamespace.limitRange.defaultRequest'):
    for r in ('cpu', 'memory'): overrides[f'{p}.{r}'] = {'pattern': QUANTITY}
for r in ('cpu', 'memory'): overrides[f'sandboxNamespace.limitRange.max.{r}'] = {'pattern': '^$|' + QUANTITY}
# Counts and quantities, e.g. pods: "120" or --set ...hard.pods=120.
overrides['sandboxNamespace.resourceQuota.hard'] = {'additionalProperties': {'type': ['string', 'number']}}
for p in ('api.logsMaxBytes', 'api.execMaxSessions', 'gateway.tunnelBufferBytes', 'gateway.tunnelsBufferBytes', 'gateway.maxTunnels',
          'gateway.maxConnections'):
    overrides[p] = {'minimum': 1}
durations = ['api.execMaxTimeout', 'api.reconcileInterval', 'api.prepull.timeout', 'gateway.connectTimeout', 'gateway.readTimeout',
             'gateway.idleTimeout', 'controller.lease.duration', 'controller.lease.renewDeadline', 'controller.lease.retryPeriod',
             'ingress.traefikRetry.initialInterval', 'auth.login.backoffBase', 'auth.login.backoffMax', 'auth.hashQueueTimeout',
             'api.execStartTimeout', 'api.execStallTimeout', 'api.filesFirstByteTimeout', 'api.filesIdleTimeout']
for d in durations: overrides[d] = {'pattern': '^[0-9]+(ms|s|m|h|d)$'}
def typ(v):
    return {bool: 'boolean', int: 'integer', float: 'number', str: 'string', list: 'array', dict: 'object', type(None): 'null'}[type(v)]
def node(key, v):
    name = key.split('.')[-1]
    s = {}
    if key in desc: s['description'] = desc[key]
    if name in free_objects and isinstance(v, dict):
        s['type'] = 'object'
        if name in ('nodeSelector', 'podAnnotations', 'annotations', 'sandboxAnnotations', 'podLabels', 'labels', 'commonLabels', 'hard'):
            s['additionalProperties'] = {'type': 'string'}
    elif name in free_arrays:
        s['type'] = 'array'; s['items'] = {'type': 'object'}
    elif isinstance(v, dict):
        s['type'] = 'object'; s['additionalProperties'] = False
        s['properties'] = {k: node(f'{key}.{k}' if key else k, vv) for k, vv in v.items()}
    elif isinstance(v, list):
        s['type'] = 'array'
    else:
        s['type'] = typ(v)
    s.update(overrides.get(key, {}))
    if 'enum' in s or 'const' in s: s.pop('type', None)
    return s
root = node('', values)
root['$schema'] = 'https://json-schema.org/draft-07/schema#'
root['title'] = 'liteboxd chart values'
root.pop('description', None)
print(json.dumps({k: root[k] for k in ['$schema', 'title', 'type', 'additionalProperties', 'properties']}, indent=2))
