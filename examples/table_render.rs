//! Benchmark of the table renderer: 1,000 rows shaped like `vetter finding
//! list` (short columns plus a long note and a URL), rendered repeatedly.
//! Prints the median time of one render. Used by `bench/run table` to compare
//! the renderer against an earlier build of itself (the same source builds
//! against both, as it only uses `output::table`, `add_row` and `render`).

use std::time::Instant;

fn main() {
    let runs: usize = std::env::args()
        .nth(1)
        .and_then(|a| a.parse().ok())
        .unwrap_or(101);
    let rows: Vec<Vec<String>> = (0..1000)
        .map(|i| {
            vec![
                format!("#{i}"),
                format!("dpa.item-{:03}", i % 97),
                ["met", "partial", "not-met", "unknown"][i % 4].to_string(),
                ["dpa", "trust-center", "docs"][i % 3].to_string(),
                "vendor".to_string(),
                "2026-11-26T09:00:00Z".to_string(),
                "alice".to_string(),
                format!(
                    "§{}.{}: \"without undue delay, where feasible within 72 hours\"; the clock starts at confirmation, row {i}",
                    i % 12,
                    i % 7
                ),
                format!("https://vendor.example/legal/dpa#section-{i}"),
            ]
        })
        .collect();
    let header = [
        "#", "item", "status", "source", "owner", "recorded", "by", "note", "url",
    ];
    let mut times = Vec::with_capacity(runs);
    let mut bytes = 0;
    for _ in 0..runs {
        let start = Instant::now();
        let mut table = vetter::output::table(header);
        for row in &rows {
            table.add_row(row.clone());
        }
        let text = table.render();
        bytes = text.len();
        times.push(start.elapsed());
    }
    times.sort();
    let median = times[times.len() / 2];
    println!(
        "table render, 1,000 rows x 9 columns: median {:.3} ms over {runs} runs ({bytes} bytes)",
        median.as_secs_f64() * 1000.0
    );
}
