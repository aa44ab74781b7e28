//! SSH signatures over a packet's SHA256SUMS (SSHSIG, as `ssh-keygen -Y
//! sign -n vetter-packet` writes them), so an auditor with OpenSSH alone can
//! check that a packet came unchanged from a named reviewer's key. The
//! crypto is the `ssh-key` crate's; this module reads keys and
//! allowed_signers files and says what failed. `pades` signs packet.pdf
//! itself, for auditors who check signatures in a PDF reader.

use crate::error::{Error, Result};
use ssh_key::{HashAlg, LineEnding, PrivateKey, PublicKey, SshSig};
use std::path::Path;

pub mod pades;

/// The SSHSIG namespace of a packet signature: a signature made for another
/// purpose (a git commit, a file) never verifies as a packet's.
pub const NAMESPACE: &str = "vetter-packet";

/// The SSHSIG namespace of a signed chain head (`vetter log --head --sign`):
/// a packet's signature never passes for a head's, nor the reverse.
pub const HEAD_NAMESPACE: &str = "vetter-head";

/// Where a signed head's signature is: FILE.sig beside FILE.
pub fn head_sig_path(file: &Path) -> std::path::PathBuf {
    let mut name = file.as_os_str().to_owned();
    name.push(".sig");
    std::path::PathBuf::from(name)
}

/// The signature file beside SHA256SUMS.
pub const FILE: &str = "SHA256SUMS.sig";

/// The largest key or allowed_signers file read.
const MAX_KEY_BYTES: u64 = 64 * 1024;
/// The largest signature file read (an RSA-16384 signature is under 8 KiB).
pub const MAX_SIG_BYTES: u64 = 64 * 1024;

/// What signs: a private key file, or a key held by the running ssh-agent
/// (`ssh-agent:`, or `ssh-agent:SHA256:...` / `ssh-agent:COMMENT` to pick
/// one of several).
pub enum SigningKey {
    File(Box<PrivateKey>),
    Agent {
        socket: std::path::PathBuf,
        key: PublicKey,
    },
}

impl SigningKey {
    pub fn algorithm(&self) -> String {
        match self {
            SigningKey::File(k) => k.algorithm().to_string(),
            SigningKey::Agent { key, .. } => key.algorithm().to_string(),
        }
    }

    pub fn fingerprint(&self) -> String {
        match self {
            SigningKey::File(k) => k.public_key().fingerprint(HashAlg::Sha256).to_string(),
            SigningKey::Agent { key, .. } => key.fingerprint(HashAlg::Sha256).to_string(),
        }
    }
}

/// The key `--sign`/`--key` names: `ssh-agent:[WHICH]`, or a key file.
pub fn load_signing_key(spec: &Path) -> Result<SigningKey> {
    match spec.to_str().and_then(|s| s.strip_prefix("ssh-agent:")) {
        Some(which) => agent::pick(which),
        None => load_key(spec).map(|k| SigningKey::File(Box::new(k))),
    }
}

/// Reads an OpenSSH private key (ed25519 or RSA). A passphrase-protected
/// key is decrypted with the passphrase in the file VETTER_KEY_PASSPHRASE_FILE.
pub fn load_key(path: &Path) -> Result<PrivateKey> {
    let shown = path.display();
    let bytes = crate::validate::read_capped(
        path,
        "signing key",
        MAX_KEY_BYTES,
        "pass the OpenSSH private key file (id_ed25519), not a directory or a certificate bundle",
    )?;
    let key = PrivateKey::from_openssh(&bytes).map_err(|e| {
        Error::user(format!("'{shown}' is not an OpenSSH private key: {e}")).with_hint(
            "pass a key made by `ssh-keygen -t ed25519` (or -t rsa); a .pub file is the public half",
        )
    })?;
    let key = if key.is_encrypted() {
        let (pass, from) = passphrase(&shown.to_string(), "passphrase")?;
        key.decrypt(pass.as_bytes()).map_err(|_| {
            Error::user(format!("{from} does not open '{shown}'"))
                .with_hint("give the key's passphrase (in a file: on its first line, nothing else)")
        })?
    } else {
        key
    };
    match key.algorithm() {
        ssh_key::Algorithm::Ed25519 | ssh_key::Algorithm::Rsa { .. } => Ok(key),
        other => Err(Error::user(format!(
            "'{shown}' is a {other} key; vetter signs with ed25519 or RSA keys"
        ))
        .with_hint("make one with `ssh-keygen -t ed25519`")),
    }
}

