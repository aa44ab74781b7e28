//! TLS to a team register's server, with rustls (no OpenSSL on the build
//! machine), by libpq's sslmode:
//! - disable: plain;
//! - allow, prefer: TLS when the server offers it, the certificate not
//!   checked (libpq's own behaviour);
//! - require: TLS, the certificate not checked, unless a root certificate
//!   file exists (sslrootcert, or ~/.postgresql/root.crt), when libpq
//!   checks the chain as for verify-ca, and so does vetter;
//! - verify-ca: the chain is checked against the root certificates, not
//!   the host name;
//! - verify-full: the chain and the host name.
//!
//! `sslrootcert=system` uses the machine's roots (a managed service with a
//! public CA).

use super::conninfo::{ConnSettings, Host};
use crate::error::{Error, Result};
use rustls::client::danger::{HandshakeSignatureValid, ServerCertVerified, ServerCertVerifier};
use rustls::pki_types::{CertificateDer, ServerName, UnixTime};
use rustls::{CertificateError, DigitallySignedStruct, SignatureScheme};
use std::sync::Arc;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SslMode {
    Disable,
    Allow,
    Prefer,
    Require,
    VerifyCa,
    VerifyFull,
}

impl std::str::FromStr for SslMode {
    type Err = Error;
    fn from_str(s: &str) -> Result<SslMode> {
        Ok(match s {
            "disable" => SslMode::Disable,
            "allow" => SslMode::Allow,
            "prefer" => SslMode::Prefer,
            "require" => SslMode::Require,
            "verify-ca" => SslMode::VerifyCa,
            "verify-full" => SslMode::VerifyFull,
            other => {
                return Err(Error::user(format!("invalid sslmode '{other}'")).with_hint(
                    "sslmode is disable, allow, prefer, require, verify-ca or verify-full",
                ))
            }
        })
    }
}

impl std::fmt::Display for SslMode {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            SslMode::Disable => "disable",
            SslMode::Allow => "allow",
            SslMode::Prefer => "prefer",
            SslMode::Require => "require",
            SslMode::VerifyCa => "verify-ca",
            SslMode::VerifyFull => "verify-full",
        })
    }
}

/// How to check the server's certificate.
enum Check {
    Nothing,
    Chain,
    ChainAndName,
}

/// The connector and the postgres SslMode for `s`, or None for a plain
/// connection (disable, or a Unix socket, where libpq uses no TLS).
pub fn connector(
    s: &ConnSettings,
) -> Result<
    Option<(
        postgres::config::SslMode,
        tokio_postgres_rustls::MakeRustlsConnect,
    )>,
> {
    if s.sslmode == SslMode::Disable || matches!(s.host, Host::Socket(_)) {
        return Ok(None);
    }
    let roots_file = root_file(s);
    let check = match s.sslmode {
        SslMode::Disable => unreachable!("handled above"),
        SslMode::Allow | SslMode::Prefer => Check::Nothing,
        SslMode::Require if roots_file.is_some() => Check::Chain,
        SslMode::Require => Check::Nothing,
        SslMode::VerifyCa => Check::Chain,
        SslMode::VerifyFull => Check::ChainAndName,
    };
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let builder = rustls::ClientConfig::builder_with_provider(provider.clone())
        .with_safe_default_protocol_versions()
        .map_err(|e| Error::internal(format!("TLS setup failed: {e}")))?;
    let verifier: Arc<dyn ServerCertVerifier> = match check {
        Check::Nothing => Arc::new(NoCheck(provider)),
        Check::Chain | Check::ChainAndName => {
            let roots = load_roots(s, roots_file.as_deref())?;
            let webpki = rustls::client::WebPkiServerVerifier::builder_with_provider(
                Arc::new(roots),
                provider,
            )
            .build()
            .map_err(|e| Error::user(format!("cannot use the root certificates: {e}")))?;
            match check {
                Check::Chain => Arc::new(ChainOnly(webpki)),
                _ => webpki,
            }
        }
    };
    let config = builder
        .dangerous()
        .with_custom_certificate_verifier(verifier)
        .with_no_client_auth();
    let mode = match s.sslmode {
        SslMode::Allow | SslMode::Prefer => postgres::config::SslMode::Prefer,
        _ => postgres::config::SslMode::Require,
    };
    Ok(Some((
        mode,
        tokio_postgres_rustls::MakeRustlsConnect::new(config),
    )))
}

/// The root certificate file: sslrootcert, else ~/.postgresql/root.crt
/// when it exists (libpq's default). "system" is the machine's store.
fn root_file(s: &ConnSettings) -> Option<String> {
    match &s.sslrootcert {
        Some(given) => Some(given.clone()),
        None => dirs::home_dir()
            .map(|h| h.join(".postgresql/root.crt"))
            .filter(|p| p.is_file())
            .map(|p| p.display().to_string()),
    }
}

