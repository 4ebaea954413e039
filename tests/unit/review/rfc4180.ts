/**
 * A strict RFC 4180 reader for tests: CRLF between records (a bare CR or LF outside quotes is an
 * error), quotes only around a whole field with inner quotes doubled, every record as wide as the
 * header. It refuses what a lenient spreadsheet would silently guess at.
 */

export class CsvSyntaxError extends Error {}

/** Reads CSV text (after any byte-order mark) into records of fields. */
export function parseRfc4180(text: string): string[][] {
  const records: string[][] = [];
  let record: string[] = [];
  let i = 0;
  const fail = (why: string): never => {
    throw new CsvSyntaxError(`${why} at offset ${i} (record ${records.length + 1})`);
  };
  if (text.length === 0) return records;
  for (;;) {
    // One field.
    let field = '';
    if (text[i] === '"') {
      i++;
      for (;;) {
        if (i >= text.length) fail('unterminated quoted field');
        const c = text[i];
        if (c === '"') {
          if (text[i + 1] === '"') {
            field += '"';
            i += 2;
            continue;
          }
          i++;
          break;
        }
        field += c;
        i++;
      }
      if (i < text.length && text[i] !== ',' && !text.startsWith('\r\n', i)) fail('text after a closing quote');
    } else {
      while (i < text.length && text[i] !== ',' && text[i] !== '\r' && text[i] !== '\n') {
        if (text[i] === '"') fail('a quote inside an unquoted field');
        field += text[i];
        i++;
      }
      if (text[i] === '\n' || (text[i] === '\r' && text[i + 1] !== '\n')) fail('a bare line break outside quotes');
    }
    record.push(field);
    // What follows the field.
    if (i >= text.length) {
      records.push(record);
      break;
    }
    if (text[i] === ',') {
      i++;
      continue;
    }
    // CRLF: the record ends; a CRLF at the very end ends the file.
    i += 2;
    records.push(record);
    record = [];
    if (i >= text.length) break;
  }
  const width = records[0].length;
  records.forEach((r, n) => {
    if (r.length !== width) throw new CsvSyntaxError(`record ${n + 1} has ${r.length} fields, the header ${width}`);
  });
  return records;
}

/** Decodes the bytes as UTF-8, requires the byte-order mark, and parses the rest; rows as objects by header. */
export function readCsvFile(bytes: Uint8Array): { header: string[]; rows: Record<string, string>[] } {
  if (bytes[0] !== 0xef || bytes[1] !== 0xbb || bytes[2] !== 0xbf) throw new CsvSyntaxError('no UTF-8 byte-order mark');
  const text = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(bytes.subarray(3));
  const [header, ...records] = parseRfc4180(text);
  return { header, rows: records.map((r) => Object.fromEntries(header.map((h, j) => [h, r[j]]))) };
}
