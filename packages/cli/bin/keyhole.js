#!/usr/bin/env node
// Runs the TypeScript sources directly through tsx's loader: a checkout works after `npm ci`
// with no build step, and stack traces point at the .ts files people read.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../src/main.ts');
process.exitCode = await main(process.argv.slice(2));
