//! PAdES B-B signatures for packet.pdf (ETSI EN 319 142-1): a detached CMS
//! SignedData over the PDF's byte ranges, with the signer's certificate
//! chain and the signed attributes PAdES asks for (content type, message
//! digest, signing-certificate-v2; no signing time, which the PDF's /M
//! carries). RustCrypto's `cms`, `x509-cert`, `rsa` and `p256` do the
//! crypto and the DER; `p12-keystore` opens a PKCS#12 file. vetter writes
//! none of it.

use crate::error::{Error, Result};
use cms::builder::{SignedDataBuilder, SignerInfoBuilder};
use cms::cert::{CertificateChoices, IssuerAndSerialNumber};
use cms::signed_data::{EncapsulatedContentInfo, SignerIdentifier};
use der::{Decode, Encode};
use sha2::{Digest, Sha256};
use std::path::Path;
use x509_cert::Certificate;

/// Certificates and keys are small; a larger file is not one.
const MAX_FILE_BYTES: u64 = 256 * 1024;

/// id-aa-signingCertificateV2 (RFC 5035).
const SIGNING_CERTIFICATE_V2: der::oid::ObjectIdentifier =
    der::oid::ObjectIdentifier::new_unwrap("1.2.840.113549.1.9.16.2.47");

/// The private key, RSA (PKCS#1 v1.5 with SHA-256) or ECDSA P-256.
enum Key {
    Rsa(Box<rsa::pkcs1v15::SigningKey<Sha256>>),
    P256(p256::ecdsa::SigningKey),
}

/// A signer for packet.pdf: the key and its certificate chain, the
/// signer's own certificate first.
pub struct PdfSigner {
    key: Key,
    chain: Vec<Certificate>,
}

impl PdfSigner {
    /// The signer's common name (or whole subject) as their certificate
    /// gives it.
    pub fn name(&self) -> String {
        let subject = &self.chain[0].tbs_certificate.subject;
        for rdn in subject.0.iter() {
            for atv in rdn.0.iter() {
                if atv.oid == der::oid::db::rfc4519::CN {
                    if let Ok(s) = der::asn1::Utf8StringRef::try_from(&atv.value) {
                        return s.as_str().to_string();
                    }
                    if let Ok(s) = der::asn1::PrintableStringRef::try_from(&atv.value) {
                        return s.as_str().to_string();
                    }
                }
            }
        }
        subject.to_string()
    }

    /// When the signer's certificate stops being valid.
    fn not_after(&self) -> std::time::SystemTime {
        self.chain[0]
            .tbs_certificate
            .validity
            .not_after
            .to_system_time()
    }

    fn not_before(&self) -> std::time::SystemTime {
        self.chain[0]
            .tbs_certificate
            .validity
            .not_before
            .to_system_time()
    }
}

/// Opens `--sign-pdf`: `CERT.p12` (its password from
/// VETTER_KEY_PASSPHRASE_FILE or the terminal), or `CERT.pem+KEY.pem` (the
/// certificate, then any CA certificates, and an unencrypted PKCS#8, PKCS#1
/// or SEC1 key). Refuses a key that is not the certificate's.
pub fn load(spec: &str, now: chrono::DateTime<chrono::Utc>) -> Result<PdfSigner> {
    let signer = match spec.split_once('+') {
        Some((cert, key)) if !Path::new(spec).exists() => {
            from_pem(Path::new(cert), Path::new(key))?
        }
        _ => from_p12(Path::new(spec))?,
    };
    let now_system: std::time::SystemTime = now.into();
    let name = signer.name();
    if now_system > signer.not_after() || now_system < signer.not_before() {
        let shown = |t: std::time::SystemTime| {
            chrono::DateTime::<chrono::Utc>::from(t)
                .format("%Y-%m-%d")
                .to_string()
        };
        return Err(Error::user(format!(
            "the certificate of '{name}' is valid from {} to {}, not on {}",
            shown(signer.not_before()),
            shown(signer.not_after()),
            now.format("%Y-%m-%d")
        ))
        .with_hint(
            "sign with a certificate valid today; a PDF reader would reject this signature",
        ));
    }
    Ok(signer)
}

fn read(path: &Path, what: &str, hint: &str) -> Result<Vec<u8>> {
    crate::validate::read_capped(path, what, MAX_FILE_BYTES, hint)
}

