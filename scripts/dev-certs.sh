#!/usr/bin/env bash
# Makes a development CA and one certificate per node, for event-bus mutual TLS between nodes
# (cluster.tls in the node config; see docs/security.md).
#
#   scripts/dev-certs.sh [DIR] [NODE_ID...]     default: target/dev-certs, nodes node-1 node-2 node-3
#
# In DIR, for each node: NODE.p12 (PKCS#12 key store: its key and certificate chain) and the same as
# PEM, NODE.pem and NODE.key (PKCS#8); for all nodes: ca.pem (the CA certificate) and truststore.p12
# (the CA as a PKCS#12 trust store). Store password: MM_CERT_PASSWORD (default "changeit"). Certificates
# name the node (CN) and carry the loopback names (DNS:localhost, IP:127.0.0.1) plus MM_CERT_SANS, e.g.
# MM_CERT_SANS="IP:10.0.0.5,DNS:node-1.internal". Run it again with other ids to add nodes to the same CA.
#
# Development only: the CA's key (ca.key) sits next to what it signed. A real deployment keeps its CA
# key elsewhere and gives each node only its own key store and the trust store.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
DIR="${1:-$ROOT/target/dev-certs}"
[[ $# -gt 0 ]] && shift
NODES=("$@")
[[ ${#NODES[@]} -gt 0 ]] || NODES=(node-1 node-2 node-3)
PASS="${MM_CERT_PASSWORD:-changeit}"
DAYS="${MM_CERT_DAYS:-825}"
command -v openssl >/dev/null || { echo "dev-certs: openssl is required" >&2; exit 1; }
command -v keytool >/dev/null || { echo "dev-certs: keytool (from a JDK) is required" >&2; exit 1; }

mkdir -p "$DIR"
cd "$DIR"
umask 077

if [[ ! -f ca.key ]]; then
  openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout ca.key -out ca.pem \
    -days "$DAYS" -subj "/CN=mastermind-dev-ca" \
    -addext "basicConstraints=critical,CA:TRUE" -addext "keyUsage=critical,keyCertSign,cRLSign" 2>/dev/null
  echo "dev-certs: new CA $DIR/ca.pem"
fi
rm -f truststore.p12
keytool -importcert -noprompt -alias mastermind-ca -file ca.pem -keystore truststore.p12 -storetype PKCS12 \
  -storepass "$PASS" >/dev/null 2>&1

for node in "${NODES[@]}"; do
  [[ "$node" =~ ^[A-Za-z0-9._-]{1,64}$ ]] || { echo "dev-certs: bad node id '$node'" >&2; exit 2; }
  sans="DNS:localhost,IP:127.0.0.1${MM_CERT_SANS:+,$MM_CERT_SANS}"
  openssl req -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout "$node.key" -out "$node.csr" \
    -subj "/CN=$node" 2>/dev/null
  printf 'subjectAltName=%s\nbasicConstraints=CA:FALSE\nkeyUsage=critical,digitalSignature,keyAgreement\nextendedKeyUsage=serverAuth,clientAuth\n' \
    "$sans" > "$node.ext"
  openssl x509 -req -in "$node.csr" -CA ca.pem -CAkey ca.key -CAcreateserial -out "$node.pem" -days "$DAYS" \
    -extfile "$node.ext" 2>/dev/null
  openssl pkcs12 -export -name "$node" -inkey "$node.key" -in "$node.pem" -certfile ca.pem -out "$node.p12" \
    -passout "pass:$PASS"
  rm -f "$node.csr" "$node.ext"
  echo "dev-certs: $DIR/$node.p12 ($node.pem, $node.key) for node $node"
done

cat <<CONF
dev-certs: each node's config, e.g. for ${NODES[0]}:
  "cluster": { "tls": { "keyStorePath": "$DIR/${NODES[0]}.p12", "keyStorePassword": "$PASS",
                        "trustStorePath": "$DIR/truststore.p12", "trustStorePassword": "$PASS" } }
CONF
