import { useRef, useState } from 'react';
import { eachLimited, uploadFile, type UploadEntryResult } from '../api/upload.ts';
import { DISCLAIMER } from '../components/Disclaimer.tsx';

interface FileRow {
  readonly name: string;
  readonly size: number;
  progress: number;
  state: 'waiting' | 'uploading' | 'done' | 'failed';
  /** The server's result for the file, or for each entry of a zip. */
  results: UploadEntryResult[];
  message: string;
}

/** Parallel uploads: enough to hide round trips, few enough not to starve the viewer. */
const CONCURRENT_UPLOADS = 3;

function summary(row: FileRow): string {
  if (row.state === 'waiting') return 'waiting';
  if (row.state === 'uploading') return `${Math.round(row.progress * 100)} %`;
  if (row.message !== '') return row.message;
  const count = (status: UploadEntryResult['status']): number => row.results.filter((r) => r.status === status).length;
  const parts = [
    count('stored') > 0 ? `${count('stored')} stored` : '',
    count('duplicate') > 0 ? `${count('duplicate')} already in the archive` : '',
    count('skipped') > 0 ? `${count('skipped')} skipped (not images)` : '',
    count('failed') > 0 ? `${count('failed')} refused` : '',
  ].filter((p) => p !== '');
  return parts.join(', ') || 'nothing to import';
}

/** A sentence for a refused file: the server's reason, in the words a user needs. */
function refusal(result: UploadEntryResult): string {
  const code = result.error?.code ?? '';
  const reason = result.error?.message ?? 'refused';
  // Not DICOM at all, or DICOM too damaged to read; other refusals (a required attribute missing,
  // an unsupported encoding) are DICOM files the archive cannot file, and say so in the server's words.
  if (['DICOM_NOT_DICOM', 'DICOM_MALFORMED', 'DICOM_TRUNCATED'].includes(code) || /not a DICOM/i.test(reason)) return `not a readable DICOM file: ${reason}`;
  return `refused: ${reason}`;
}

/**
 * Import: pick files, a folder, or zip archives; each file uploads with its own progress bar and
 * ends with its own result (stored, already present, refused with the server's reason).
 */
export function ImportDialog({ onClose, onImported }: { readonly onClose: () => void; readonly onImported: () => void }) {
  const [rows, setRows] = useState<FileRow[]>([]);
  const [running, setRunning] = useState(false);
  const [notice, setNotice] = useState('');
  const filesInput = useRef<HTMLInputElement>(null);
  const folderInput = useRef<HTMLInputElement>(null);

  const start = async (files: readonly File[]): Promise<void> => {
    if (files.length === 0) return;
    const table: FileRow[] = files.map((f) => ({ name: (f as File & { webkitRelativePath?: string }).webkitRelativePath || f.name, size: f.size, progress: 0, state: 'waiting', results: [], message: '' }));
    setRows(table);
    setNotice('');
    setRunning(true);
    const update = (): void => setRows([...table]);
    let anyStored = false;
    let refusedAll = false;
    await eachLimited(files, CONCURRENT_UPLOADS, async (file, index) => {
      const row = table[index]!;
      if (refusedAll) {
        row.state = 'failed';
        row.message = 'not sent (the server refused the import)';
        update();
        return;
      }
      row.state = 'uploading';
      update();
      const outcome = await uploadFile(file, row.name, (p) => {
        row.progress = p;
        update();
      });
      if (outcome.kind === 'done') {
        row.results = outcome.response.files;
        row.state = outcome.response.failed > 0 && outcome.response.stored + outcome.response.duplicates === 0 ? 'failed' : 'done';
        const failedEntry = row.results.find((r) => r.status === 'failed');
        if (row.state === 'failed' && failedEntry !== undefined && row.results.length === 1) row.message = refusal(failedEntry);
        anyStored ||= outcome.response.stored + outcome.response.duplicates > 0;
      } else if (outcome.kind === 'network') {
        row.state = 'failed';
        row.message = 'the server cannot be reached; the file was not imported — retry when the connection is back';
      } else {
        row.state = 'failed';
        if (outcome.status === 403) {
          row.message = `not allowed: ${outcome.error.message}. Ask an administrator for a role that may import.`;
          refusedAll = true;
          setNotice('Your account may not import images. Nothing was stored.');
        } else if (outcome.status === 401) {
          row.message = 'your session has ended; sign in again';
          refusedAll = true;
        } else {
          row.message = outcome.error.message;
        }
      }
      update();
    });
    setRunning(false);
    if (anyStored) onImported();
  };

  const failedEntries = rows.flatMap((r) => r.results.filter((e) => e.status === 'failed').map((e) => ({ file: r.name, entry: e })));
  const totalStored = rows.reduce((n, r) => n + r.results.filter((e) => e.status === 'stored').length, 0);
  const totalDuplicates = rows.reduce((n, r) => n + r.results.filter((e) => e.status === 'duplicate').length, 0);
  return (
    <div className="dialog-backdrop" role="presentation">
      <section className="dialog" role="dialog" aria-modal="true" aria-labelledby="import-title" data-testid="import-dialog">
        <h2 id="import-title">Import images</h2>
        <p>DICOM files, a folder of them, or zip archives. Each file is checked on its own: a file that is not DICOM is refused with the reason and the others are imported.</p>
        <div className="row">
          <button type="button" disabled={running} onClick={() => filesInput.current?.click()}>
            Choose files or zip…
          </button>
          <button type="button" disabled={running} onClick={() => folderInput.current?.click()}>
            Choose a folder…
          </button>
          <input ref={filesInput} type="file" multiple hidden data-testid="import-files" onChange={(e) => void start([...(e.target.files ?? [])])} />
          <input ref={folderInput} type="file" multiple hidden data-testid="import-folder" {...{ webkitdirectory: '', directory: '' }} onChange={(e) => void start([...(e.target.files ?? [])])} />
        </div>
        <div
          className="drop-zone"
          onDragOver={(e) => e.preventDefault()}
          onDrop={(e) => {
            e.preventDefault();
            void start([...e.dataTransfer.files]);
          }}
        >
          or drop files here
        </div>
        {notice !== '' && (
          <div className="banner banner-error" role="alert">
            {notice}
          </div>
        )}
        {rows.length > 0 && (
          <>
            <p data-testid="import-summary" aria-live="polite">
              {running ? 'Importing…' : `Done: ${totalStored} stored, ${totalDuplicates} already in the archive, ${failedEntries.length + rows.filter((r) => r.state === 'failed' && r.results.length === 0).length} refused.`}
            </p>
            {failedEntries.length > 0 && (
              <ul className="error-list" data-testid="import-errors">
                {failedEntries.map(({ file, entry }) => (
                  <li key={`${file}:${entry.source}`}>
                    <strong>{entry.source}</strong>: {refusal(entry)}
                  </li>
                ))}
              </ul>
            )}
            <table className="grid import-table" data-testid="import-table">
              <thead>
                <tr>
                  <th>File</th>
                  <th>Progress</th>
                  <th>Result</th>
                </tr>
              </thead>
              <tbody>
                {rows.map((r) => (
                  <tr key={r.name} data-testid="import-row" data-state={r.state}>
                    <td>{r.name}</td>
                    <td>
                      <progress max={1} value={r.progress} />
                    </td>
                    <td className={r.state === 'failed' ? 'error-text' : ''}>{summary(r)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </>
        )}
        <div className="row end">
          <small className="dialog-disclaimer">{DISCLAIMER}</small>
          <button type="button" onClick={onClose} disabled={running} data-testid="close-import">
            Close
          </button>
        </div>
      </section>
    </div>
  );
}
