#!/usr/bin/env bash
# Removes the iptables rules and chains, and the ipsets, that kube-proxy, the CNI plugins and
# kube-router leave behind, and nothing else: a table is saved, every line that names one of
# their chain prefixes is dropped, and the rest is restored as it was.
set -euo pipefail
pattern='KUBE-|CNI-|kube-router|KUBE-ROUTER'
for cmd in iptables ip6tables; do
  command -v "$cmd-save" >/dev/null || continue
  for table in filter nat mangle raw; do
    saved="$("$cmd-save" -t "$table" 2>/dev/null)" || continue
    grep -qE -- "$pattern" <<<"$saved" || continue
    grep -vE -- "$pattern" <<<"$saved" | "$cmd-restore" -T "$table"
  done
done
if command -v ipset >/dev/null; then
  # kube-router's sets reference each other; flush all of ours before destroying any.
  sets="$(ipset list -n 2>/dev/null | grep -E '^(KUBE-|kube-router|inet6:KUBE-)' || true)"
  for s in $sets; do ipset flush "$s" 2>/dev/null || true; done
  for s in $sets; do ipset destroy "$s" 2>/dev/null || true; done
fi
