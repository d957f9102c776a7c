/**
 * The AWS composition root's runtime over local dependencies: what a handler receives on Lambda, minus the AWS
 * clients, with the metrics it counts kept for the test to read.
 */
import type { Deps } from '../../functions/app/deps';
import type { AwsRuntime } from '../../functions/aws/deps';

export function localRuntime(deps: Deps): AwsRuntime & { counts: Record<string, number> } {
  const counts: Record<string, number> = {};
  return {
    counts,
    config: { dataBucket: 'd', archiveBucket: 'a', mailFrom: deps.mailFrom, logLevel: 'INFO' },
    deps,
    metrics: {
      count: (name, value = 1) => {
        counts[name] = (counts[name] ?? 0) + value;
      },
      publish: () => undefined,
    },
    invoke: (_context, work) => work(),
  };
}
