import { useCallback, useEffect, useMemo, useState } from 'react';
import { createCase, listCases, searchStudies, type ClinicalCase, type StudySummary } from '../api/archive.ts';
import { ErrorMessage } from '../components/ErrorMessage.tsx';
import { navigate, viewerPath } from '../router.ts';
import { sortRows, type SortState } from './sorting.ts';

type StudyColumn = 'patientName' | 'patientId' | 'studyDate' | 'description' | 'modalities' | 'instanceCount';

const COLUMNS: ReadonlyArray<{ key: StudyColumn; label: string }> = [
  { key: 'patientName', label: 'Patient' },
  { key: 'patientId', label: 'Patient ID' },
  { key: 'studyDate', label: 'Study date' },
  { key: 'description', label: 'Description' },
  { key: 'modalities', label: 'Modality' },
  { key: 'instanceCount', label: 'Images' },
];

/** Patients, studies and cases: search across name, ID, description and accession; sort by any column. */
export function Worklist({ refreshKey, canWrite }: { readonly refreshKey: number; readonly canWrite: boolean }) {
  const [studies, setStudies] = useState<StudySummary[]>();
  const [cases, setCases] = useState<ClinicalCase[]>([]);
  const [error, setError] = useState<unknown>();
  const [search, setSearch] = useState('');
  const [sort, setSort] = useState<SortState<StudyColumn>>({ key: 'studyDate', descending: true });
  const load = useCallback(() => {
    setError(undefined);
    Promise.all([searchStudies(), listCases()])
      .then(([s, c]) => {
        setStudies(s);
        setCases(c);
      })
      .catch(setError);
  }, []);
  useEffect(load, [load, refreshKey]);

  const shown = useMemo(() => {
    const needle = search.trim().toLowerCase();
    const matching = (studies ?? []).filter((s) => needle === '' || [s.patientName, s.patientId, s.description, s.accession, s.modalities].some((v) => v.toLowerCase().includes(needle)));
    return sortRows(matching, sort);
  }, [studies, search, sort]);

  const openCase = async (study: StudySummary): Promise<void> => {
    try {
      const existing = cases.find((c) => c.studies.some((s) => s.studyUid === study.studyUid));
      const target = existing ?? (await createCase({ patientId: study.patientId, ...(study.issuer !== '' ? { issuer: study.issuer } : {}), title: study.description !== '' ? study.description : `Case of ${study.patientName !== '' ? study.patientName : `patient ${study.patientId}`}`, studies: [{ studyUid: study.studyUid, role: 'pre-op' }] }));
      navigate(`/cases/${target.id}`);
    } catch (e) {
      setError(e);
    }
  };

  return (
    <main className="worklist" data-testid="worklist">
      <div className="toolbar">
        <h1>Worklist</h1>
        <input type="search" placeholder="Search patient, ID, description, accession" value={search} onChange={(e) => setSearch(e.target.value)} data-testid="worklist-search" aria-label="Search studies" />
        <button type="button" onClick={load}>
          Refresh
        </button>
      </div>
      <ErrorMessage error={error} onRetry={load} />
      {studies === undefined && error === undefined && <p>Loading studies…</p>}
      {studies !== undefined && (
        <table className="grid" data-testid="study-table">
          <thead>
            <tr>
              {COLUMNS.map((c) => (
                <th key={c.key} aria-sort={sort.key === c.key ? (sort.descending ? 'descending' : 'ascending') : 'none'}>
                  <button type="button" className="sort" onClick={() => setSort({ key: c.key, descending: sort.key === c.key ? !sort.descending : false })} data-testid={`sort-${c.key}`}>
                    {c.label}
                    {sort.key === c.key ? (sort.descending ? ' ▼' : ' ▲') : ''}
                  </button>
                </th>
              ))}
              <th>Case</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {shown.map((s) => {
              const ofStudy = cases.filter((c) => c.studies.some((l) => l.studyUid === s.studyUid));
              return (
                <tr key={s.studyUid} data-testid="study-row" data-study-uid={s.studyUid}>
                  <td>{s.patientName}</td>
                  <td>{s.patientId}</td>
                  <td>{s.studyDate}</td>
                  <td>{s.description}</td>
                  <td>{s.modalities}</td>
                  <td className="num">{s.instanceCount}</td>
                  <td>
                    {ofStudy.map((c) => (
                      <a key={c.id} href={`/cases/${c.id}`} onClick={(e) => { e.preventDefault(); navigate(`/cases/${c.id}`); }}>
                        {c.title}
                      </a>
                    ))}
                    {ofStudy.length === 0 && canWrite && (
                      <button type="button" className="link" onClick={() => void openCase(s)} data-testid="open-case">
                        Open a case
                      </button>
                    )}
                  </td>
                  <td>
                    <button type="button" onClick={() => navigate(viewerPath(s.studyUid))} data-testid="open-viewer">
                      View
                    </button>
                  </td>
                </tr>
              );
            })}
            {shown.length === 0 && (
              <tr>
                <td colSpan={COLUMNS.length + 2}>{studies.length === 0 ? 'The archive holds no study yet: import one (Import, top right).' : 'No study matches the search.'}</td>
              </tr>
            )}
          </tbody>
        </table>
      )}
      <h2>Cases</h2>
      <ul className="case-list" data-testid="case-list">
        {cases.map((c) => (
          <li key={c.id}>
            <a href={`/cases/${c.id}`} onClick={(e) => { e.preventDefault(); navigate(`/cases/${c.id}`); }}>
              {c.title}
            </a>{' '}
            — patient {c.patientId}, {c.status}, {c.studies.length} stud{c.studies.length === 1 ? 'y' : 'ies'}
          </li>
        ))}
        {cases.length === 0 && <li>No case yet. Open one from a study above.</li>}
      </ul>
    </main>
  );
}
