import { useRef, useState } from 'react';
import { eachLimited, uploadFile, type UploadEntryResult } from '../api/upload.ts';
import { lacksIdentifiers } from './missing-identifiers.ts';
import { DISCLAIMER } from '../components/Disclaimer.tsx';
import { PacsPull } from './PacsPull.tsx';

interface FileRow {
  /** The picked file, kept so that a refused one can be sent again (with new identifiers). */
  readonly file: File;
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
    row.results.some((r) => r.assigned !== undefined) ? `${row.results.filter((r) => r.assigned !== undefined).length} with new identifiers` : '',
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

  /** Whether the table shows an upload that asked for new identifiers. */
  const [assigning, setAssigning] = useState(false);

  const start = async (files: readonly File[], options: { readonly assignMissingUids?: boolean } = {}): Promise<void> => {
    if (files.length === 0) return;
    const table: FileRow[] = files.map((f) => ({ file: f, name: (f as File & { webkitRelativePath?: string }).webkitRelativePath || f.name, size: f.size, progress: 0, state: 'waiting', results: [], message: '' }));
    setRows(table);
    setAssigning(options.assignMissingUids === true);
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
      }, options.assignMissingUids === true ? { assignMissingUids: true } : {});
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
  // Files refused only because their identifying UIDs are missing: the user may choose to give them new ones.
  const withoutIdentifiers = running ? [] : rows.filter((r) => r.results.some((e) => e.status === 'failed' && lacksIdentifiers(e)));
  const totalAssigned = rows.reduce((n, r) => n + r.results.filter((e) => e.assigned !== undefined).length, 0);
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
            {withoutIdentifiers.length > 0 && (
              <div className="banner banner-warning" role="alert" data-testid="missing-identifiers">
                <p>
                  {withoutIdentifiers.length === 1 ? '1 file lacks' : `${withoutIdentifiers.length} files lack`} the identifiers an archive files images by (Study, Series or SOP Instance UID — often blanked by an anonymiser), so nothing of {withoutIdentifiers.length === 1 ? 'it' : 'them'} was stored.
                  Keyhole can give them new identifiers, derived from the files themselves (the same files always get the same ones). Only the missing identifiers are filled in; pixels and every other attribute stay as they are, and the change is recorded in each file and in the audit log.
                </p>
                <button type="button" data-testid="import-assign-uids" onClick={() => void start(withoutIdentifiers.map((r) => r.file), { assignMissingUids: true })}>
                  Import with new identifiers
                </button>
              </div>
            )}
            {assigning && !running && totalAssigned > 0 && (
              <p className="banner banner-warning" data-testid="assigned-note">
                New identifiers were assigned by Keyhole to {totalAssigned} {totalAssigned === 1 ? 'file' : 'files'} whose Study, Series or SOP Instance UID was missing (recorded in each file and in the audit log). They are not the identifiers of the original study: another copy of it elsewhere will not match them.
              </p>
            )}
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
        <PacsPull onImported={onImported} />
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
