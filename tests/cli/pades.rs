//! Signed PDFs (issue 24, part 5): `export --sign-pdf` adds a PAdES B-B
//! signature to packet.pdf, validated as a PDF-only auditor would: with
//! pyHanko (`pyhanko sign validate`, PyPI; scripts/test installs it in
//! target/pyhanko) and poppler's pdfsig, against a test CA made here with
//! openssl. A byte flipped inside either signed range must fail.

use super::{contains_all, p, T};
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// pyHanko's command line: VETTER_TEST_PYHANKO, else the one scripts/test
/// installs.
fn pyhanko() -> Option<PathBuf> {
    let path = std::env::var_os("VETTER_TEST_PYHANKO")
        .map(PathBuf::from)
        .unwrap_or_else(|| {
            Path::new(env!("CARGO_MANIFEST_DIR")).join("target/pyhanko/bin/pyhanko")
        });
    let runs = Command::new(&path)
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success());
    if !runs {
        eprintln!(
            "SKIP PDF signature validation: no pyhanko at {} (scripts/test installs it from PyPI; or set VETTER_TEST_PYHANKO)",
            path.display()
        );
    }
    runs.then_some(path)
}

fn have(tool: &str) -> bool {
    let here = Command::new(tool).arg("-v").output().is_ok();
    if !here {
        eprintln!("SKIP: {tool} is missing");
    }
    here
}

/// A CA and its signers, made with `openssl ca` so that the certificates'
/// dates can be set (valid from before the suite's clock, 2026-11-26).
struct TestCa {
    dir: PathBuf,
}

const CA_CONFIG: &str = r#"[ca]
default_ca = test
[test]
dir = .
database = index.txt
serial = serial
new_certs_dir = .
default_md = sha256
policy = anything
copy_extensions = none
unique_subject = no
[anything]
commonName = supplied
emailAddress = optional
[signer]
basicConstraints = critical,CA:FALSE
keyUsage = critical,digitalSignature,nonRepudiation
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
"#;

impl TestCa {
    fn new(dir: PathBuf) -> TestCa {
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(dir.join("ca.cnf"), CA_CONFIG).unwrap();
        std::fs::write(dir.join("index.txt"), "").unwrap();
        std::fs::write(dir.join("serial"), "1000\n").unwrap();
        let ca = TestCa { dir };
        ca.openssl(&[
            "req",
            "-x509",
            "-newkey",
            "rsa:2048",
            "-nodes",
            "-keyout",
            "ca.key",
            "-out",
            "ca.pem",
            "-days",
            "3650",
            "-subj",
            "/CN=vetter test audit CA",
            "-addext",
            "basicConstraints=critical,CA:TRUE",
            "-addext",
            "keyUsage=critical,keyCertSign,cRLSign",
        ]);
        ca
    }

    fn openssl(&self, args: &[&str]) {
        let out = Command::new("openssl")
            .args(args)
            .current_dir(&self.dir)
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "openssl {args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    }

    /// A signer `name` with a key of `algorithm` (`rsa:2048`, `ec`),
    /// certified from `start` to `end` (YYMMDDHHMMSSZ): NAME.key, NAME.pem.
    fn signer(&self, name: &str, algorithm: &str, start: &str, end: &str) -> (PathBuf, PathBuf) {
        let key = format!("{name}.key");
        match algorithm {
            "ec" => self.openssl(&[
                "genpkey",
                "-algorithm",
                "EC",
                "-pkeyopt",
                "ec_paramgen_curve:P-256",
                "-out",
                &key,
            ]),
            rsa => self.openssl(&[
                "genpkey",
                "-algorithm",
                "RSA",
                "-pkeyopt",
                &format!("rsa_keygen_bits:{}", &rsa[4..]),
                "-out",
                &key,
            ]),
        }
        let csr = format!("{name}.csr");
        self.openssl(&[
            "req",
            "-new",
            "-key",
            &key,
            "-out",
            &csr,
            "-subj",
            &format!(
                "/CN={name}/emailAddress={}@example.com",
                name.to_lowercase().replace(' ', ".")
            ),
        ]);
        let cert = format!("{name}.pem");
        self.openssl(&[
            "ca",
            "-batch",
            "-config",
            "ca.cnf",
            "-cert",
            "ca.pem",
            "-keyfile",
            "ca.key",
            "-in",
            &csr,
            "-out",
            &cert,
            "-startdate",
            start,
            "-enddate",
            end,
            "-extensions",
            "signer",
            "-notext",
        ]);
        (self.dir.join(cert), self.dir.join(key))
    }

    /// NAME.p12 holding the signer's key, certificate and the CA's, under
    /// `password`.
    fn p12(&self, name: &str, password: &str) -> PathBuf {
        let file = format!("{name}.p12");
        self.openssl(&[
            "pkcs12",
            "-export",
            "-inkey",
            &format!("{name}.key"),
            "-in",
            &format!("{name}.pem"),
            "-certfile",
            "ca.pem",
            "-out",
            &file,
            "-passout",
            &format!("pass:{password}"),
        ]);
        self.dir.join(file)
    }

    fn root(&self) -> PathBuf {
        self.dir.join("ca.pem")
    }
}

/// `pyhanko sign validate` of `pdf`, trusting only `root`.
fn validate(pyhanko: &Path, root: &Path, pdf: &Path) -> Output {
    Command::new(pyhanko)
        .args([
            "sign",
            "validate",
            "--pretty-print",
            "--trust",
            p(root),
            "--trust-replace",
            p(pdf),
        ])
        .output()
        .unwrap()
}

fn text(out: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    )
}

