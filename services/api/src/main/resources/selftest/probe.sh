# The isolation self-test's probe (io.liteboxd.api.selftest): run inside a sandbox as
#   sh -c "$(cat probe.sh)" probe TIMEOUT DNS_NAME LABEL=HOST:PORT...
# POSIX sh plus whatever the image has for TCP (python3, else bash with timeout, else curl), so
# it runs in any image with a shell. Prints one fact a line; the API turns them into verdicts:
#   tool NAME | token present|absent | dns NAME ok ADDRESS|fail | kernel TEXT | gvisor yes|no
#   status FIELD VALUE | memory BYTES|max|unknown | cpu QUOTA PERIOD|unknown
#   tcp LABEL HOST:PORT open|refused|rejected|closed|timeout|unreachable|noname|notool|error[:WHAT]
timeout_s="$1"; dns_name="$2"; shift 2
work="$(mktemp -d 2>/dev/null)" || { work="/tmp/lbx-probe-$$"; mkdir -p "$work"; }

tool=none
if command -v python3 >/dev/null 2>&1; then tool=python3
elif command -v bash >/dev/null 2>&1 && command -v timeout >/dev/null 2>&1; then tool=bash
elif command -v curl >/dev/null 2>&1; then tool=curl
fi
echo "tool $tool"

# tcp HOST PORT: how a connection attempt ends. "open", and "refused" (the target's TCP reset),
# mean the address is reachable; "timeout", "unreachable" and "rejected" (an ICMP error from a
# filter on the way) mean something dropped or rejected it. Without python3 a reset and an ICMP
# rejection cannot be told apart: "closed".
tcp() {
  case "$tool" in
    python3) python3 -c '
import errno, socket, sys
host, port, timeout = sys.argv[1], int(sys.argv[2]), float(sys.argv[3])
try:
    family, kind, proto, _, address = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)[0]
except OSError:
    print("noname"); sys.exit()
s = socket.socket(family, kind, proto)
# With IP_RECVERR an ICMP error is queued for us to read: a policy that rejects (kube-router and
# Calico answer with ICMP port-unreachable) looks like a refusal to connect() but is not a reply
# from the target.
if family == socket.AF_INET6:
    s.setsockopt(41, 25, 1)  # SOL_IPV6, IPV6_RECVERR
else:
    s.setsockopt(socket.SOL_IP, 11, 1)  # IP_RECVERR
s.settimeout(timeout)
try:
    s.connect(address); print("open")
except ConnectionRefusedError:
    try:
        _, ancillary, _, _ = s.recvmsg(1, 512, socket.MSG_ERRQUEUE)
        print("rejected" if ancillary else "refused")
    except OSError:
        print("refused")
except socket.timeout:
    print("timeout")
except OSError as e:
    blocked = (errno.EHOSTUNREACH, errno.ENETUNREACH, errno.EACCES, errno.EPERM)
    print("unreachable" if e.errno in blocked else "error:" + errno.errorcode.get(e.errno, str(e.errno)))
' "$1" "$2" "$timeout_s" ;;
    bash)
      out="$(timeout "$timeout_s" bash -c 'exec 3<>"/dev/tcp/$0/$1"' "$1" "$2" 2>&1)"; rc=$?
      if [ "$rc" -eq 0 ]; then echo open
      elif [ "$rc" -eq 124 ]; then echo timeout
      else
        case "$out" in
          *refused*) echo closed ;;
          *"No route"*|*nreachable*|*"not permitted"*) echo unreachable ;;
          *"not known"*|*"Name or service"*) echo noname ;;
          *) echo error ;;
        esac
      fi ;;
    curl)
      curl -s -o /dev/null --connect-timeout "$timeout_s" -m "$((timeout_s + 1))" "telnet://$1:$2" </dev/null; rc=$?
      case "$rc" in
        0) echo open ;; 7) echo closed ;; 28) echo timeout ;; 6) echo noname ;; *) echo "error:curl-$rc" ;;
      esac ;;
    *) echo notool ;;
  esac
}

# Every target at once, so the probe takes one timeout, not one per target.
i=0
for target in "$@"; do
  i=$((i + 1))
  label="${target%%=*}"; hostport="${target#*=}"
  host="${hostport%:*}"; host="${host#[}"; host="${host%]}"
  ( echo "tcp $label $hostport $(tcp "$host" "${hostport##*:}")" > "$work/tcp.$i" ) &
done

if [ -e /var/run/secrets/kubernetes.io/serviceaccount/token ] \
    || [ -e /run/secrets/kubernetes.io/serviceaccount/token ]; then
  echo "token present"
else
  echo "token absent"
fi

address=""
if [ "$tool" = python3 ]; then
  address="$(python3 -c 'import socket, sys; print(socket.getaddrinfo(sys.argv[1], None)[0][4][0])' "$dns_name" 2>/dev/null)"
elif command -v getent >/dev/null 2>&1; then
  address="$(getent hosts "$dns_name" 2>/dev/null | awk '{print $1; exit}')"
fi
if [ -n "$address" ]; then echo "dns $dns_name ok $address"; else echo "dns $dns_name fail"; fi

echo "kernel $(head -n 1 /proc/version 2>/dev/null)"
if grep -qi gvisor /proc/version 2>/dev/null || dmesg 2>/dev/null | grep -q gVisor; then
  echo "gvisor yes"
else
  echo "gvisor no"
fi
grep -E '^(CapEff|CapBnd|Seccomp|NoNewPrivs):' /proc/self/status 2>/dev/null | while read -r field value; do
  echo "status ${field%:} $value"
done

if [ -f /sys/fs/cgroup/cgroup.controllers ]; then  # cgroup v2
  echo "memory $(cat /sys/fs/cgroup/memory.max 2>/dev/null || echo unknown)"
  echo "cpu $(cat /sys/fs/cgroup/cpu.max 2>/dev/null || echo unknown)"
else
  echo "memory $(cat /sys/fs/cgroup/memory/memory.limit_in_bytes 2>/dev/null || echo unknown)"
  quota="$(cat /sys/fs/cgroup/cpu/cpu.cfs_quota_us 2>/dev/null)"
  period="$(cat /sys/fs/cgroup/cpu/cpu.cfs_period_us 2>/dev/null)"
  if [ -n "$quota" ] && [ -n "$period" ]; then echo "cpu $quota $period"; else echo "cpu unknown"; fi
fi

wait
cat "$work"/tcp.* 2>/dev/null
rm -rf "$work"