fn from_pem(cert_path: &Path, key_path: &Path) -> Result<PdfSigner> {
    let certs = read(
        cert_path,
        "certificate",
        "pass the signer's certificate in PEM (-----BEGIN CERTIFICATE-----), e.g. cert.pem+key.pem",
    )?;
    let chain = Certificate::load_pem_chain(&certs).map_err(|e| {
        Error::user(format!(
            "'{}' holds no PEM certificate: {e}",
            cert_path.display()
        ))
        .with_hint("pass CERT.pem+KEY.pem: the certificate (then any CA certificates) in PEM, then the private key")
    })?;
    let key_pem = read(
        key_path,
        "private key",
        "pass the private key in PEM (-----BEGIN PRIVATE KEY-----)",
    )?;
    let key_text = String::from_utf8_lossy(&key_pem);
    let key = key_from_pem(&key_text).ok_or_else(|| {
        let encrypted = key_text.contains("ENCRYPTED");
        Error::user(format!(
            "'{}' is not {} private key vetter can use",
            key_path.display(),
            if encrypted { "an unencrypted" } else { "an RSA or P-256" }
        ))
        .with_hint(if encrypted {
            "put the key and certificate in a .p12 (`openssl pkcs12 -export`), whose password vetter asks for, or decrypt the key with `openssl pkey`"
        } else {
            "pass an RSA or ECDSA P-256 key in PEM (PKCS#8, PKCS#1 or SEC1)"
        })
    })?;
    with_chain(key, chain, &cert_path.display().to_string())
}

fn key_from_pem(text: &str) -> Option<Key> {
    use p256::pkcs8::DecodePrivateKey;
    use rsa::pkcs1::DecodeRsaPrivateKey;
    if let Ok(k) = rsa::RsaPrivateKey::from_pkcs8_pem(text) {
        return Some(Key::Rsa(Box::new(rsa::pkcs1v15::SigningKey::new(k))));
    }
    if let Ok(k) = rsa::RsaPrivateKey::from_pkcs1_pem(text) {
        return Some(Key::Rsa(Box::new(rsa::pkcs1v15::SigningKey::new(k))));
    }
    if let Ok(k) = p256::SecretKey::from_pkcs8_pem(text) {
        return Some(Key::P256(k.into()));
    }
    if let Ok(k) = p256::SecretKey::from_sec1_pem(text) {
        return Some(Key::P256(k.into()));
    }
    None
}

fn key_from_pkcs8_der(der: &[u8]) -> Option<Key> {
    use p256::pkcs8::DecodePrivateKey;
    if let Ok(k) = rsa::RsaPrivateKey::from_pkcs8_der(der) {
        return Some(Key::Rsa(Box::new(rsa::pkcs1v15::SigningKey::new(k))));
    }
    if let Ok(k) = p256::SecretKey::from_pkcs8_der(der) {
        return Some(Key::P256(k.into()));
    }
    None
}

fn from_p12(path: &Path) -> Result<PdfSigner> {
    let shown = path.display().to_string();
    let bytes = read(
        path,
        "PKCS#12 file",
        "pass CERT.p12 (a PKCS#12 file with the key and its certificate), or CERT.pem+KEY.pem",
    )?;
    let (password, from) = super::passphrase(&shown, "password")?;
    let store = p12_keystore::KeyStore::from_pkcs12(&bytes, &password).map_err(|e| {
        let text = e.to_string();
        if text.to_lowercase().contains("mac") {
            Error::user(format!("{from} does not open '{shown}'")).with_hint(
                "give the PKCS#12 file's password (in a file: on its first line, nothing else)",
            )
        } else {
            Error::user(format!(
                "'{shown}' is not a PKCS#12 file vetter can read: {text}"
            ))
            .with_hint("pass a .p12 made by `openssl pkcs12 -export`, or CERT.pem+KEY.pem")
        }
    })?;
    let (_, chain) = store.private_key_chain().ok_or_else(|| {
        Error::user(format!("'{shown}' holds no private key"))
            .with_hint("export the key with its certificate: `openssl pkcs12 -export -inkey key.pem -in cert.pem`")
    })?;
    let key = key_from_pkcs8_der(chain.key()).ok_or_else(|| {
        Error::user(format!(
            "'{shown}' holds a key that is neither RSA nor P-256"
        ))
        .with_hint("sign with an RSA or ECDSA P-256 key")
    })?;
    let certs = chain
        .chain()
        .iter()
        .map(|c| Certificate::from_der(c.as_der()))
        .collect::<std::result::Result<Vec<_>, _>>()
        .map_err(|e| Error::user(format!("a certificate in '{shown}' cannot be read: {e}")))?;
    with_chain(key, certs, &shown)
}