/// The passphrase (or a PKCS#12 file's password: `what`) of the key file
/// `shown`, and where it came from: the file VETTER_KEY_PASSPHRASE_FILE
/// names, else a prompt on the terminal when there is one.
pub(crate) fn passphrase(shown: &str, what: &str) -> Result<(String, &'static str)> {
    use std::io::IsTerminal;
    match std::env::var_os("VETTER_KEY_PASSPHRASE_FILE") {
        Some(file) => {
            let pass = crate::validate::read_capped(
                Path::new(&file),
                "passphrase file",
                4096,
                "VETTER_KEY_PASSPHRASE_FILE names a file holding the passphrase on its first line",
            )?;
            let pass = String::from_utf8_lossy(&pass);
            Ok((
                pass.lines().next().unwrap_or_default().to_string(),
                "the passphrase in VETTER_KEY_PASSPHRASE_FILE",
            ))
        }
        None if std::io::stdin().is_terminal() => Ok((
            rpassword::prompt_password(format!("{what} for '{shown}': "))?,
            "that passphrase",
        )),
        None => Err(Error::user(format!("'{shown}' is protected by a {what}"))
            .with_hint("run it on a terminal to be asked, or put it in a file readable only by you and name that file in VETTER_KEY_PASSPHRASE_FILE")),
    }
}

/// The SSHSIG signature (PEM) of `message` with `key`, as `ssh-keygen -Y
/// sign -n vetter-packet` makes it (SHA-512).
pub fn sign(key: &SigningKey, message: &[u8]) -> Result<String> {
    sign_in(NAMESPACE, key, message)
}

/// `sign` in another namespace (a chain head's).
pub fn sign_in(namespace: &str, key: &SigningKey, message: &[u8]) -> Result<String> {
    let sig = match key {
        SigningKey::File(key) => key
            .sign(namespace, HashAlg::Sha512, message)
            .map_err(|e| Error::internal(format!("signing failed: {e}")))?,
        SigningKey::Agent { socket, key } => agent::sign(socket, key, namespace, message)?,
    };
    sig.to_pem(LineEnding::LF)
        .map_err(|e| Error::internal(format!("encoding the signature failed: {e}")))
}

/// One line of an allowed_signers file: who, and the key they sign with.
#[derive(Debug, Clone)]
pub struct AllowedSigner {
    pub principals: Vec<String>,
    /// The `namespaces="..."` option, when the line limits them.
    pub namespaces: Option<Vec<String>>,
    pub key: PublicKey,
    /// Where it is: "allowed_signers line 3".
    pub line: String,
}

/// Reads an allowed_signers file (the format of `ssh-keygen -Y verify`,
/// ssh-keygen(1) ALLOWED SIGNERS): `principals [options] keytype base64
/// [comment]`. The options vetter knows are `namespaces="..."`; a line with
/// `cert-authority`, `valid-after` or `valid-before` is refused, naming it,
/// rather than read as something it is not.
pub fn read_allowed_signers(path: &Path) -> Result<Vec<AllowedSigner>> {
    let shown = path.display().to_string();
    let bytes = crate::validate::read_capped(
        path,
        "allowed signers file",
        MAX_KEY_BYTES,
        "one line per signer: principal, then the public key as in a .pub file",
    )?;
    let text = String::from_utf8(bytes)
        .map_err(|_| Error::user(format!("'{shown}' is not UTF-8 text")))?;
    let mut signers = Vec::new();
    for (n, raw) in text.lines().enumerate() {
        let line = raw.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let at = format!("{shown} line {}", n + 1);
        let bad = |why: String| {
            Error::user(format!("{at}: {why}"))
                .with_hint("a line is `alice@example.com ssh-ed25519 AAAA...` (principal, then the key as in a .pub file), optionally with namespaces=\"vetter-packet\" before the key")
        };
        let (principals, rest) = line
            .split_once(char::is_whitespace)
            .ok_or_else(|| bad("no key after the principal".into()))?;
        let mut rest = rest.trim_start();
        let mut namespaces = None;
        // Options come before the key type; the key type starts with
        // "ssh-", "ecdsa-" or "sk-".
        while !rest.starts_with("ssh-") && !rest.starts_with("ecdsa-") && !rest.starts_with("sk-") {
            let (option, after) = split_option(rest)
                .ok_or_else(|| bad(format!("cannot read the options in {rest:?}")))?;
            for opt in option.split(',') {
                if let Some(list) = opt.strip_prefix("namespaces=") {
                    let list = list.trim_matches('"');
                    namespaces = Some(list.split(',').map(str::to_string).collect());
                } else if opt.contains("namespaces=") {
                    // namespaces="a,b" was split at its inner comma.
                    return Err(bad("write several namespaces as namespaces=\"a,b\" with no other option after it on that word".into()));
                } else {
                    return Err(bad(format!(
                        "the option {opt:?} is not one vetter checks (it knows namespaces=)"
                    )));
                }
            }
            rest = after.trim_start();
            if rest.is_empty() {
                return Err(bad("no key after the options".into()));
            }
        }
        let key = PublicKey::from_openssh(rest)
            .map_err(|e| bad(format!("the key does not read: {e}")))?;
        signers.push(AllowedSigner {
            principals: principals.split(',').map(str::to_string).collect(),
            namespaces,
            key,
            line: at,
        });
    }
    if signers.is_empty() {
        return Err(Error::user(format!("'{shown}' names no signer")).with_hint(
            "add a line: the signer's principal (e.g. alice@example.com), then their public key",
        ));
    }
    Ok(signers)
}

