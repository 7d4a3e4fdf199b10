#!/bin/sh
# mkcerts.sh DIR: a development PKI for auditord, made with the openssl CLI.
#   ca.crt/.key           the development CA (ECDSA P-256)
#   server.crt/.key       the server (SAN localhost, 127.0.0.1, ::1)
#   NAME.crt/.key         client certificates: admin manager hr alice bob
#   rogue-ca.crt/.key     a CA auditord does not trust
#   rogue.crt/.key        subject CN=admin, signed by the rogue CA
# Never use these outside development and tests: the keys are unencrypted.
set -eu

dir=${1:?usage: mkcerts.sh DIR}
days=825
mkdir -p "$dir"
cd "$dir"
umask 077

key() {
	openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 \
	    -out "$1.key" 2>/dev/null
}

# ca NAME CN
ca() {
	key "$1"
	openssl req -new -x509 -key "$1.key" -sha256 -days "$days" \
	    -subj "/O=auditord development/CN=$2" \
	    -addext "basicConstraints=critical,CA:TRUE" \
	    -addext "keyUsage=critical,keyCertSign,cRLSign" \
	    -out "$1.crt"
}

# leaf NAME CN CA EXT...
leaf() {
	name=$1 cn=$2 signer=$3
	shift 3
	key "$name"
	openssl req -new -key "$name.key" -subj "/O=auditord development/CN=$cn" \
	    -out "$name.csr"
	printf '%s\n' "$@" > "$name.ext"
	openssl x509 -req -in "$name.csr" -CA "$signer.crt" -CAkey "$signer.key" \
	    -CAcreateserial -sha256 -days "$days" -extfile "$name.ext" \
	    -out "$name.crt" 2>/dev/null
	rm -f "$name.csr" "$name.ext"
}

ca ca "auditord development CA"
leaf server localhost ca \
    "basicConstraints=critical,CA:FALSE" \
    "keyUsage=critical,digitalSignature" \
    "extendedKeyUsage=serverAuth" \
    "subjectAltName=DNS:localhost,IP:127.0.0.1,IP:::1"
for n in admin manager hr alice bob; do
	leaf "$n" "$n" ca \
	    "basicConstraints=critical,CA:FALSE" \
	    "keyUsage=critical,digitalSignature" \
	    "extendedKeyUsage=clientAuth"
done
ca rogue-ca "auditord development CA"
leaf rogue admin rogue-ca \
    "basicConstraints=critical,CA:FALSE" \
    "keyUsage=critical,digitalSignature" \
    "extendedKeyUsage=clientAuth"
rm -f ./*.srl
chmod 644 ./*.crt
echo "development certificates in $(pwd)"
