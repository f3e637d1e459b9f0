#!/usr/bin/env node
import { main } from './main.js';

// A reader that closes the pipe early (`trim eval … | head`) ends the output quietly: no stack trace.
process.stdout.on('error', (e: NodeJS.ErrnoException) => process.exit(e.code === 'EPIPE' ? 0 : 2));
process.exitCode = await main(process.argv.slice(2));
