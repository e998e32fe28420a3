import { useCallback, useEffect, useState } from 'react';
import { findStudy, getCase, listSeries, type ClinicalCase, type SeriesSummary, type StudySummary } from '../api/archive.ts';
import { AnatomyPanel } from '../anatomy/AnatomyPanel.tsx';
import { ErrorMessage } from '../components/ErrorMessage.tsx';
import { navigate, viewerPath } from '../router.ts';

/**
 * The tabs of a case. Images and Anatomy are filled; the others belong to later work (issue 6
 * findings and symptoms, issue 7 plan) and say so instead of pretending.
 */
export const CASE_TABS: ReadonlyArray<{ id: string; label: string; empty: string }> = [
  { id: 'images', label: 'Images', empty: '' },
  { id: 'anatomy', label: 'Anatomy', empty: 'Spine anatomy (vertebrae, discs, canal and foramina labelled on the images) is not available yet.' },
  { id: 'findings', label: 'Findings', empty: 'Findings (herniations, stenoses, their grades) are not recorded for this case yet.' },
  { id: 'symptoms', label: 'Symptoms', empty: 'Symptoms and their clinical correlation with the findings are not recorded for this case yet.' },
  { id: 'plan', label: 'Plan', empty: 'No surgical plan (approach, trajectory, simulated views) has been made for this case yet.' },
  { id: 'follow-up', label: 'Follow-up', empty: 'No follow-up study or outcome is linked to this case yet.' },
];

interface CaseStudy {
  readonly role: string;
  readonly study: StudySummary | undefined;
  readonly studyUid: string;
  readonly series: SeriesSummary[];
}

export function CaseView({ caseId, tab }: { readonly caseId: number; readonly tab: string }) {
  const [found, setFound] = useState<ClinicalCase>();
  const [studies, setStudies] = useState<CaseStudy[]>([]);
  const [error, setError] = useState<unknown>();
  const load = useCallback(() => {
    setError(undefined);
    (async () => {
      const c = await getCase(caseId);
      setFound(c);
      setStudies(await Promise.all(c.studies.map(async (link) => ({ role: link.role, studyUid: link.studyUid, study: await findStudy(link.studyUid), series: await listSeries(link.studyUid) }))));
    })().catch(setError);
  }, [caseId]);
  useEffect(load, [load]);

  const active = CASE_TABS.find((t) => t.id === tab) ?? CASE_TABS[0]!;
  const patient = studies.find((s) => s.study !== undefined)?.study;
  return (
    <main className="case-view" data-testid="case-view">
      <ErrorMessage error={error} onRetry={load} />
      {found !== undefined && (
        <>
          <div className="case-header">
            <h1 data-testid="case-title">{found.title}</h1>
            <p>
              Patient <strong>{patient !== undefined && patient.patientName !== '' ? patient.patientName : '(no name)'}</strong> (ID {found.patientId}
              {patient !== undefined && patient.birthDate !== '' ? `, born ${patient.birthDate}` : ''}
              {patient !== undefined && patient.sex !== '' ? `, ${patient.sex}` : ''}) · status {found.status}
            </p>
          </div>
          <div className="tabs" role="tablist">
            {CASE_TABS.map((t) => (
              <button key={t.id} type="button" role="tab" aria-selected={t.id === active.id} onClick={() => navigate(`/cases/${caseId}/${t.id}`)} data-testid={`tab-${t.id}`}>
                {t.label}
              </button>
            ))}
          </div>
          <section className="tab-panel" role="tabpanel">
            {active.id !== 'images' && active.id !== 'anatomy' && <p className="empty">{active.empty}</p>}
            {active.id === 'anatomy' && <AnatomyPanel studies={studies} caseId={caseId} />}
            {active.id === 'images' &&
              studies.map((s) => (
                <article key={s.studyUid} className="case-study">
                  <h2>
                    {s.role}: {s.study?.description || 'study'} {s.study !== undefined ? `(${s.study.studyDate}, ${s.study.modalities})` : ''}
                  </h2>
                  <table className="grid">
                    <thead>
                      <tr>
                        <th>Series</th>
                        <th>Modality</th>
                        <th>Description</th>
                        <th>Images</th>
                        <th />
                      </tr>
                    </thead>
                    <tbody>
                      {s.series.map((series) => (
                        <tr key={series.seriesUid} data-testid="series-row">
                          <td>{series.number ?? ''}</td>
                          <td>{series.modality}</td>
                          <td>{series.description}</td>
                          <td className="num">{series.instanceCount}</td>
                          <td>
                            <button type="button" onClick={() => navigate(viewerPath(s.studyUid, series.seriesUid, caseId))} data-testid="open-series">
                              View
                            </button>
                          </td>
                        </tr>
                      ))}
                    </tbody>
                  </table>
                </article>
              ))}
            {active.id === 'images' && studies.length === 0 && <p className="empty">No study is linked to this case.</p>}
          </section>
        </>
      )}
    </main>
  );
}