/// Puts the certificate whose public key is the key's first; refuses when
/// none is.
fn with_chain(key: Key, mut chain: Vec<Certificate>, shown: &str) -> Result<PdfSigner> {
    use p256::pkcs8::EncodePublicKey;
    let public = match &key {
        Key::Rsa(k) => rsa::RsaPublicKey::from(k.as_ref().as_ref()).to_public_key_der(),
        Key::P256(k) => k.verifying_key().to_public_key_der(),
    }
    .map_err(|e| Error::internal(format!("cannot encode a public key: {e}")))?;
    let position = chain.iter().position(|c| {
        c.tbs_certificate
            .subject_public_key_info
            .to_der()
            .is_ok_and(|spki| spki == public.as_bytes())
    });
    let Some(position) = position else {
        return Err(Error::user(format!(
            "no certificate in '{shown}' is for this private key"
        ))
        .with_hint("pass the signer's certificate with its own key (check with `openssl x509 -noout -pubkey` against `openssl pkey -pubout`)"));
    };
    let own = chain.remove(position);
    chain.insert(0, own);
    Ok(PdfSigner { key, chain })
}

/// The DER CMS SignedData (detached) over `parts`, for /Contents.
pub fn sign(signer: &PdfSigner, parts: [&[u8]; 2]) -> Result<Vec<u8>> {
    let failed =
        |e: &dyn std::fmt::Display| Error::internal(format!("cannot make the PDF signature: {e}"));
    let mut hasher = Sha256::new();
    for part in parts {
        hasher.update(part);
    }
    let digest = hasher.finalize();
    let content = EncapsulatedContentInfo {
        econtent_type: der::oid::db::rfc5911::ID_DATA,
        econtent: None,
    };
    let sha256 = x509_cert::spki::AlgorithmIdentifierOwned {
        oid: der::oid::db::rfc5912::ID_SHA_256,
        parameters: None,
    };
    let own = &signer.chain[0];
    let sid = SignerIdentifier::IssuerAndSerialNumber(IssuerAndSerialNumber {
        issuer: own.tbs_certificate.issuer.clone(),
        serial_number: own.tbs_certificate.serial_number.clone(),
    });
    let signing_certificate = signing_certificate_v2(own).map_err(|e| failed(&e))?;
    let mut builder = SignedDataBuilder::new(&content);
    builder
        .add_digest_algorithm(sha256.clone())
        .map_err(|e| failed(&e))?;
    for cert in &signer.chain {
        builder
            .add_certificate(CertificateChoices::Certificate(cert.clone()))
            .map_err(|e| failed(&e))?;
    }
    match &signer.key {
        Key::Rsa(key) => {
            let mut info =
                SignerInfoBuilder::new(key.as_ref(), sid, sha256, &content, Some(&digest))
                    .map_err(|e| failed(&e))?;
            info.add_signed_attribute(signing_certificate)
                .map_err(|e| failed(&e))?;
            builder
                .add_signer_info::<_, rsa::pkcs1v15::Signature>(info)
                .map_err(|e| failed(&e))?;
        }
        Key::P256(key) => {
            let mut info = SignerInfoBuilder::new(key, sid, sha256, &content, Some(&digest))
                .map_err(|e| failed(&e))?;
            info.add_signed_attribute(signing_certificate)
                .map_err(|e| failed(&e))?;
            builder
                .add_signer_info::<_, p256::ecdsa::DerSignature>(info)
                .map_err(|e| failed(&e))?;
        }
    }
    let signed = builder.build().map_err(|e| failed(&e))?;
    signed.to_der().map_err(|e| failed(&e))
}

/// ESS signing-certificate-v2 naming the signer's certificate by its
/// SHA-256 (the default hash, so not spelled out; no issuerSerial, which
/// CAdES baseline signatures leave out).
fn signing_certificate_v2(cert: &Certificate) -> der::Result<x509_cert::attr::Attribute> {
    let hash = Sha256::digest(cert.to_der()?);
    let cert_hash = der::asn1::OctetString::new(hash.as_slice())?.to_der()?;
    let ess_cert_id = sequence(&cert_hash)?;
    let certs = sequence(&ess_cert_id)?;
    let value = der::Any::from_der(&sequence(&certs)?)?;
    Ok(x509_cert::attr::Attribute {
        oid: SIGNING_CERTIFICATE_V2,
        values: der::asn1::SetOfVec::try_from(vec![value])?,
    })
}

/// A DER SEQUENCE around already-encoded `content`.
fn sequence(content: &[u8]) -> der::Result<Vec<u8>> {
    let header = der::Header::new(der::Tag::Sequence, der::Length::try_from(content.len())?)?;
    let mut out = header.to_der()?;
    out.extend_from_slice(content);
    Ok(out)
}
