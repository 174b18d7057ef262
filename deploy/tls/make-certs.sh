#!/usr/bin/env bash
# Makes the private CA and the certificates docker-compose.yml mounts from deploy/tls/ (run once;
# use your organisation's CA for real deployments): NATS and Temporal server certificates, and the
# client certificate the Jingzhun services, the worker and the Temporal Web UI present to Temporal (mTLS).
set -euo pipefail
cd "$(dirname "$0")"
[ -f ca.key ] || openssl req -x509 -newkey rsa:3072 -nodes -days 3650 -subj "/CN=jingzhun-ca" -keyout ca.key -out ca.crt
issue() { # name, CN, subjectAltName
  openssl req -newkey rsa:2048 -nodes -subj "/CN=$2" -keyout "$1.key" -out "$1.csr"
  printf 'subjectAltName=%s\nextendedKeyUsage=serverAuth,clientAuth\n' "$3" > "$1.ext"
  openssl x509 -req -in "$1.csr" -CA ca.crt -CAkey ca.key -CAcreateserial -days 825 -extfile "$1.ext" -out "$1.crt"
  rm -f "$1.csr" "$1.ext"
}
issue nats nats "DNS:nats,DNS:localhost"
issue temporal temporal "DNS:temporal,DNS:localhost"
issue client jingzhun-services "DNS:jingzhun-services"
chmod 0644 ./*.crt ./*.key
echo "certificates written to $(pwd)"
