import { RetentionDays } from 'aws-cdk-lib/aws-logs';
import { describe, expect, it } from 'vitest';
import { ConfigError, DEFAULTS, nearestRetention, readConfig } from '../../infra/config';

const from = (context: Record<string, unknown>) => (key: string) => context[key];

describe('readConfig', () => {
  it('has a default for everything, so `cdk synth` works on a clean clone', () => {
    const config = readConfig(from({}));
    expect(config).toMatchObject({
      stackName: 'PmifReports',
      sesIdentity: { kind: 'email', value: DEFAULTS.placeholderIdentity, placeholder: true, existing: false },
      retentionMode: 'GOVERNANCE',
      retentionYears: 10,
      deadlineDays: 15,
      reminderDays: 5,
      mapConcurrency: 10,
      logRetention: RetentionDays.ONE_YEAR,
      logLevel: 'INFO',
      coordinatorProjects: [],
      ingestReservedConcurrency: 10,
      skipBundling: false,
    });
    expect(config.alarmEmail).toBeUndefined();
    expect(config.coordinatorPrincipal).toBeUndefined();
  });

  it('reads command-line strings (-c key=value) as well as JSON values', () => {
    const config = readConfig(
      from({
        'pmif:sesIdentity': 'Zinojumi.Example.LV',
        'pmif:retentionMode': 'compliance',
        'pmif:retentionYears': '12',
        'pmif:deadlineDays': 20,
        'pmif:coordinatorProjects': ' riga-integration, ,valmiera-lang ,riga-integration',
        'pmif:ingestReservedConcurrency': 'none',
        'pmif:skipBundling': true,
        'pmif:auditorPrincipal': '123456789012',
      }),
    );
    expect(config.sesIdentity).toEqual({
      kind: 'domain',
      value: 'zinojumi.example.lv',
      placeholder: false,
      existing: false,
    });
    expect(config.mailFrom).toBe('reports@zinojumi.example.lv');
    expect(config.retentionMode).toBe('COMPLIANCE');
    expect(config.retentionYears).toBe(12);
    expect(config.deadlineDays).toBe(20);
    expect(config.coordinatorProjects).toEqual(['riga-integration', 'valmiera-lang']);
    expect(config.ingestReservedConcurrency).toBeUndefined();
    expect(config.skipBundling).toBe(true);
    expect(config.auditorPrincipal).toBe('123456789012');
  });

  it('sends from the identity itself when it is an address, and checks that a From address is covered', () => {
    expect(readConfig(from({ 'pmif:sesIdentity': 'reports@example.lv' })).mailFrom).toBe('reports@example.lv');
    expect(
      readConfig(from({ 'pmif:sesIdentity': 'example.lv', 'pmif:mailFrom': 'pmif@lists.example.lv' })).mailFrom,
    ).toBe('pmif@lists.example.lv');
    expect(() => readConfig(from({ 'pmif:sesIdentity': 'example.lv', 'pmif:mailFrom': 'x@example.com' }))).toThrow(
      /not covered by the SES identity example\.lv/,
    );
  });

  it('uses an existing identity only when one is named', () => {
    expect(
      readConfig(from({ 'pmif:sesIdentity': 'example.lv', 'pmif:sesIdentityExisting': 'true' })).sesIdentity,
    ).toEqual({ kind: 'domain', value: 'example.lv', placeholder: false, existing: true });
    expect(() => readConfig(from({ 'pmif:sesIdentityExisting': 'true' }))).toThrow(/pmif:sesIdentityExisting: needs/);
    expect(() => readConfig(from({ 'pmif:sesIdentity': 'example.lv', 'pmif:sesIdentityExisting': 'yes' }))).toThrow(
      /expected true or false/,
    );
  });

  it('names every bad key at once', () => {
    let error: unknown;
    try {
      readConfig(
        from({
          'pmif:sesIdentity': 'not an identity',
          'pmif:retentionMode': 'LEGAL',
          'pmif:retentionYears': 0,
          'pmif:deadlineDays': 70,
          'pmif:mapConcurrency': 41,
          'pmif:coordinatorProjects': 'Riga_1',
          'pmif:alarmEmail': 'ops',
          'pmif:managerPrincipal': 'arn:aws:iam::12:role/x',
        }),
      );
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const keys = (error as ConfigError).problems.map((p) => p.split(':').slice(0, 2).join(':'));
    expect(keys).toEqual([
      'pmif:sesIdentity',
      'pmif:alarmEmail',
      'pmif:retentionMode',
      'pmif:retentionYears',
      'pmif:deadlineDays',
      'pmif:mapConcurrency',
      'pmif:coordinatorProjects',
      'pmif:managerPrincipal',
    ]);
  });

  it('refuses a reminder on or before the quarter end', () => {
    expect(() => readConfig(from({ 'pmif:reminderDays': 15 }))).toThrow(/remind before the quarter has ended/);
  });
});

describe('nearestRetention', () => {
  it('maps days to the closest retention CloudWatch Logs accepts', () => {
    expect(nearestRetention(90)).toBe(RetentionDays.THREE_MONTHS);
    expect(nearestRetention(100)).toBe(RetentionDays.THREE_MONTHS);
    expect(nearestRetention(106)).toBe(RetentionDays.FOUR_MONTHS);
    expect(nearestRetention(2)).toBe(RetentionDays.THREE_DAYS);
    expect(nearestRetention(3653)).toBe(RetentionDays.TEN_YEARS);
  });
});
