#!/bin/sh
# install.sh of the installer's k3s test fixture (README.md here): the air-gap subset of k3s's
# install script contract that liteboxd-installer uses. The k3s binary is already in place
# (INSTALL_K3S_SKIP_DOWNLOAD=true, as an air-gap install requires); INSTALL_K3S_EXEC chooses
# server or agent (agent when K3S_URL is set); K3S_URL and K3S_TOKEN go into the service's
# environment file (root only), as k3s's script puts them. Then the service is (re)started.
set -eu
fatal() { echo "[ERROR] $*" >&2; exit 1; }
[ "$(id -u)" = 0 ] || fatal "run as root"
[ "${INSTALL_K3S_SKIP_DOWNLOAD:-false}" = true ] || fatal "this fixture only installs air-gapped: set INSTALL_K3S_SKIP_DOWNLOAD=true"
bin_dir="${INSTALL_K3S_BIN_DIR:-/usr/local/bin}"
[ -x "$bin_dir/k3s" ] || fatal "$bin_dir/k3s is missing (copy it there first, as for an air-gap install)"

exec_args="${INSTALL_K3S_EXEC:-}"
case "$exec_args" in
  server*|agent*) cmd="${exec_args%% *}"; [ "$cmd" = "$exec_args" ] && exec_args="" || exec_args="${exec_args#* }" ;;
  *) if [ -n "${K3S_URL:-}" ]; then cmd=agent; else cmd=server; fi ;;
esac
if [ "$cmd" = agent ]; then
  [ -n "${K3S_URL:-}" ] || fatal "K3S_URL is required for an agent"
  [ -n "${K3S_TOKEN:-}" ] || fatal "K3S_TOKEN is required for an agent"
  unit=k3s-agent uninstall=k3s-agent-uninstall.sh
else
  unit=k3s uninstall=k3s-uninstall.sh
fi

# The machines of the installer's tests have no init system: the fixture brings its own small
# service manager under the name install.sh expects (systemctl), only where none exists.
here="$("$bin_dir/k3s" fixture-data-dir)/scripts"
if ! command -v systemctl >/dev/null 2>&1; then
  install -m 0755 "$here/systemctl" "$bin_dir/systemctl"
fi
for link in kubectl; do [ -e "$bin_dir/$link" ] || ln -s k3s "$bin_dir/$link"; done

mkdir -p /etc/systemd/system
(umask 077
  : > "/etc/systemd/system/$unit.service.env.new"
  [ -z "${K3S_URL:-}" ] || echo "K3S_URL='$K3S_URL'" >> "/etc/systemd/system/$unit.service.env.new"
  [ -z "${K3S_TOKEN:-}" ] || echo "K3S_TOKEN='$K3S_TOKEN'" >> "/etc/systemd/system/$unit.service.env.new"
)
mv "/etc/systemd/system/$unit.service.env.new" "/etc/systemd/system/$unit.service.env"
cat > "/etc/systemd/system/$unit.service" <<UNIT
[Unit]
Description=Lightweight Kubernetes (liteboxd test fixture)
[Service]
Type=notify
EnvironmentFile=-/etc/systemd/system/$unit.service.env
ExecStart=$bin_dir/k3s $cmd $exec_args
[Install]
WantedBy=multi-user.target
UNIT

install -m 0755 "$here/k3s-killall.sh" "$bin_dir/k3s-killall.sh"
sed -e "s#@UNIT@#$unit#g" -e "s#@BIN_DIR@#$bin_dir#g" "$here/k3s-uninstall.sh" > "$bin_dir/$uninstall"
chmod 0755 "$bin_dir/$uninstall"

systemctl daemon-reload
systemctl enable "$unit" >/dev/null
systemctl restart "$unit"
echo "[INFO] $unit started"
