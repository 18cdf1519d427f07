//! The file as a table: UTF-8 checked (with the place of the first bad byte), a byte-order
//! mark dropped, the delimiter guessed, the records read by the `csv` crate (quoted fields,
//! newlines inside quotes, CRLF, blank lines) and the header row found.

use csv::StringRecord;

use super::ImportError;

/// The records of a file after its header, each with the line it starts on.
pub struct Table {
    pub delimiter: u8,
    pub header: Vec<String>,
    pub rows: Vec<(u64, StringRecord)>,
    /// Non-blank lines before the header (a report's title, say), listed as skipped.
    pub before_header: Vec<u64>,
}

/// How many records may come before the header (titles, notes) before we give up.
const HEADER_SEARCH: usize = 30;

/// The text of `bytes`, or where the first byte that is not UTF-8 sits.
pub fn text(bytes: &[u8]) -> Result<&str, ImportError> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    std::str::from_utf8(bytes).map_err(|e| {
        let good = &bytes[..e.valid_up_to()];
        // Valid up to there, so this reads.
        let good = std::str::from_utf8(good).unwrap_or_default();
        let line = good.matches('\n').count() as u64 + 1;
        let column = good.rsplit('\n').next().map_or(0, |l| l.chars().count()) as u64 + 1;
        ImportError::at(
            line,
            column,
            "the file is not UTF-8 text (save it again as CSV UTF-8)",
        )
    })
}

/// `,`, `;` or tab: the one found most often on the first line that has any of them
/// (outside quotes); `,` when none has.
pub fn delimiter(text: &str) -> u8 {
    for line in text.lines().take(HEADER_SEARCH) {
        let mut counts = [0usize; 3];
        let mut quoted = false;
        for c in line.bytes() {
            match c {
                b'"' => quoted = !quoted,
                b',' if !quoted => counts[0] += 1,
                b';' if !quoted => counts[1] += 1,
                b'\t' if !quoted => counts[2] += 1,
                _ => {}
            }
        }
        let best = (0..3).max_by_key(|&i| (counts[i], 3 - i)).unwrap_or(0);
        if counts[best] > 0 {
            return [b',', b';', b'\t'][best];
        }
    }
    b','
}

fn blank(r: &StringRecord) -> bool {
    r.iter().all(|f| f.trim().is_empty())
}

/// Reads the records of a CSV text or an XLSX workbook (its first sheet); the header is
/// the first record (of the first 30) that `is_header` accepts. Records wholly blank
/// (`,,,`) are not rows.
pub fn read(bytes: &[u8], is_header: impl Fn(&[String]) -> bool) -> Result<Table, ImportError> {
    if bytes.starts_with(b"PK\x03\x04") {
        return from_records(b',', xlsx(bytes)?, is_header);
    }
    if bytes.starts_with(b"\xD0\xCF\x11\xE0") {
        return Err(ImportError::at(
            1,
            1,
            "an Excel 97-2003 (.xls) workbook is not read: save it as XLSX or CSV UTF-8",
        ));
    }
    let text = text(bytes)?;
    let delimiter = delimiter(text);
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .delimiter(delimiter)
        .from_reader(text.as_bytes());
    let lines = Lines::new(text);
    let mut records = Vec::new();
    let mut record = StringRecord::new();
    loop {
        let line = reader.position().line();
        match reader.read_record(&mut record) {
            Ok(true) => {}
            Ok(false) => break,
            Err(e) => {
                let line = e.position().map_or(line, |p| p.line());
                return Err(ImportError::at(line, 1, format!("unreadable CSV: {e}")));
            }
        }
        // The csv crate's line count loses blank lines: the line is worked out from the
        // record's byte offset instead (past any line ends it points at).
        let line = record
            .position()
            .map_or(line, |p| lines.line_of(p.byte() as usize));
        records.push((line, std::mem::take(&mut record)));
    }
    from_records(delimiter, records, is_header)
}

