//! Faults injected into real runs: three writers at once, and an import
//! killed (SIGKILL) at random moments. "Nothing lost" means: every command
//! that exited 0 is fully present, every killed one left no trace, and
//! `vetter verify` passes.

use super::{p, T};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// The lowercase hex of a small deterministic generator's next value, so
/// the kill moments differ run to run but a failure can be replayed.
struct Lcg(u64);

impl Lcg {
    fn next(&mut self) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        self.0 >> 33
    }
}

#[test]
fn three_writers_at_once_lose_nothing_and_the_chain_holds() {
    let t = T::with_review();
    let vetter = env!("CARGO_BIN_EXE_vetter");
    const WRITERS: usize = 3;
    const WRITES: usize = 300;
    // Each writer is a shell loop of separate vetter processes: 900 write
    // transactions contending for one database file.
    let writers: Vec<_> = (0..WRITERS)
        .map(|w| {
            Command::new("bash")
                .args([
                    "-c",
                    &format!(
                        "for i in $(seq 1 {WRITES}); do \
                           out=$('{vetter}' finding add acme trust.soc2-type2 --status met --source docs \
                                 --note \"writer {w} write $i\" 2>&1) || echo \"write $i failed: $out\" >>errors-{w}.txt; \
                         done"
                    ),
                ])
                .current_dir(t.dir.path())
                .env("VETTER_DB", &t.db)
                .env("VETTER_USER", format!("writer-{w}"))
                .spawn()
                .unwrap()
        })
        .collect();
    for mut w in writers {
        assert!(w.wait().unwrap().success());
    }
    for w in 0..WRITERS {
        let errors =
            std::fs::read_to_string(t.path(&format!("errors-{w}.txt"))).unwrap_or_default();
        assert!(errors.is_empty(), "writer {w} saw errors:\n{errors}");
    }
    // Every write is present, once.
    for w in 0..WRITERS {
        for i in 1..=WRITES {
            let n = t.sql_count(&format!(
                "SELECT count(*) FROM finding WHERE note = 'writer {w} write {i}'"
            ));
            assert_eq!(n, 1, "writer {w} write {i}");
        }
    }
    assert_eq!(
        t.sql_count("SELECT count(*) FROM audit_event WHERE command = 'finding add'"),
        (WRITERS * WRITES) as i64
    );
    t.ok(&["verify"]);
}

#[test]
fn an_import_killed_at_random_moments_leaves_all_rows_or_none() {
    const ROWS: usize = 5000;
    const RUNS: usize = 40;
    let base = T::with_review();
    let items = base.item_ids("acme");
    let mut csv = String::from("item,status,source,note\n");
    for i in 0..ROWS {
        csv.push_str(&format!(
            "{},partial,docs,row {i} of the killed import\n",
            items[i % items.len()]
        ));
    }
    let file = base.write("big.csv", csv);
    let pristine = base.path("pristine.db");
    std::fs::copy(&base.db, &pristine).unwrap();

    // How long one import takes here: kills are spread over that window
    // (and a little beyond, so some runs finish).
    let started = Instant::now();
    base.ok(&["import", "findings", "acme", p(&file)]);
    let window = started.elapsed().as_micros() as u64 * 12 / 10 + 1;

    let mut rng = Lcg(0x5eed_0011);
    let (mut all, mut none) = (0, 0);
    for run in 0..RUNS {
        let t = T::new();
        std::fs::copy(&pristine, &t.db).unwrap();
        let before = t.dump();
        let mut child = t
            .cmd(&["import", "findings", "acme", p(&file)])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let delay = rng.next() % window;
        std::thread::sleep(Duration::from_micros(delay));
        let _ = child.kill(); // SIGKILL
        let status = child.wait().unwrap();
        let rows = t.sql_count("SELECT count(*) FROM finding");
        match rows {
            0 => {
                none += 1;
                assert_eq!(t.dump(), before, "run {run}: a killed import left a trace");
            }
            n if n == ROWS as i64 => all += 1,
            n => panic!("run {run} (killed after {delay} us, {status:?}): {n} of {ROWS} rows"),
        }
        assert_eq!(
            t.sql_count(
                "SELECT count(*) FROM pragma_integrity_check WHERE integrity_check != 'ok'"
            ),
            0,
            "run {run}: integrity_check"
        );
        t.ok(&["verify"]);
    }
    eprintln!("{RUNS} killed imports: {all} kept every row, {none} kept none");
    assert_eq!(all + none, RUNS);
}
