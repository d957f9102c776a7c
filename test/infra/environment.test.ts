/**
 * One list of environment variables: the names the stack sets (infra/storage-layout.ts `ENV`) and the names the
 * functions' configuration reads (functions/aws/config.ts `CONFIG_KEYS`) must be the same, apart from the Powertools
 * settings that Powertools reads itself; and every function in the synthesised stack gets only names from the list,
 * with every name the configuration requires.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { CONFIG_KEYS } from '../../functions/aws/config';
import { ENV } from '../../infra/storage-layout';
import { resourcesOf, type Synthesized, synthesize } from './synth';

/** Read by Powertools Logger and Metrics, not by our configuration. */
const POWERTOOLS = [ENV.serviceName, ENV.metricsNamespace];
/** Set by the report-function construct for every Node function; read by Node, not by us. */
const NODE = ['NODE_OPTIONS'];
/** What the configuration cannot start without (readConfig reports them missing). */
const REQUIRED = [CONFIG_KEYS.dataBucket, CONFIG_KEYS.archiveBucket, CONFIG_KEYS.mailFrom];

describe('environment variables', () => {
  let synth: Synthesized;
  beforeAll(() => {
    synth = synthesize();
  }, 180_000);

  it('the configuration reads exactly the names the stack knows, apart from the Powertools settings', () => {
    const stackNames = Object.values(ENV).filter((n) => !POWERTOOLS.includes(n as (typeof POWERTOOLS)[number]));
    expect(Object.values(CONFIG_KEYS).sort()).toEqual([...stackNames].sort());
  });

  it('every function gets only names from the list, and every name the configuration requires', () => {
    // Our functions (the custom-resource handler CDK adds for bucket notifications has no environment of ours).
    const functions = resourcesOf(synth.json, 'AWS::Lambda::Function').filter(
      ([id]) => !id.startsWith('BucketNotificationsHandler'),
    );
    expect(functions.length).toBeGreaterThanOrEqual(6);
    const known = new Set<string>([...Object.values(ENV), ...NODE]);
    for (const [id, properties] of functions) {
      const props = properties as { Environment?: { Variables?: Record<string, unknown> } };
      const names = Object.keys(props.Environment?.Variables ?? {});
      expect({ id, unknown: names.filter((n) => !known.has(n)) }).toEqual({ id, unknown: [] });
      expect({ id, missing: REQUIRED.filter((n) => !names.includes(n)) }).toEqual({ id, missing: [] });
    }
  });
});