fn load_roots(s: &ConnSettings, file: Option<&str>) -> Result<rustls::RootCertStore> {
    use rustls::pki_types::pem::PemObject;
    let mut roots = rustls::RootCertStore::empty();
    match file {
        None => {
            return Err(Error::user(format!(
                "sslmode={} checks the server's certificate, and there is no root certificate to check it against (looked for ~/.postgresql/root.crt)",
                s.sslmode
            ))
            .with_hint("give the CA that signed the server's certificate: sslrootcert=/path/ca.crt in --db, or PGSSLROOTCERT; sslrootcert=system uses this machine's roots"))
        }
        Some("system") => {
            let found = rustls_native_certs::load_native_certs();
            for cert in found.certs {
                let _ = roots.add(cert);
            }
        }
        Some(path) => {
            let bytes = crate::validate::read_capped(
                std::path::Path::new(path),
                "root certificate",
                1 << 20,
                "sslrootcert names a PEM file of CA certificates",
            )?;
            for cert in CertificateDer::pem_slice_iter(&bytes) {
                let cert = cert.map_err(|e| {
                    Error::user(format!("cannot read root certificate file '{path}': {e}"))
                        .with_hint("sslrootcert names a PEM file of CA certificates")
                })?;
                roots.add(cert).map_err(|e| {
                    Error::user(format!("'{path}' holds a certificate rustls cannot use: {e}"))
                })?;
            }
        }
    }
    if roots.is_empty() {
        return Err(Error::user(format!(
            "no root certificate found in '{}'",
            file.unwrap_or_default()
        ))
        .with_hint(
            "sslrootcert names a PEM file holding the CA certificate (-----BEGIN CERTIFICATE-----)",
        ));
    }
    Ok(roots)
}

/// prefer/require without roots: encrypted, not authenticated (libpq's
/// meaning of those modes). The handshake signature is still checked.
#[derive(Debug)]
struct NoCheck(Arc<rustls::crypto::CryptoProvider>);

impl ServerCertVerifier for NoCheck {
    fn verify_server_cert(
        &self,
        _end_entity: &CertificateDer<'_>,
        _intermediates: &[CertificateDer<'_>],
        _server_name: &ServerName<'_>,
        _ocsp_response: &[u8],
        _now: UnixTime,
    ) -> std::result::Result<ServerCertVerified, rustls::Error> {
        Ok(ServerCertVerified::assertion())
    }

    fn verify_tls12_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> std::result::Result<HandshakeSignatureValid, rustls::Error> {
        rustls::crypto::verify_tls12_signature(
            message,
            cert,
            dss,
            &self.0.signature_verification_algorithms,
        )
    }

    fn verify_tls13_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> std::result::Result<HandshakeSignatureValid, rustls::Error> {
        rustls::crypto::verify_tls13_signature(
            message,
            cert,
            dss,
            &self.0.signature_verification_algorithms,
        )
    }

    fn supported_verify_schemes(&self) -> Vec<SignatureScheme> {
        self.0.signature_verification_algorithms.supported_schemes()
    }
}

/// verify-ca: the chain must lead to a root; the name may be anything.
#[derive(Debug)]
struct ChainOnly(Arc<rustls::client::WebPkiServerVerifier>);

impl ServerCertVerifier for ChainOnly {
    fn verify_server_cert(
        &self,
        end_entity: &CertificateDer<'_>,
        intermediates: &[CertificateDer<'_>],
        server_name: &ServerName<'_>,
        ocsp_response: &[u8],
        now: UnixTime,
    ) -> std::result::Result<ServerCertVerified, rustls::Error> {
        match self
            .0
            .verify_server_cert(end_entity, intermediates, server_name, ocsp_response, now)
        {
            Err(rustls::Error::InvalidCertificate(
                CertificateError::NotValidForName | CertificateError::NotValidForNameContext { .. },
            )) => Ok(ServerCertVerified::assertion()),
            other => other,
        }
    }

    fn verify_tls12_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> std::result::Result<HandshakeSignatureValid, rustls::Error> {
        self.0.verify_tls12_signature(message, cert, dss)
    }

    fn verify_tls13_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> std::result::Result<HandshakeSignatureValid, rustls::Error> {
        self.0.verify_tls13_signature(message, cert, dss)
    }

    fn supported_verify_schemes(&self) -> Vec<SignatureScheme> {
        self.0.supported_verify_schemes()
    }
}

/// What went wrong with TLS, in words, when that is what failed.
pub fn explain(e: &postgres::Error) -> Option<String> {
    let mut cause: Option<&(dyn std::error::Error + 'static)> = Some(e);
    while let Some(c) = cause {
        if let Some(tls) = c.downcast_ref::<rustls::Error>() {
            return explain_rustls(tls);
        }
        if let Some(io) = c.downcast_ref::<std::io::Error>() {
            if let Some(inner) = io.get_ref().and_then(|i| i.downcast_ref::<rustls::Error>()) {
                return explain_rustls(inner);
            }
        }
        cause = c.source();
    }
    let text = e.to_string();
    if text.contains("server does not support TLS") || text.contains("does not support SSL") {
        return Some("the server does not offer TLS".into());
    }
    None
}

fn explain_rustls(e: &rustls::Error) -> Option<String> {
    use CertificateError as C;
    Some(match e {
        rustls::Error::InvalidCertificate(C::UnknownIssuer) => {
            "the server's certificate is not signed by a trusted root certificate".into()
        }
        rustls::Error::InvalidCertificate(
            C::NotValidForName | C::NotValidForNameContext { .. },
        ) => "the server's certificate is not valid for this host name".into(),
        rustls::Error::InvalidCertificate(C::Expired | C::ExpiredContext { .. }) => {
            "the server's certificate has expired".into()
        }
        other => format!("TLS failed: {other}"),
    })
}

pub fn hint(mode: SslMode) -> String {
    match mode {
        SslMode::VerifyFull => "connect with the host name the certificate names, and give the CA that signed it with sslrootcert=/path/ca.crt (or PGSSLROOTCERT); nothing was changed".into(),
        SslMode::VerifyCa => "give the CA that signed the server's certificate with sslrootcert=/path/ca.crt (or PGSSLROOTCERT); nothing was changed".into(),
        _ => "the server must offer TLS for this sslmode; ask its DBA, or use sslmode=prefer on a network you trust; nothing was changed".into(),
    }
}
