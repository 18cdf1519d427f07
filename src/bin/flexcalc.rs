//! `flexcalc`: the command line around the engine (SPEC §7). It reads, calls and prints;
//! it computes nothing itself.

use std::io::{Read, Write};
use std::process::ExitCode;

use flexcalc::engine::catalog::Catalog;
use flexcalc::InputError;

const HELP: &str = "\
flexcalc — Autodesk Flex token and cost estimator

Usage:
  flexcalc simulate FILE [--summary]
                                  simulate a scenario (FILE, or - for standard input);
                                  with --summary, the same report without the
                                  per-charge lists (charges, denials)
  flexcalc quote --currency CUR --tokens N
                                  the cheapest order of at least N tokens
  flexcalc advise FILE [--sensitivity]
                                  the cheapest mix of subscriptions and Flex; with
                                  --sensitivity, also the plan at usage -50 % to +50 %
                                  (steps of 10) and where it flips
  flexcalc import FILE [--format auto|token-usage|seat-usage|usage-report|token-flex|sessions]
                [--currency CUR] [--timezone ZONE] [--forecast MONTHS] [--scale PERCENT]
                [--date-order dmy|mdy] [--start YYYY-MM-DD] [--map NAME=PRODUCT]...
                [--reconcile]
                                  read an Autodesk usage export (CSV, XLSX): its history, a
                                  scenario replaying it (or, with --forecast, projecting it,
                                  its days scaled by --scale); --map names a product by
                                  hand; --reconcile adds the file against the replay, per
                                  user, product and month; currency EUR and zone UTC unless
                                  given (docs/import.md)
  flexcalc --help | --version

Output is JSON on standard output. Exit status: 0 success, 2 bad input (the message on
standard error names the JSON path and the problem), 1 internal error.
The scenario format: docs/scenario-format.md; the billing rules: docs/rules.md.";

enum Failure {
    Input(String),
    Internal(String),
}

impl From<InputError> for Failure {
    fn from(e: InputError) -> Self {
        Failure::Input(e.to_string())
    }
}

fn read_input(path: &str) -> Result<String, Failure> {
    let mut text = String::new();
    if path == "-" {
        std::io::stdin()
            .read_to_string(&mut text)
            .map_err(|e| Failure::Input(format!("standard input: {e}")))?;
    } else {
        let bytes = std::fs::read(path).map_err(|e| Failure::Input(format!("{path}: {e}")))?;
        text = String::from_utf8(bytes)
            .map_err(|_| Failure::Input(format!("{path}: not UTF-8 text")))?;
    }
    Ok(text)
}

fn one_file(cmd: &str, rest: &[String]) -> Result<String, Failure> {
    match rest {
        [f] => read_input(f),
        _ => Err(Failure::Input(format!(
            "usage: flexcalc {cmd} FILE (or - for standard input)"
        ))),
    }
}

/// A flag's name and, for `--name=value`, its value.
fn split_flag(arg: &str) -> (&str, Option<String>) {
    match arg.split_once('=') {
        Some((n, v)) => (n, Some(v.to_string())),
        None => (arg, None),
    }
}

/// The value of flag `name`: the one after `=`, else the next argument.
fn flag_value<'a>(
    name: &str,
    inline: &Option<String>,
    rest: &mut impl Iterator<Item = &'a String>,
) -> Result<String, Failure> {
    inline
        .clone()
        .or_else(|| rest.next().cloned())
        .ok_or_else(|| Failure::Input(format!("{name} needs a value")))
}

fn quote_args(rest: &[String]) -> Result<String, Failure> {
    let (mut currency, mut tokens) = (None, None);
    let mut it = rest.iter();
    while let Some(flag) = it.next() {
        let (name, inline) = split_flag(flag);
        let mut value = || flag_value(name, &inline, &mut it);
        match name {
            "--currency" => currency = Some(value()?),
            "--tokens" => tokens = Some(value()?),
            _ => return Err(unknown_argument("quote", flag, None)),
        }
    }
    let usage = "usage: flexcalc quote --currency CUR --tokens N";
    let currency =
        currency.ok_or_else(|| Failure::Input(format!("quote: --currency is missing; {usage}")))?;
    let tokens =
        tokens.ok_or_else(|| Failure::Input(format!("quote: --tokens is missing; {usage}")))?;
    let book = Catalog::builtin().book_or_refuse(&currency, "--currency")?;
    to_json(&flexcalc::engine::price::quote_text(
        book, &tokens, "--tokens",
    )?)
}

