import { useCallback, useEffect, useState } from 'react';
import { me as fetchMe, signOut, type Me } from './api/archive.ts';
import { ApiError } from './api/client.ts';
import { connection } from './api/connection.ts';
import { ConnectionBanner } from './components/ConnectionBanner.tsx';
import { Disclaimer } from './components/Disclaimer.tsx';
import { ErrorMessage } from './components/ErrorMessage.tsx';
import { Header } from './components/Header.tsx';
import { OR_MODE_EVENT, setFullScreen } from './components/or-mode.ts';
import { navigate, useRoute } from './router.ts';
import { CaseView } from './screens/CaseView.tsx';
import { ImportDialog } from './screens/ImportDialog.tsx';
import { SignIn } from './screens/SignIn.tsx';
import { Worklist } from './screens/Worklist.tsx';
import { CompareViewer } from './viewer/CompareViewer.tsx';
import { MprViewer } from './viewer/MprViewer.tsx';
import { VolumeViewer3D } from './viewer/VolumeViewer3D.tsx';
import { Viewer } from './viewer/Viewer.tsx';

const WRITERS = new Set(['admin', 'surgeon', 'radiologist', 'resident']);

export function App() {
  const route = useRoute();
  const [user, setUser] = useState<Me | null>();
  const [bootError, setBootError] = useState<unknown>();
  const [importing, setImporting] = useState(false);
  const [refreshKey, setRefreshKey] = useState(0);
  const [orMode, setOrMode] = useState(() => window.localStorage.getItem('keyhole.or-mode') === 'on');
  useEffect(() => {
    const toggle = (): void => setOrMode((on) => !on);
    window.addEventListener(OR_MODE_EVENT, toggle);
    return () => window.removeEventListener(OR_MODE_EVENT, toggle);
  }, []);
  useEffect(() => {
    window.localStorage.setItem('keyhole.or-mode', orMode ? 'on' : 'off');
    document.documentElement.classList.toggle('or-mode', orMode);
    void setFullScreen(orMode);
  }, [orMode]);

  const loadMe = useCallback(() => {
    setBootError(undefined);
    fetchMe()
      .then(setUser)
      .catch((e: unknown) => {
        if (e instanceof ApiError && e.status === 401) setUser(null);
        else setBootError(e);
      });
  }, []);
  useEffect(loadMe, [loadMe]);
  // A 401 anywhere (session expired, signed out elsewhere) brings the sign-in screen back.
  useEffect(() => connection.onSignedOut(() => setUser(null)), []);

  const doSignOut = async (): Promise<void> => {
    try {
      await signOut();
    } finally {
      setUser(null);
      navigate('/');
    }
  };

  let screen;
  if (user === undefined) screen = bootError !== undefined ? <ErrorMessage error={bootError} onRetry={loadMe} /> : <p className="loading">Connecting to the Keyhole server…</p>;
  else if (user === null) screen = <SignIn onSignedIn={setUser} />;
  else if (route.name === 'worklist') screen = <Worklist refreshKey={refreshKey} canWrite={WRITERS.has(user.role)} />;
  else if (route.name === 'case') screen = <CaseView caseId={route.caseId} tab={route.tab} />;
  else if (route.name === 'compare') screen = <CompareViewer key={`compare/${route.studyUid}`} studyUid={route.studyUid} caseId={route.caseId} grid={route.grid} panes={route.panes} />;
  else if (route.name === 'viewer' && route.layout === 'mpr' && route.seriesUid !== undefined) screen = <MprViewer key={`mpr/${route.studyUid}/${route.seriesUid}`} studyUid={route.studyUid} seriesUid={route.seriesUid} caseId={route.caseId} />;
  else if (route.name === 'viewer' && route.layout === 'volume3d' && route.seriesUid !== undefined) screen = <VolumeViewer3D key={`3d/${route.studyUid}/${route.seriesUid}`} studyUid={route.studyUid} seriesUid={route.seriesUid} caseId={route.caseId} />;
  else if (route.name === 'viewer') screen = <Viewer key={`${route.studyUid}/${route.seriesUid ?? ''}`} studyUid={route.studyUid} seriesUid={route.seriesUid} caseId={route.caseId} />;
  else screen = <main><h1>Not found</h1><p>There is no screen at {route.path}. <a href="/" onClick={(e) => { e.preventDefault(); navigate('/'); }}>Back to the worklist</a>.</p></main>;

  return (
    <div className={orMode ? 'app or-mode' : 'app'} data-or-mode={orMode ? 'on' : 'off'}>
      <ConnectionBanner />
      {user !== undefined && user !== null && <Header me={user} onSignOut={() => void doSignOut()} onImport={() => setImporting(true)} orMode={orMode} onToggleOrMode={() => setOrMode((on) => !on)} />}
      {screen}
      {importing && user !== null && user !== undefined && <ImportDialog onClose={() => setImporting(false)} onImported={() => setRefreshKey((k) => k + 1)} />}
      <Disclaimer />
    </div>
  );
}