/// The first option word of `text` (quotes keep their spaces) and the rest.
fn split_option(text: &str) -> Option<(&str, &str)> {
    let mut quoted = false;
    for (i, c) in text.char_indices() {
        match c {
            '"' => quoted = !quoted,
            c if c.is_whitespace() && !quoted => return Some((&text[..i], &text[i..])),
            _ => {}
        }
    }
    None
}

/// Who signed: the allowed principals of the key and its fingerprint.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Signer {
    pub principals: Vec<String>,
    pub fingerprint: String,
    pub algorithm: String,
}

/// Checks `sig_pem` over `message` against `allowed`: a well-formed SSHSIG,
/// the vetter-packet namespace, a key the file allows (for that namespace),
/// and a signature that verifies. Err says which failed.
pub fn verify(
    sig_pem: &[u8],
    message: &[u8],
    allowed: &[AllowedSigner],
) -> std::result::Result<Signer, String> {
    verify_in(NAMESPACE, FILE, sig_pem, message, allowed)
}

/// `verify` in `namespace`, naming the signature file `file` in messages.
pub fn verify_in(
    namespace: &str,
    file: &str,
    sig_pem: &[u8],
    message: &[u8],
    allowed: &[AllowedSigner],
) -> std::result::Result<Signer, String> {
    let sig = SshSig::from_pem(sig_pem)
        .map_err(|e| format!("{file} is not an SSH signature ({e}); it may be truncated or not one vetter or ssh-keygen wrote"))?;
    if sig.namespace() != namespace {
        return Err(format!(
            "the signature is for the namespace '{}', not '{namespace}': it was made for another purpose",
            sig.namespace()
        ));
    }
    let key = PublicKey::from(sig.public_key().clone());
    let fingerprint = key.fingerprint(HashAlg::Sha256).to_string();
    let matching: Vec<&AllowedSigner> = allowed
        .iter()
        .filter(|a| a.key.key_data() == sig.public_key())
        .collect();
    if matching.is_empty() {
        return Err(format!(
            "{file} was made with the key {fingerprint}, which the allowed signers file does not list"
        ));
    }
    let permitted: Vec<&&AllowedSigner> = matching
        .iter()
        .filter(|a| {
            a.namespaces
                .as_ref()
                .is_none_or(|n| n.iter().any(|n| n == namespace))
        })
        .collect();
    if permitted.is_empty() {
        return Err(format!(
            "the key {fingerprint} is allowed only for other namespaces ({}), not '{namespace}'",
            matching[0].line
        ));
    }
    key.verify(namespace, message, &sig).map_err(|_| {
        format!(
            "the signature does not match {}: the file was changed after it was signed, or the signature belongs to another one",
            file.trim_end_matches(".sig")
        )
    })?;
    Ok(Signer {
        principals: permitted
            .iter()
            .flat_map(|a| a.principals.clone())
            .collect(),
        fingerprint,
        algorithm: key.algorithm().to_string(),
    })
}

/// The ssh-agent protocol (draft-miller-ssh-agent): list the agent's keys and
/// ask it to sign SSHSIG's signed data. The agent does the crypto.
mod agent {
    use super::{Error, Result, SigningKey};
    use ssh_key::{HashAlg, PublicKey, Signature, SshSig};
    use std::io::{Read, Write};
    use std::os::unix::net::UnixStream;
    use std::path::Path;

    const REQUEST_IDENTITIES: u8 = 11;
    const IDENTITIES_ANSWER: u8 = 12;
    const SIGN_REQUEST: u8 = 13;
    const SIGN_RESPONSE: u8 = 14;
    /// Ask an RSA key for rsa-sha2-512, not SHA-1.
    const RSA_SHA2_512: u32 = 4;
    /// An agent answer larger than this is not one.
    const MAX_MESSAGE: usize = 256 * 1024;

    fn unavailable(why: String) -> Error {
        Error::user(why).with_hint(
            "start ssh-agent and `ssh-add` the key, or pass the key file instead of ssh-agent:",
        )
    }

    fn string(out: &mut Vec<u8>, bytes: &[u8]) {
        out.extend_from_slice(&(bytes.len() as u32).to_be_bytes());
        out.extend_from_slice(bytes);
    }

