//! The file as a table: UTF-8 checked (with the place of the first bad byte), a byte-order
//! mark dropped, the delimiter guessed, the header row found, then the records after it
//! read by the `csv` crate (quoted fields, newlines inside quotes, CRLF, blank lines) one at
//! a time into one reused `ByteRecord`: a million rows are read without a million records
//! kept (the file's bytes are already in memory; keeping a copy of each row tripled them).

use csv::{ByteRecord, StringRecord};

use super::ImportError;

/// A file whose header is found; its rows are read by `Table::rows`, as often as needed.
pub struct Table<'a> {
    pub delimiter: u8,
    pub header: Vec<String>,
    /// Non-blank lines before the header (a report's title, say), listed as skipped.
    pub before_header: Vec<u64>,
    body: Body<'a>,
}

enum Body<'a> {
    /// The CSV text and the byte offset where the records after the header start.
    Csv { text: &'a str, from: usize },
    /// A worksheet's records after the header, each with its row number.
    Sheet(Vec<(u64, ByteRecord)>),
}

/// One record: its fields as text.
pub struct Record<'r>(&'r ByteRecord);

impl<'r> Record<'r> {
    /// Field `i`, or `None` past the record's end. (The whole text was checked as UTF-8 and
    /// delimiters are ASCII, so every field reads.)
    pub fn get(&self, i: usize) -> Option<&'r str> {
        self.0.get(i).and_then(|b| std::str::from_utf8(b).ok())
    }
}

/// How many records may come before the header (titles, notes) before we give up.
const HEADER_SEARCH: usize = 30;

/// How often (in records) `Table::rows` tells how far it has read.
const PROGRESS_EVERY: u64 = 1 << 15;

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

fn blank(r: &ByteRecord) -> bool {
    r.iter().all(|f| f.trim_ascii().is_empty())
}

fn csv_reader(text: &[u8], delimiter: u8) -> csv::Reader<&[u8]> {
    csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .delimiter(delimiter)
        .from_reader(text)
}

/// Reads the header of a CSV text or an XLSX workbook (its first sheet): the first record
/// (of the first 30) that `is_header` accepts. Records wholly blank (`,,,`) are not rows.
pub fn read(bytes: &[u8], is_header: impl Fn(&[String]) -> bool) -> Result<Table<'_>, ImportError> {
    if bytes.starts_with(b"PK\x03\x04") {
        let mut records = xlsx(bytes)?.into_iter();
        let (header, before_header) = find_header(|| Ok(records.next()), &is_header)?;
        return Ok(Table {
            delimiter: b',',
            header,
            before_header,
            body: Body::Sheet(records.collect()),
        });
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
    let mut reader = csv_reader(text.as_bytes(), delimiter);
    let mut lines = Lines::new(text.as_bytes(), 0);
    let mut record = ByteRecord::new();
    let (header, before_header) = find_header(
        || Ok(next_record(&mut reader, &mut record, &mut lines)?.map(|line| (line, record.clone()))),
        &is_header,
    )?;
    let from = reader.position().byte() as usize;
    Ok(Table {
        delimiter,
        header,
        before_header,
        body: Body::Csv { text, from },
    })
}

/// The next record of `reader` into `record`, with the line it starts on.
fn next_record(
    reader: &mut csv::Reader<&[u8]>,
    record: &mut ByteRecord,
    lines: &mut Lines,
) -> Result<Option<u64>, ImportError> {
    let line = reader.position().line();
    match reader.read_byte_record(record) {
        Ok(true) => {}
        Ok(false) => return Ok(None),
        Err(e) => {
            let line = e.position().map_or(line, |p| p.line());
            return Err(ImportError::at(line, 1, format!("unreadable CSV: {e}")));
        }
    }
    // The csv crate's line count loses blank lines: the line is worked out from the
    // record's byte offset instead (past any line ends it points at).
    Ok(Some(
        record
            .position()
            .map_or(line, |p| lines.line_of(p.byte() as usize)),
    ))
}

