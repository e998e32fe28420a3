/** A server under test (Keyhole or Orthanc), running in its own process on a fresh store. */
export interface BenchServer {
  /**
   * `orthanc-nodelay`: Orthanc with TCP_NODELAY=1 in its environment (see orthanc-process.ts);
   * `dimse-floor`, `dimse-floor-fsync`: the C-STORE floor of dcmjs-dimse (dimse-floor.ts).
   */
  readonly name: 'keyhole' | 'orthanc' | 'orthanc-nodelay' | 'dimse-floor' | 'dimse-floor-fsync';
  /** Base URL of its DICOMweb root, without a trailing slash. */
  readonly dicomwebUrl: string;
  /** Headers every DICOMweb request carries (Keyhole: a bearer token; Orthanc: none, authentication off). */
  readonly headers: Readonly<Record<string, string>>;
  readonly dicomPort: number;
  readonly aeTitle: string;
  readonly pid: number;
  /** Stops the process and removes its data folder. */
  stop(): Promise<void>;
}