    fn call(socket: &Path, request: &[u8]) -> Result<Vec<u8>> {
        let mut stream = UnixStream::connect(socket).map_err(|e| {
            unavailable(format!(
                "cannot reach ssh-agent at '{}': {e}",
                socket.display()
            ))
        })?;
        let mut msg = (request.len() as u32).to_be_bytes().to_vec();
        msg.extend_from_slice(request);
        stream.write_all(&msg)?;
        let mut len = [0u8; 4];
        stream.read_exact(&mut len)?;
        let len = u32::from_be_bytes(len) as usize;
        if len == 0 || len > MAX_MESSAGE {
            return Err(unavailable(format!(
                "ssh-agent sent a message of {len} bytes"
            )));
        }
        let mut reply = vec![0u8; len];
        stream.read_exact(&mut reply)?;
        Ok(reply)
    }

    /// Reads a length-prefixed string at `*at`.
    fn take<'a>(bytes: &'a [u8], at: &mut usize) -> Option<&'a [u8]> {
        let len = u32::from_be_bytes(bytes.get(*at..*at + 4)?.try_into().ok()?) as usize;
        let value = bytes.get(*at + 4..*at + 4 + len)?;
        *at += 4 + len;
        Some(value)
    }

    fn socket() -> Result<std::path::PathBuf> {
        std::env::var_os("SSH_AUTH_SOCK")
            .map(std::path::PathBuf::from)
            .ok_or_else(|| unavailable("ssh-agent: was given, but SSH_AUTH_SOCK is not set".into()))
    }

    /// The agent's key `which` names (a SHA256 fingerprint or a comment);
    /// its only key when `which` is empty.
    pub fn pick(which: &str) -> Result<SigningKey> {
        let socket = socket()?;
        let reply = call(&socket, &[REQUEST_IDENTITIES])?;
        if reply.first() != Some(&IDENTITIES_ANSWER) {
            return Err(unavailable("ssh-agent refused to list its keys".into()));
        }
        let mut at = 5; // type, then the count
        let mut keys = Vec::new();
        while let (Some(blob), Some(comment)) = (take(&reply, &mut at), take(&reply, &mut at)) {
            if let Ok(key) = PublicKey::from_bytes(blob) {
                keys.push((key, String::from_utf8_lossy(comment).into_owned()));
            }
        }
        let named: Vec<&(PublicKey, String)> = keys
            .iter()
            .filter(|(k, c)| {
                which.is_empty()
                    || c == which
                    || k.fingerprint(HashAlg::Sha256).to_string() == which
            })
            .filter(|(k, _)| {
                matches!(
                    k.algorithm(),
                    ssh_key::Algorithm::Ed25519 | ssh_key::Algorithm::Rsa { .. }
                )
            })
            .collect();
        match named.as_slice() {
            [(key, _)] => Ok(SigningKey::Agent {
                socket,
                key: key.clone(),
            }),
            [] => Err(unavailable(format!(
                "ssh-agent holds no ed25519 or RSA key{}",
                if which.is_empty() {
                    String::new()
                } else {
                    format!(" named '{which}'")
                }
            ))),
            several => Err(Error::user(format!(
                "ssh-agent holds {} keys: {}",
                several.len(),
                several
                    .iter()
                    .map(|(k, c)| format!("{} ({c})", k.fingerprint(HashAlg::Sha256)))
                    .collect::<Vec<_>>()
                    .join(", ")
            ))
            .with_hint("name one: ssh-agent:SHA256:... or ssh-agent:COMMENT")),
        }
    }

    /// SSHSIG over `message`, signed by the agent's `key`.
    pub fn sign(socket: &Path, key: &PublicKey, namespace: &str, message: &[u8]) -> Result<SshSig> {
        let data = SshSig::signed_data(namespace, HashAlg::Sha512, message)
            .map_err(|e| Error::internal(format!("signing failed: {e}")))?;
        let blob = key
            .to_bytes()
            .map_err(|e| Error::internal(format!("encoding the key failed: {e}")))?;
        let mut request = vec![SIGN_REQUEST];
        string(&mut request, &blob);
        string(&mut request, &data);
        let flags = match key.algorithm() {
            ssh_key::Algorithm::Rsa { .. } => RSA_SHA2_512,
            _ => 0,
        };
        request.extend_from_slice(&flags.to_be_bytes());
        let reply = call(socket, &request)?;
        let mut at = 1;
        let sig = (reply.first() == Some(&SIGN_RESPONSE))
            .then(|| take(&reply, &mut at))
            .flatten()
            .ok_or_else(|| {
                unavailable(
                    "ssh-agent refused to sign (a confirm-only key, or a locked agent?)".into(),
                )
            })?;
        let signature = Signature::try_from(sig)
            .map_err(|e| Error::internal(format!("ssh-agent's signature does not read: {e}")))?;
        SshSig::new(
            key.key_data().clone(),
            namespace,
            HashAlg::Sha512,
            signature,
        )
        .map_err(|e| Error::internal(format!("signing failed: {e}")))
    }
}