/// `CMD: unknown argument FLAG; usage: …`, saying where a flag of another command belongs.
fn unknown_argument(cmd: &str, flag: &str, usage: Option<&str>) -> Failure {
    let hint = match flag {
        "--summary" => {
            "; --summary is an option of simulate only (flexcalc simulate FILE --summary)"
        }
        "--sensitivity" => {
            "; --sensitivity is an option of advise only (flexcalc advise FILE --sensitivity)"
        }
        _ => "",
    };
    let usage = usage.map(|u| format!("; usage: {u}")).unwrap_or_default();
    Failure::Input(format!("{cmd}: unknown argument {flag:?}{hint}{usage}"))
}

/// `CMD FILE [FLAG]`, the flag on either side of the file: the file's text, and whether
/// the flag was given.
fn file_and_flag(cmd: &str, flag: &str, rest: &[String]) -> Result<(String, bool), Failure> {
    let given = rest.iter().any(|a| a == flag);
    let files: Vec<String> = rest.iter().filter(|a| *a != flag).cloned().collect();
    if let Some(other) = files.iter().find(|a| a.starts_with("--")) {
        let usage = format!("flexcalc {cmd} FILE [{flag}]");
        return Err(unknown_argument(cmd, other, Some(&usage)));
    }
    Ok((one_file(cmd, &files)?, given))
}

fn to_json<T: serde::Serialize>(v: &T) -> Result<String, Failure> {
    serde_json::to_string_pretty(v).map_err(|e| Failure::Internal(e.to_string()))
}

/// `import FILE [flags]`: the export read by the engine's importer, as JSON.
fn import_args(rest: &[String]) -> Result<ImportJson, Failure> {
    use flexcalc::engine::import::{import, DateOrder, Format, ImportOptions};
    let usage = "flexcalc import FILE [--format auto|token-usage|seat-usage|usage-report|\
                 token-flex|sessions] [--currency CUR] [--timezone ZONE] [--forecast MONTHS] \
                 [--scale PERCENT] [--date-order dmy|mdy] [--start YYYY-MM-DD] \
                 [--map NAME=PRODUCT]... [--reconcile]";
    let mut options = ImportOptions::default();
    let mut with_reconciliation = false;
    let mut file = None;
    let mut it = rest.iter();
    while let Some(arg) = it.next() {
        if !arg.starts_with("--") {
            if file.replace(arg.clone()).is_some() {
                return Err(Failure::Input(format!(
                    "import: one FILE only; usage: {usage}"
                )));
            }
            continue;
        }
        let (name, inline) = split_flag(arg);
        let mut value = || flag_value(name, &inline, &mut it);
        match name {
            "--format" => {
                let v = value()?;
                options.format = match v.as_str() {
                    "auto" => None,
                    f => Some(Format::parse(f).ok_or_else(|| {
                        Failure::Input(format!(
                            "--format: {v:?} is not one of auto, token-usage, seat-usage, \
                             usage-report, token-flex, sessions"
                        ))
                    })?),
                }
            }
            "--currency" => options.currency = value()?,
            "--timezone" => options.timezone = value()?,
            "--forecast" => {
                let v = value()?;
                options.forecast = Some(
                    v.parse()
                        .ok()
                        .filter(|m| (1..=36).contains(m))
                        .ok_or_else(|| {
                            Failure::Input(format!(
                                "--forecast: {v:?} is not a number of months from 1 to 36"
                            ))
                        })?,
                )
            }
            "--date-order" => {
                let v = value()?;
                options.date_order = Some(DateOrder::parse(&v).ok_or_else(|| {
                    Failure::Input(format!("--date-order: {v:?} is not dmy or mdy"))
                })?)
            }
            "--start" => options.start = Some(value()?),
            "--scale" => {
                let v = value()?;
                options.scale_percent = v.parse().map_err(|_| {
                    Failure::Input(format!("--scale: {v:?} is not a whole percentage"))
                })?
            }
            "--map" => {
                let v = value()?;
                let (name, id) = v
                    .rsplit_once('=')
                    .ok_or_else(|| Failure::Input(format!("--map: {v:?} is not NAME=PRODUCT")))?;
                options.products.insert(name.to_string(), id.to_string());
            }
            "--reconcile" if inline.is_none() => with_reconciliation = true,
            _ => return Err(unknown_argument("import", arg, Some(usage))),
        }
    }
    let file =
        file.ok_or_else(|| Failure::Input(format!("import: FILE is missing; usage: {usage}")))?;
    let mut bytes = Vec::new();
    if file == "-" {
        std::io::stdin()
            .read_to_end(&mut bytes)
            .map_err(|e| Failure::Input(format!("standard input: {e}")))?;
    } else {
        bytes = std::fs::read(&file).map_err(|e| Failure::Input(format!("{file}: {e}")))?;
    }
    let shown = if file == "-" {
        "standard input"
    } else {
        file.as_str()
    };
    let imported = import(&bytes, &options).map_err(|e| Failure::Input(format!("{shown}: {e}")))?;
    // The file's bytes are not needed for the rest: freed before the reconciliation and the
    // JSON are built (a million rows' file is 37 MB of the peak otherwise).
    drop(bytes);
    let reconciliation = if with_reconciliation {
        Some(flexcalc::engine::import::reconcile(&imported)?)
    } else {
        None
    };
    Ok(ImportJson {
        import: imported,
        reconciliation,
    })
}

