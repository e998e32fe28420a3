import { useEffect, useState } from 'react';
import { describeError } from '../api/client.ts';
import { personName } from '../api/dicom-json.ts';
import { listRemotePacs, pullFromRemote, pullSummary, searchRemote, type RemoteMatch, type RemotePacs } from '../api/remote.ts';

/**
 * The import dialog's "From a PACS" part: search a configured PACS (QIDO-RS or C-FIND on the
 * server's side) by patient ID, name or study date, and pull a study into the archive (WADO-RS or
 * C-MOVE), each study with its own result. Without a configured PACS it says who can add one.
 */
export function PacsPull({ onImported }: { readonly onImported: () => void }) {
  const [nodes, setNodes] = useState<RemotePacs[] | undefined>();
  const [node, setNode] = useState('');
  const [patientId, setPatientId] = useState('');
  const [patientName, setPatientName] = useState('');
  const [studyDate, setStudyDate] = useState('');
  const [matches, setMatches] = useState<RemoteMatch[] | undefined>();
  const [busy, setBusy] = useState(false);
  const [message, setMessage] = useState('');
  const [pulled, setPulled] = useState<ReadonlyMap<string, string>>(new Map());

  useEffect(() => {
    listRemotePacs().then((found) => {
      setNodes(found);
      setNode(found[0]?.name ?? '');
    }, (error: unknown) => setMessage(describeError(error)));
  }, []);

  const search = async (): Promise<void> => {
    setBusy(true);
    setMessage('');
    try {
      const query: Record<string, string> = {};
      if (patientId.trim() !== '') query['PatientID'] = patientId.trim();
      if (patientName.trim() !== '') query['PatientName'] = patientName.trim();
      if (studyDate.trim() !== '') query['StudyDate'] = studyDate.trim().replace(/-/g, '');
      setMatches((await searchRemote(node, query)).matches);
    } catch (error) {
      setMessage(describeError(error));
    } finally {
      setBusy(false);
    }
  };

  const pull = async (study: RemoteMatch): Promise<void> => {
    setPulled((before) => new Map(before).set(study.studyUid, 'pulling…'));
    try {
      const result = await pullFromRemote(node, study.studyUid);
      setPulled((before) => new Map(before).set(study.studyUid, pullSummary(result)));
      onImported();
    } catch (error) {
      setPulled((before) => new Map(before).set(study.studyUid, `failed: ${describeError(error)}`));
    }
  };

  if (nodes === undefined) return message === '' ? null : <p className="error-text" data-testid="pacs-problem">{message}</p>;
  return (
    <section className="pacs-pull" data-testid="pacs-pull">
      <h3>From a PACS</h3>
      {nodes.length === 0 ? (
        <p className="empty" data-testid="pacs-none">No PACS is configured: an administrator adds one (POST /api/dicom-nodes, kind remote-pacs).</p>
      ) : (
        <form
          className="row"
          onSubmit={(e) => {
            e.preventDefault();
            void search();
          }}
        >
          <label>
            PACS{' '}
            <select value={node} onChange={(e) => setNode(e.target.value)} data-testid="pacs-node">
              {nodes.map((n) => (
                <option key={n.name} value={n.name}>
                  {n.name}
                </option>
              ))}
            </select>
          </label>
          <input placeholder="Patient ID" value={patientId} onChange={(e) => setPatientId(e.target.value)} data-testid="pacs-patient-id" />
          <input placeholder="Patient name (wildcards *)" value={patientName} onChange={(e) => setPatientName(e.target.value)} data-testid="pacs-patient-name" />
          <input placeholder="Study date (YYYYMMDD or a range)" value={studyDate} onChange={(e) => setStudyDate(e.target.value)} data-testid="pacs-study-date" />
          <button type="submit" disabled={busy || node === ''} data-testid="pacs-search">
            {busy ? 'Searching…' : 'Search'}
          </button>
        </form>
      )}
      {message !== '' && <p className="error-text" role="alert" data-testid="pacs-problem">{message}</p>}
      {matches !== undefined && matches.length === 0 && <p className="empty" data-testid="pacs-no-match">No study on {node} matches.</p>}
      {matches !== undefined && matches.length > 0 && (
        <table className="grid" data-testid="pacs-results">
          <thead>
            <tr>
              <th>Patient</th>
              <th>ID</th>
              <th>Date</th>
              <th>Description</th>
              <th>Modalities</th>
              <th>Images</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {matches.map((m) => (
              <tr key={m.studyUid} data-testid="pacs-match">
                <td>{personName(m.patientName.split('=')[0] ?? '')}</td>
                <td>{m.patientId}</td>
                <td>{m.studyDate}</td>
                <td>{m.studyDescription}</td>
                <td>{m.modalities}</td>
                <td className="num">{m.instances ?? ''}</td>
                <td>
                  {pulled.has(m.studyUid) ? (
                    <span data-testid="pacs-pull-result">{pulled.get(m.studyUid)}</span>
                  ) : (
                    <button type="button" onClick={() => void pull(m)} data-testid="pacs-pull-study">
                      Pull
                    </button>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