fn flipped(from: &Path, to: &Path, at: usize) {
    let mut bytes = std::fs::read(from).unwrap();
    bytes[at] ^= 0x01;
    std::fs::write(to, bytes).unwrap();
}

#[test]
fn a_signed_pdf_validates_in_pyhanko_and_a_flipped_byte_fails() {
    if !have("openssl") {
        return;
    }
    let t = T::with_review();
    t.ok(&[
        "finding",
        "add",
        "acme",
        "dpa.breach-notification",
        "--status",
        "met",
        "--source",
        "dpa",
        "--note",
        "72 hours, §9.1",
    ]);
    let ca = TestCa::new(t.path("ca"));
    ca.signer(
        "Alice Reviewer",
        "rsa:2048",
        "250101000000Z",
        "301231000000Z",
    );
    let p12 = ca.p12("Alice Reviewer", "s3cret pass");
    let (bob_cert, bob_key) = ca.signer("Bob Approver", "ec", "250101000000Z", "301231000000Z");
    let (ssh_key, ssh_pub) = super::signing::keypair(t.dir.path(), "alice", "");
    let password = t.write("password", "s3cret pass\n");

    // The unsigned packet, then the same packet signed both ways.
    t.ok(&["export", "acme", "--out", "plain"]);
    let out = t
        .cmd(&[
            "export",
            "acme",
            "--out",
            "signed",
            "--sign-pdf",
            p(&p12),
            "--sign",
            p(&ssh_key),
        ])
        .env("VETTER_KEY_PASSPHRASE_FILE", &password)
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", text(&out));
    let plain = std::fs::read(t.path("plain/packet.pdf")).unwrap();
    let signed_pdf = t.path("signed/packet.pdf");
    let signed = std::fs::read(&signed_pdf).unwrap();
    // An incremental update: the unsigned file is the signed one's start.
    assert!(
        signed.len() > plain.len() && signed.starts_with(&plain),
        "not an incremental update"
    );
    // SHA256SUMS lists the signed PDF, and its own signature still holds.
    let allowed = t.write("allowed_signers", format!("alice {ssh_pub}"));
    contains_all(
        &t.ok(&[
            "verify",
            "--packet",
            "signed",
            "--allowed-signers",
            p(&allowed),
        ]),
        &["signature  ok", "packet     ok"],
    );

    // Poppler reads it: the text, the structure, the signature.
    let words = Command::new("pdftotext")
        .args([p(&signed_pdf), "-"])
        .output()
        .unwrap();
    assert!(String::from_utf8_lossy(&words.stdout).contains("audit packet"));
    let check = Command::new("qpdf")
        .args(["--check", p(&signed_pdf)])
        .output()
        .unwrap();
    assert!(check.status.success(), "qpdf --check: {}", text(&check));
    let pdfa = Command::new("python3")
        .arg(Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/pdfa_check.py"))
        .arg(&signed_pdf)
        .output()
        .unwrap();
    assert!(pdfa.status.success(), "PDF/A-2b checks: {}", text(&pdfa));
    let sig = Command::new("pdfsig").arg(&signed_pdf).output().unwrap();
    contains_all(
        &text(&sig),
        &[
            "Signer Certificate Common Name: Alice Reviewer",
            "Signature Type: ETSI.CAdES.detached",
            "Total document signed",
            "Signature Validation: Signature is Valid.",
        ],
    );

    let Some(pyhanko) = pyhanko() else {
        return;
    };
    let good = validate(&pyhanko, &ca.root(), &signed_pdf);
    assert!(good.status.success(), "{}", text(&good));
    contains_all(
        &text(&good),
        &[
            "Common Name: Alice Reviewer",
            "The signer's certificate is trusted.",
            "The signature is cryptographically sound.",
            "The digest algorithm used was 'sha256'.",
            "The signature covers the entire file.",
            "Signing time as reported by signer: 2026-11-26T09:00:00+00:00",
            "The signature is judged VALID.",
        ],
    );
    // Without our CA among the trust roots, the signature is sound but the
    // signer is not trusted (what a PDF reader shows for an unknown CA).
    let stranger = ca
        .signer("Stranger", "rsa:2048", "250101000000Z", "301231000000Z")
        .0;
    let untrusted = validate(&pyhanko, &stranger, &signed_pdf);
    assert!(!untrusted.status.success());
    contains_all(
        &text(&untrusted),
        &[
            "The signer's certificate is untrusted.",
            "The signature is cryptographically sound.",
        ],
    );

    // A byte flipped in either signed range: before the signature (inside
    // the first page's content) and after it (the signature's /Reason).
    let before = t.path("before.pdf");
    flipped(&signed_pdf, &before, plain.len() / 2);
    let reason = signed
        .windows(12)
        .rposition(|w| w == b"audit packet")
        .expect("the signature's reason");
    let after = t.path("after.pdf");
    flipped(&signed_pdf, &after, reason);
    for bad in [&before, &after] {
        let out = validate(&pyhanko, &ca.root(), bad);
        assert!(!out.status.success(), "{}: {}", bad.display(), text(&out));
        contains_all(
            &text(&out),
            &[
                "The signature is cryptographically unsound.",
                "The signature is judged INVALID.",
            ],
        );
    }

    // An ECDSA P-256 signer, from PEM files.
    t.ok(&[
        "export",
        "acme",
        "--out",
        "bob",
        "--sign-pdf",
        &format!("{}+{}", p(&bob_cert), p(&bob_key)),
    ]);
    let bob = validate(&pyhanko, &ca.root(), &t.path("bob/packet.pdf"));
    assert!(bob.status.success(), "{}", text(&bob));
    contains_all(
        &text(&bob),
        &[
            "Common Name: Bob Approver",
            "ecdsa",
            "The signature is judged VALID.",
        ],
    );
}

#[test]
fn a_bad_pdf_signer_is_refused_and_nothing_is_written() {
    if !have("openssl") {
        return;
    }
    let t = T::with_review();
    let ca = TestCa::new(t.path("ca"));
    let (alice_cert, alice_key) = ca.signer("Alice", "rsa:2048", "250101000000Z", "301231000000Z");
    let (_, bob_key) = ca.signer("Bob", "ec", "250101000000Z", "301231000000Z");
    let (old_cert, old_key) = ca.signer("Old", "ec", "200101000000Z", "211231000000Z");
    let p12 = ca.p12("Alice", "right");
    let wrong = t.write("wrong", "wrong\n");
    let pair = |cert: &Path, key: &Path| format!("{}+{}", p(cert), p(key));
    let cases: Vec<(Vec<String>, Option<&Path>, &[&str])> = vec![
        (
            vec!["--sign-pdf".into(), pair(&alice_cert, &bob_key)],
            None,
            &["no certificate in", "is for this private key"],
        ),
        (
            vec!["--sign-pdf".into(), pair(&old_cert, &old_key)],
            None,
            &["the certificate of 'Old' is valid from 2020-01-01 to 2021-12-31, not on 2026-11-26"],
        ),
        (
            vec!["--sign-pdf".into(), p(&p12).into()],
            Some(&wrong),
            &["the passphrase in VETTER_KEY_PASSPHRASE_FILE does not open"],
        ),
        (
            vec!["--sign-pdf".into(), p(&p12).into()],
            None,
            &["is protected by a password", "VETTER_KEY_PASSPHRASE_FILE"],
        ),
        (
            vec!["--sign-pdf".into(), pair(&alice_key, &alice_key)],
            None,
            &["holds no PEM certificate"],
        ),
        (
            vec!["--sign-pdf".into(), pair(&alice_cert, &alice_key), "--format".into(), "csv".into()],
            None,
            &["--sign-pdf signs packet.pdf, and --format leaves it out"],
        ),
    ];
    for (extra, passphrase, says) in cases {
        let mut args = vec!["export", "acme", "--out", "out"];
        args.extend(extra.iter().map(String::as_str));
        let mut cmd = t.cmd(&args);
        cmd.env_remove("VETTER_KEY_PASSPHRASE_FILE")
            .stdin(std::process::Stdio::null());
        if let Some(file) = passphrase {
            cmd.env("VETTER_KEY_PASSPHRASE_FILE", file);
        }
        let out = cmd.output().unwrap();
        assert_eq!(out.status.code(), Some(1), "{extra:?}: {}", text(&out));
        contains_all(&text(&out), says);
        assert!(!t.path("out").exists(), "{extra:?} wrote a packet");
    }
}