/// The header among the first records `next` gives (blank ones aside), and the lines
/// before it.
fn find_header(
    mut next: impl FnMut() -> Result<Option<(u64, ByteRecord)>, ImportError>,
    is_header: &impl Fn(&[String]) -> bool,
) -> Result<(Vec<String>, Vec<u64>), ImportError> {
    let mut before_header = Vec::new();
    while let Some((line, record)) = next()? {
        if blank(&record) {
            continue;
        }
        let names: Vec<String> = record
            .iter()
            .map(|f| String::from_utf8_lossy(f).trim().to_string())
            .collect();
        if is_header(&names) {
            return Ok((names, before_header));
        }
        if before_header.len() >= HEADER_SEARCH {
            break;
        }
        before_header.push(line);
    }
    Err(ImportError::at(
        1,
        1,
        "no recognisable header: expected a row naming the columns, such as \
         Email, Product, Day used, Tokens used (token usage), productName, usageDate, \
         tokensConsumed (Token Flex), Days used, Monthly average (usage report) or \
         User, Product, Start, End (sessions)",
    ))
}

impl Table<'_> {
    /// Whether the rows may hold the byte `b` anywhere (a worksheet's: always).
    pub fn may_hold(&self, b: u8) -> bool {
        match &self.body {
            Body::Csv { text, from } => text.as_bytes()[*from..].contains(&b),
            Body::Sheet(_) => true,
        }
    }

    /// Calls `each` with every record after the header that is not blank, in order, with
    /// the line it starts on, and `progress` now and then with how far the reading is
    /// (done and total, in bytes of a CSV text or records of a sheet). Returns the number
    /// of records given.
    pub fn rows(
        &self,
        mut each: impl FnMut(u64, Record) -> Result<(), ImportError>,
        progress: &mut dyn FnMut(u64, u64),
    ) -> Result<u64, ImportError> {
        let mut n = 0u64;
        match &self.body {
            Body::Csv { text, from } => {
                let bytes = text.as_bytes();
                let total = bytes.len() as u64;
                let mut reader = csv_reader(&bytes[*from..], self.delimiter);
                let mut lines = Lines::new(bytes, *from);
                let mut record = ByteRecord::new();
                while let Some(line) = next_record(&mut reader, &mut record, &mut lines)? {
                    if blank(&record) {
                        continue;
                    }
                    n += 1;
                    if n.is_multiple_of(PROGRESS_EVERY) {
                        progress(*from as u64 + reader.position().byte(), total);
                    }
                    each(line, Record(&record))?;
                }
                progress(total, total);
            }
            Body::Sheet(records) => {
                let total = records.len() as u64;
                for (i, (line, record)) in records.iter().enumerate() {
                    if blank(record) {
                        continue;
                    }
                    n += 1;
                    if n.is_multiple_of(PROGRESS_EVERY) {
                        progress(i as u64, total);
                    }
                    each(*line, Record(record))?;
                }
                progress(total, total);
            }
        }
        Ok(n)
    }
}

/// The first worksheet of an XLSX workbook as records, each with its row number. Dates
/// are written `YYYY-MM-DD` (with ` HH:MM:SS` when they have a time), numbers as Excel
/// shows them unformatted.
fn xlsx(bytes: &[u8]) -> Result<Vec<(u64, ByteRecord)>, ImportError> {
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
        out.push((
            u64::from(first_row) + i as u64 + 1,
            record.into_byte_record(),
        ));
    }
    Ok(out)
}

/// Byte offsets → line numbers (from 1), lines ended by LF, CRLF or a lone CR, for offsets
/// asked in increasing order (the records'): the line ends are counted as they are passed.
struct Lines<'a> {
    text: &'a [u8],
    /// Where `at` is relative to (a reader started part-way through the text).
    base: usize,
    /// Line ends counted before `at`.
    at: usize,
    ends: u64,
}

impl<'a> Lines<'a> {
    /// For a reader of `text` from byte `base` on.
    fn new(text: &'a [u8], base: usize) -> Self {
        let mut lines = Lines {
            text,
            base: 0,
            at: 0,
            ends: 0,
        };
        lines.advance(base);
        lines.base = base;
        lines
    }

    fn advance(&mut self, to: usize) {
        let to = to.min(self.text.len());
        if to <= self.at {
            return;
        }
        let t = self.text;
        self.ends += t[self.at..to]
            .iter()
            .enumerate()
            .filter(|&(i, &c)| c == b'\n' || (c == b'\r' && t.get(self.at + i + 1) != Some(&b'\n')))
            .count() as u64;
        self.at = to;
    }

    /// The line of the byte at `at` (relative to the reader's start).
    fn line_of(&mut self, at: usize) -> u64 {
        let mut at = self.base + at;
        while matches!(self.text.get(at), Some(b'\r' | b'\n')) {
            at += 1;
        }
        self.advance(at);
        self.ends + 1
    }
}
