//! `factsheet bench` (outside the pipeline): times the pipeline in process.
//! One edition is typeset many times with its resources loaded once (the
//! per-factsheet cost), then a generated set of editions (programmes ×
//! years) is built in parallel and written like a batch, reporting wall
//! time, throughput and the process's peak memory.

use std::path::Path;
use std::time::{Duration, Instant};

use rayon::prelude::*;

use crate::diag::{Diagnostic, Sources};
use crate::model::Edition;
use crate::{BuildOptions, load, load_resources, typeset};

/// What to measure.
#[derive(Debug, Clone)]
pub struct BenchOptions {
    /// Times the single edition is typeset.
    pub iterations: usize,
    /// Programmes in the generated set.
    pub programmes: usize,
    /// Years per programme in the generated set.
    pub years: usize,
    /// Worker threads for the set (`None`: one per core).
    pub jobs: Option<usize>,
}

/// Runs the benchmark on `input` and returns the report as text.
pub fn run(
    input: &Path,
    options: &BenchOptions,
    out_dir: &Path,
) -> Result<String, (Vec<Diagnostic>, Sources)> {
    let mut sources = Sources::default();
    let loaded = match load(input, &mut sources) {
        Ok(loaded) => loaded,
        Err(errors) => return Err((errors, sources)),
    };
    let started = Instant::now();
    let resources = match load_resources(&loaded.project, &loaded.edition, &mut sources) {
        Ok(resources) => resources,
        Err(errors) => return Err((errors, sources)),
    };
    let load_time = started.elapsed();
    let build = BuildOptions::default();
    let mut times = Vec::with_capacity(options.iterations);
    let mut bytes = 0;
    for _ in 0..options.iterations.max(1) {
        let start = Instant::now();
        let output =
            typeset(&loaded.edition, &resources, &build).map_err(|e| (e, sources.clone()))?;
        times.push(start.elapsed());
        bytes = output.value.pdf.len();
    }
    times.sort();
    let mean = times.iter().sum::<Duration>() / times.len() as u32;
    let (layout_time, render_time) =
        stage_times(&loaded.edition, &resources, options.iterations.clamp(1, 50));
    let count = options.programmes * options.years;
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(options.jobs.unwrap_or(0))
        .build()
        .map_err(|e| {
            (
                vec![Diagnostic::error(None, e.to_string())],
                sources.clone(),
            )
        })?;
    let threads = pool.current_num_threads();
    let start = Instant::now();
    let failures: usize = pool.install(|| {
        (0..count)
            .into_par_iter()
            .map(|index| {
                // Made when its turn comes, as a batch loads an edition: the
                // set is never in memory at once, so peak memory shows what
                // a build keeps, not how many editions there are.
                let (name, edition) = generated(&loaded.edition, options.years, index);
                let ok = typeset(&edition, &resources, &build).is_ok_and(|output| {
                    crate::cli::write_atomically(&out_dir.join(&name), &output.value.pdf).is_ok()
                });
                usize::from(!ok)
            })
            .sum()
    });
    let wall = start.elapsed();
    Ok(format!(
        "input: {input}\n\
         resources (template, labels, fonts, logo) loaded once: {load:.1} ms\n\
         one factsheet, layout + render in process ({n} runs): median {median:.2} ms, mean {mean:.2} ms, min {min:.2} ms, max {max:.2} ms; {bytes} bytes\n\
         of which layout {layout:.2} ms, render {render:.2} ms (means)\n\
         set of {count} ({programmes} programmes × {years} years) on {threads} threads, written to {out}: {wall:.3} s wall, {rate:.0} factsheets/s, {failures} failed\n\
         peak memory (VmHWM): {peak}\n",
        input = crate::diag::display_path(input),
        load = ms(load_time),
        n = times.len(),
        mean = ms(mean),
        min = ms(times[0]),
        median = ms(times[times.len() / 2]),
        max = ms(times[times.len() - 1]),
        programmes = options.programmes,
        years = options.years,
        out = crate::diag::display_path(out_dir),
        wall = wall.as_secs_f64(),
        rate = count as f64 / wall.as_secs_f64().max(1e-9),
        peak = peak_memory().unwrap_or_else(|| "unknown".into()),
        layout = ms(layout_time),
        render = ms(render_time),
    ))
}

/// Mean time of the layout and render stages on their own.
fn stage_times(
    edition: &Edition,
    resources: &crate::Resources,
    runs: usize,
) -> (Duration, Duration) {
    let (mut layout_time, mut render_time) = (Duration::ZERO, Duration::ZERO);
    for _ in 0..runs {
        let start = Instant::now();
        // A shaper per run, as in a build (it only borrows the loaded faces).
        let shaper = resources.fonts.shaper(&resources.locale.language);
        let laid = crate::layout::layout(
            edition,
            &resources.template,
            &resources.locale,
            &shaper,
            edition.overflow,
        );
        layout_time += start.elapsed();
        let Ok(laid) = laid else { break };
        let meta = crate::metadata(edition, &resources.locale);
        let start = Instant::now();
        let _ = crate::render::render(
            &laid.value.pages,
            Some(&laid.value.structure),
            &resources.fonts,
            std::slice::from_ref(&resources.logo),
            &meta,
            crate::render::Profile::Screen,
            &resources.cache,
        );
        render_time += start.elapsed();
    }
    (layout_time / runs as u32, render_time / runs as u32)
}

fn ms(duration: Duration) -> f64 {
    duration.as_secs_f64() * 1000.0
}

/// Edition `index` of the generated set: made-up country `index / years`,
/// each with `years` years back from the base edition's.
fn generated(base: &Edition, years: usize, index: usize) -> (String, Edition) {
    let (programme, year) = (index / years.max(1), index % years.max(1));
    let mut edition = base.clone();
    edition.programme.country = format!("{} {}", base.programme.country, programme + 1);
    edition.year = base.year.saturating_sub(year as u16);
    let name = format!("bench-{}-{}.pdf", programme + 1, edition.year);
    (name, edition)
}

/// The process's peak resident memory, from /proc (Linux).
fn peak_memory() -> Option<String> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    Some(line.trim_start_matches("VmHWM:").trim().to_string())
}
