/** True when the CLI and every workspace package with a src/ have a dist/index.js newer than all their sources. */
export function buildIsCurrent(cliDir: string, packagesDir: string): boolean;