fn from_records(
    delimiter: u8,
    records: Vec<(u64, StringRecord)>,
    is_header: impl Fn(&[String]) -> bool,
) -> Result<Table, ImportError> {
    let mut header: Option<Vec<String>> = None;
    let mut before_header = Vec::new();
    let mut rows = Vec::new();
    for (line, record) in records {
        if blank(&record) {
            continue;
        }
        if header.is_some() {
            rows.push((line, record));
            continue;
        }
        let names: Vec<String> = record.iter().map(|f| f.trim().to_string()).collect();
        if is_header(&names) {
            header = Some(names);
        } else if before_header.len() >= HEADER_SEARCH {
            break;
        } else {
            before_header.push(line);
        }
    }
    let Some(header) = header else {
        return Err(ImportError::at(
            1,
            1,
            "no recognisable header: expected a row naming the columns, such as \
             Email, Product, Day used, Tokens used (token usage), productName, usageDate, \
             tokensConsumed (Token Flex), Days used, Monthly average (usage report) or \
             User, Product, Start, End (sessions)",
        ));
    };
    Ok(Table {
        delimiter,
        header,
        rows,
        before_header,
    })
}

/// The first worksheet of an XLSX workbook as records, each with its row number. Dates
/// are written `YYYY-MM-DD` (with ` HH:MM:SS` when they have a time), numbers as Excel
/// shows them unformatted.
fn xlsx(bytes: &[u8]) -> Result<Vec<(u64, StringRecord)>, ImportError> {
    use calamine::{Data, Reader, Xlsx};
    let unreadable = |e: &dyn std::fmt::Display| {
        ImportError::at(1, 1, format!("not a readable XLSX workbook: {e}"))
    };
    let mut book: Xlsx<_> = Xlsx::new(std::io::Cursor::new(bytes)).map_err(|e| unreadable(&e))?;
    let range = match book.worksheet_range_at(0) {
        Some(r) => r.map_err(|e| unreadable(&e))?,
        None => return Err(unreadable(&"it has no worksheet")),
    };
    let first_row = range.start().map_or(0, |(r, _)| r);
    let first_col = range.start().map_or(0, |(_, c)| c);
    let mut out = Vec::with_capacity(range.height());
    for (i, row) in range.rows().enumerate() {
        let mut record = StringRecord::new();
        // Columns before the range's first are empty: keep the sheet's positions.
        for _ in 0..first_col {
            record.push_field("");
        }
        for cell in row {
            let text = match cell {
                Data::Empty => String::new(),
                Data::String(s) | Data::DateTimeIso(s) | Data::DurationIso(s) => s.clone(),
                Data::Int(n) => n.to_string(),
                Data::Float(f) => f.to_string(),
                Data::Bool(b) => b.to_string(),
                Data::Error(e) => format!("#{e:?}"),
                Data::DateTime(d) => {
                    let (y, mo, day, h, mi, s, _) = d.to_ymd_hms_milli();
                    if d.is_datetime() && (h, mi, s) == (0, 0, 0) {
                        format!("{y:04}-{mo:02}-{day:02}")
                    } else if d.is_datetime() {
                        format!("{y:04}-{mo:02}-{day:02} {h:02}:{mi:02}:{s:02}")
                    } else {
                        d.as_f64().to_string()
                    }
                }
            };
            record.push_field(&text);
        }
        out.push((u64::from(first_row) + i as u64 + 1, record));
    }
    Ok(out)
}

/// Byte offsets → line numbers (from 1), lines ended by LF, CRLF or a lone CR.
struct Lines<'a> {
    text: &'a [u8],
    /// Offsets just past each line end.
    starts: Vec<usize>,
}

impl<'a> Lines<'a> {
    fn new(text: &'a str) -> Self {
        let b = text.as_bytes();
        let mut starts = Vec::new();
        for (i, &c) in b.iter().enumerate() {
            if c == b'\n' || (c == b'\r' && b.get(i + 1) != Some(&b'\n')) {
                starts.push(i + 1);
            }
        }
        Lines { text: b, starts }
    }

    fn line_of(&self, mut at: usize) -> u64 {
        while matches!(self.text.get(at), Some(b'\r' | b'\n')) {
            at += 1;
        }
        self.starts.partition_point(|&s| s <= at) as u64 + 1
    }
}
