"""Regenerates the TLS fixtures of the probe tests (needs python3-cryptography).

All three certificates are self-signed end-entity certificates (CA:FALSE) for localhost and
127.0.0.1 with P-256 keys, named "lookout probe test" (a subject no real root has):
`expired` was valid only during 2020, `valid` and `untrusted` run to 2125 (tests trust
`valid` through SSL_CERT_FILE, never `untrusted`, which is named "lookout untrusted test"
so no trusted fixture claims to be its issuer). Files are DER (plus
`valid.cert.pem`); keys are PKCS#8. Run from this directory: python3 generate.py
"""

import datetime
import ipaddress

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID


def make(name, not_before, not_after, pem=False, common_name="lookout probe test"):
    key = ec.generate_private_key(ec.SECP256R1())
    subject = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, common_name)])
    cert = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(not_before)
        .not_valid_after(not_after)
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(
            x509.SubjectAlternativeName(
                [x509.DNSName("localhost"), x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]
            ),
            critical=False,
        )
        .sign(key, hashes.SHA256())
    )
    with open(f"{name}.cert.der", "wb") as out:
        out.write(cert.public_bytes(serialization.Encoding.DER))
    if pem:  # for SSL_CERT_FILE, which wants PEM
        with open(f"{name}.cert.pem", "wb") as out:
            out.write(cert.public_bytes(serialization.Encoding.PEM))
    with open(f"{name}.key.der", "wb") as out:
        out.write(
            key.private_bytes(
                serialization.Encoding.DER,
                serialization.PrivateFormat.PKCS8,
                serialization.NoEncryption(),
            )
        )


utc = datetime.timezone.utc
make("expired", datetime.datetime(2020, 1, 1, tzinfo=utc), datetime.datetime(2021, 1, 1, tzinfo=utc))
make("valid", datetime.datetime(2025, 1, 1, tzinfo=utc), datetime.datetime(2125, 1, 1, tzinfo=utc), pem=True)
make(
    "untrusted",
    datetime.datetime(2025, 1, 1, tzinfo=utc),
    datetime.datetime(2125, 1, 1, tzinfo=utc),
    common_name="lookout untrusted test",
)
