#!/usr/bin/env bash
# Time of each phase of liteboxd-installer (bench/installer.md): the installer suite's runs on the
# test machines, with its report written. Needs `make up`.
source "$(dirname "$0")/../hack/lib/common.sh"
LBX_INSTALLER_REPORT="$LBX_ROOT/bench/installer.md" "$LBX_ROOT/test/installer/run.sh"
