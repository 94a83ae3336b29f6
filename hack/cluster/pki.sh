#!/usr/bin/env bash
# Creates the cluster's certificate authority, serving and client certificates, the
# service-account signing key, and one kubeconfig per component. Run once per fresh state dir.
source "$(dirname "$0")/../lib/common.sh"
source "$LBX_ROOT/hack/cluster/lib.sh"

mkdir -p "$PKI"
cd "$PKI"
[[ -f ca.crt ]] && exit 0

key() { openssl ecparam -name prime256v1 -genkey -noout -out "$1.key" 2>/dev/null; }

key ca
openssl req -x509 -new -key ca.key -subj "/CN=liteboxd-testbed-ca" -days 3650 -out ca.crt 2>/dev/null

# cert NAME SUBJECT [SANS]: a certificate for NAME signed by the CA (client+server usage).
cert() {
  local name="$1" subject="$2" sans="${3:-}"
  key "$name"
  openssl req -new -key "$name.key" -subj "$subject" -out "$name.csr" 2>/dev/null
  {
    echo "basicConstraints=CA:FALSE"
    echo "keyUsage=critical,digitalSignature,keyEncipherment"
    echo "extendedKeyUsage=serverAuth,clientAuth"
    [[ -n "$sans" ]] && echo "subjectAltName=$sans"
  } > "$name.ext"
  openssl x509 -req -in "$name.csr" -CA ca.crt -CAkey ca.key -CAcreateserial -days 365 \
    -extfile "$name.ext" -out "$name.crt" 2>/dev/null
  rm -f "$name.csr" "$name.ext"
}

api_sans="DNS:kubernetes,DNS:kubernetes.default,DNS:kubernetes.default.svc"
api_sans+=",DNS:kubernetes.default.svc.$CLUSTER_DOMAIN,DNS:localhost"
api_sans+=",IP:127.0.0.1,IP:$NODE_IP,IP:$KUBERNETES_SERVICE_IP"
cert apiserver "/CN=kube-apiserver" "$api_sans"
cert apiserver-kubelet-client "/O=system:masters/CN=kube-apiserver-kubelet-client"
cert admin "/O=system:masters/CN=liteboxd-testbed-admin"
cert kube-controller-manager "/CN=system:kube-controller-manager"
cert kube-scheduler "/CN=system:kube-scheduler"
cert kube-proxy "/CN=system:kube-proxy"
cert kubelet-client "/O=system:nodes/CN=system:node:$NODE_NAME"
cert kubelet "/CN=$NODE_NAME" "DNS:$NODE_NAME,DNS:localhost,IP:127.0.0.1,IP:$NODE_IP"

# Service-account tokens are signed with an RSA key (the most widely accepted algorithm).
openssl genrsa -out sa.key 2048 2>/dev/null
openssl rsa -in sa.key -pubout -out sa.pub 2>/dev/null

# kubeconfig NAME CERT: credentials for a component, talking to the API server on loopback.
kubeconfig() {
  cat > "$LBX_STATE/$1.kubeconfig" <<YAML
apiVersion: v1
kind: Config
clusters:
- name: liteboxd-testbed
  cluster:
    server: https://127.0.0.1:$APISERVER_PORT
    certificate-authority-data: $(base64 -w0 < ca.crt)
users:
- name: $1
  user:
    client-certificate-data: $(base64 -w0 < "$2.crt")
    client-key-data: $(base64 -w0 < "$2.key")
contexts:
- name: liteboxd-testbed
  context: {cluster: liteboxd-testbed, user: $1}
current-context: liteboxd-testbed
YAML
  chmod 600 "$LBX_STATE/$1.kubeconfig"
}
kubeconfig admin admin
kubeconfig kube-controller-manager kube-controller-manager
kubeconfig kube-scheduler kube-scheduler
kubeconfig kube-proxy kube-proxy
kubeconfig kubelet kubelet-client
chmod 600 ./*.key