/// What `import` writes: the import, and with `--reconcile` the reconciliation. Written
/// straight to standard output rather than built as one text first: a million rows' JSON
/// is as big as the file.
#[derive(serde::Serialize)]
struct ImportJson {
    #[serde(flatten)]
    import: flexcalc::engine::import::Import,
    #[serde(skip_serializing_if = "Option::is_none")]
    reconciliation: Option<Vec<flexcalc::engine::import::Reconciled>>,
}

/// A command's output.
enum Output {
    Text(String),
    Import(Box<ImportJson>),
}

impl Output {
    fn write(&self, w: &mut impl Write) -> std::io::Result<()> {
        match self {
            Output::Text(text) => writeln!(w, "{text}"),
            Output::Import(json) => {
                serde_json::to_writer_pretty(&mut *w, json)?;
                writeln!(w)
            }
        }
    }
}

fn run(args: &[String]) -> Result<Output, Failure> {
    if args.first().map(String::as_str) == Some("import") {
        return import_args(&args[1..]).map(|json| Output::Import(Box::new(json)));
    }
    text_command(args).map(Output::Text)
}

fn text_command(args: &[String]) -> Result<String, Failure> {
    match args.first().map(String::as_str) {
        Some("simulate") => {
            let (text, summary) = file_and_flag("simulate", "--summary", &args[1..])?;
            let report = flexcalc::simulate_json(&text)?;
            Ok(if summary {
                report.summary_json()
            } else {
                report.to_json()
            })
        }
        Some("quote") => quote_args(&args[1..]),
        Some("advise") => {
            let (text, with_sensitivity) = file_and_flag("advise", "--sensitivity", &args[1..])?;
            let scenario = flexcalc::Scenario::from_json(&text)?;
            to_json(&flexcalc::engine::advise::advise_out(
                &scenario,
                with_sensitivity,
            )?)
        }
        Some("--help" | "-h" | "help") => Ok(HELP.to_string()),
        Some("--version" | "-V") => Ok(format!("flexcalc {}", env!("CARGO_PKG_VERSION"))),
        Some(other) => Err(Failure::Input(format!(
            "unknown command {other:?}; see flexcalc --help"
        ))),
        None => Err(Failure::Input(HELP.to_string())),
    }
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let outcome = std::panic::catch_unwind(|| run(&args)).unwrap_or_else(|_| {
        Err(Failure::Internal(
            "internal error (a bug: please report it with the input)".into(),
        ))
    });
    match outcome {
        Ok(out) => {
            let mut stdout = std::io::BufWriter::new(std::io::stdout().lock());
            if out.write(&mut stdout).and_then(|_| stdout.flush()).is_err() {
                return ExitCode::from(1);
            }
            ExitCode::SUCCESS
        }
        Err(Failure::Input(msg)) => {
            eprintln!("flexcalc: {msg}");
            ExitCode::from(2)
        }
        Err(Failure::Internal(msg)) => {
            eprintln!("flexcalc: {msg}");
            ExitCode::from(1)
        }
    }
}
