// Starts the anatomy worker from its TypeScript source, when Keyhole runs from its sources (tests,
// tsx) rather than from the CLI's bundle: Node 20 does not apply `--import tsx` given in a
// worker's execArgv, so tsx's loader is registered here, in the worker, before the import.
import { register } from 'tsx/esm/api';

register();
await import('./anatomy-worker.ts');
