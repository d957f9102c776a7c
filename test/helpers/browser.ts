/**
 * Debian's Chromium driven by playwright-core (PLATFORM-NOTES: Browsers). `.ci/run` installs the `chromium` package
 * when it is missing; a machine without it fails the browser tests with this message rather than skipping them.
 */
import { existsSync } from 'node:fs';
import { type Browser, chromium } from 'playwright-core';

export const CHROMIUM_PATH = process.env.PMIF_CHROMIUM ?? '/usr/bin/chromium';

export async function launchChromium(): Promise<Browser> {
  if (!existsSync(CHROMIUM_PATH)) {
    throw new Error(`Chromium not found at ${CHROMIUM_PATH}: apt-get install -y chromium (.ci/run does this)`);
  }
  // Playwright gives every launch a fresh, empty profile directory of its own (it refuses --user-data-dir here).
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}
